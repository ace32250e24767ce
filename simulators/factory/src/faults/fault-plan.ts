import { draw } from '../random/distributions.js';
import { streamFor } from '../random/prng.js';
import type { Plan } from '../scenario/expand-scenario.js';
import type { FaultsSpec } from '../scenario/schema.js';
import { globMatcher } from './glob.js';

export interface ClockSkew {
  offsetMs: number;
  driftPpm: number;
}

export interface TimeSpan {
  from: number;
  to: number;
}

export interface BurstSpan extends TimeSpan {
  intervalMs: number;
}

export interface DisconnectSpan extends TimeSpan {
  mode: 'resend' | 'loss';
  bufferLimit: number;
  kind: 'disconnect' | 'broker_outage';
}

/** The faults of a run, resolved to devices and epoch ms. Devices: cells, then line labour publishers. */
export interface FaultPlan {
  malformedPpm: number;
  duplicateRate: number;
  outOfOrderRate: number;
  skewOf(device: number): ClockSkew | undefined;
  burstsOf(device: number): BurstSpan[];
  /** Scheduled and random disconnects of one device, in time order; the same on every call. */
  disconnectsOf(device: number): DisconnectSpan[];
  /** Whether any device has a scheduled or random disconnect. */
  anyDisconnects: boolean;
  brokerOutages: DisconnectSpan[];
  /** `<site>/<area>/<line>/<cell>` or `<site>/<area>/<line>/_line`. */
  devicePath(device: number): string;
  deviceCount: number;
}

export function devicePathOf(plan: Plan, device: number): string {
  const cell = plan.cells[device];
  if (cell !== undefined) return cell.path;
  const line = plan.lines[device - plan.cells.length];
  return line === undefined ? '?' : `${line.path}/_line`;
}

/** Disconnects at exponential gaps of mean 1 day / rate, over the whole run, from the device's own stream. */
function randomSpans(
  random: NonNullable<FaultsSpec['randomDisconnects']>,
  seed: string,
  device: number,
  startMs: number,
  endMs: number,
): DisconnectSpan[] {
  const prng = streamFor(seed, 'faults', 'disconnects', String(device));
  const spans: DisconnectSpan[] = [];
  const meanGapMs = 86_400_000 / random.perDevicePerDay;
  let t = startMs;
  for (;;) {
    t += Math.round(-meanGapMs * Math.log(1 - prng.next()));
    if (t >= endMs) break;
    const duration = Math.max(1, Math.round(draw(random.duration, prng) * 1000));
    spans.push({
      from: t,
      to: t + duration,
      mode: random.mode,
      bufferLimit: Number.POSITIVE_INFINITY,
      kind: 'disconnect',
    });
    t += duration;
  }
  return spans;
}

export function resolveFaults(
  spec: FaultsSpec,
  plan: Plan,
  span: { seed: string; startMs: number; endMs: number },
): FaultPlan {
  const { startMs } = span;
  const at = (seconds: number) => startMs + Math.round(seconds * 1000);
  const skews = spec.clockSkew.map((skew) => ({ match: globMatcher(skew.cells), skew }));
  const bursts = spec.bursts.map((burst) => ({ match: globMatcher(burst.cells), burst }));
  const disconnects = spec.disconnects.map((d) => ({ match: globMatcher(d.cells), d }));
  const path = (device: number) => devicePathOf(plan, device);
  return {
    // Integer parts per million keep "exactly this share" exact: no float rounding in the counting.
    malformedPpm: Math.round(spec.malformedRate * 1_000_000),
    duplicateRate: spec.duplicateRate,
    outOfOrderRate: spec.outOfOrderRate,
    skewOf(device) {
      if (skews.length === 0) return undefined;
      const p = path(device);
      const found = skews.find((entry) => entry.match(p));
      return found === undefined
        ? undefined
        : { offsetMs: Math.round(found.skew.offset * 1000), driftPpm: found.skew.driftPpm };
    },
    burstsOf(device) {
      if (bursts.length === 0) return [];
      const p = path(device);
      return bursts
        .filter((entry) => entry.match(p))
        .map(({ burst }) => ({
          from: at(burst.after),
          to: at(burst.after + burst.duration),
          intervalMs: Math.max(1, Math.round(burst.interval * 1000)),
        }))
        .sort((a, b) => a.from - b.from);
    },
    disconnectsOf(device) {
      const random = spec.randomDisconnects;
      if (disconnects.length === 0 && random === undefined) return [];
      const p = path(device);
      const scheduled: DisconnectSpan[] = disconnects
        .filter((entry) => entry.match(p))
        .map(({ d }) => ({
          from: at(d.after),
          to: at(d.after + d.duration),
          mode: d.mode,
          bufferLimit: Number.POSITIVE_INFINITY,
          kind: 'disconnect' as const,
        }));
      const drawn = random === undefined ? [] : randomSpans(random, span.seed, device, startMs, span.endMs);
      return [...scheduled, ...drawn].sort((a, b) => a.from - b.from);
    },
    anyDisconnects: disconnects.length > 0 || spec.randomDisconnects !== undefined,
    brokerOutages: spec.brokerOutages
      .map((outage) => ({
        from: at(outage.after),
        to: at(outage.after + outage.duration),
        mode: 'resend' as const,
        bufferLimit: outage.bufferLimit,
        kind: 'broker_outage' as const,
      }))
      .sort((a, b) => a.from - b.from),
    devicePath: path,
    deviceCount: plan.cells.length + plan.lines.length,
  };
}
