import type { FaultsSpec } from '../scenario/schema.js';
import { parseDuration } from '../time/duration.js';

/** Fault flags as given on the command line (or in MEKONG_SIM_… variables); lists are comma-separated. */
export interface FaultFlags {
  malformedRate?: number;
  duplicateRate?: number;
  outOfOrderRate?: number;
  clockSkew?: string[];
  disconnect?: string[];
  burst?: string[];
  brokerOutage?: string[];
  randomDisconnects?: string;
}

export class FlagError extends Error {
  constructor(
    readonly flag: string,
    readonly value: string,
    expected: string,
  ) {
    super(`${flag} "${value}": expected ${expected}`);
    this.name = 'FlagError';
  }
}

function seconds(flag: string, whole: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new FlagError(flag, whole, 'durations such as 90s, 15m, 2h or 1h30m');
  return ms / 1000;
}

/** `<after>+<duration>` → seconds */
function span(flag: string, whole: string, text: string): { after: number; duration: number } {
  const [after, duration] = text.split('+');
  if (after === undefined || duration === undefined)
    throw new FlagError(flag, whole, '<after>+<duration>, e.g. 2h+10m');
  return { after: seconds(flag, whole, after), duration: seconds(flag, whole, duration) };
}

/** Adds the flags' faults to the scenario's: rates replace, lists append. Pure; throws FlagError. */
export function mergeFaultFlags(base: FaultsSpec, flags: FaultFlags): FaultsSpec {
  const faults: FaultsSpec = {
    ...base,
    clockSkew: [...base.clockSkew],
    disconnects: [...base.disconnects],
    bursts: [...base.bursts],
    brokerOutages: [...base.brokerOutages],
  };
  if (flags.malformedRate !== undefined) faults.malformedRate = flags.malformedRate;
  if (flags.duplicateRate !== undefined) faults.duplicateRate = flags.duplicateRate;
  if (flags.outOfOrderRate !== undefined) faults.outOfOrderRate = flags.outOfOrderRate;
  for (const item of flags.clockSkew ?? []) {
    const match = /^(.+)=([+-]?\d+(?:\.\d+)?)(?:@([+-]?\d+(?:\.\d+)?))?$/.exec(item);
    if (match === null)
      throw new FlagError('--clock-skew', item, '<cells glob>=<seconds>[@<drift ppm>], e.g. smt/*/*=90');
    faults.clockSkew.push({
      cells: match[1] as string,
      offset: Number(match[2]),
      driftPpm: Number(match[3] ?? 0),
    });
  }
  for (const item of flags.disconnect ?? []) {
    const match = /^(.+)@([^:]+)(?::(resend|loss))?$/.exec(item);
    if (match === null)
      throw new FlagError('--disconnect', item, '<cells glob>@<after>+<duration>[:resend|loss]');
    faults.disconnects.push({
      cells: match[1] as string,
      ...span('--disconnect', item, match[2] as string),
      mode: (match[3] as 'resend' | 'loss' | undefined) ?? 'resend',
    });
  }
  for (const item of flags.burst ?? []) {
    const match = /^(.+)@([^/]+)\/(.+)$/.exec(item);
    if (match === null)
      throw new FlagError(
        '--burst',
        item,
        '<cells glob>@<after>+<duration>/<interval>, e.g. smt/**@1h+5m/100ms',
      );
    faults.bursts.push({
      cells: match[1] as string,
      ...span('--burst', item, match[2] as string),
      interval: seconds('--burst', item, match[3] as string),
    });
  }
  for (const item of flags.brokerOutage ?? []) {
    const [range, limit] = item.split(':');
    const bufferLimit = limit === undefined ? 10_000 : Number(limit);
    if (!Number.isInteger(bufferLimit) || bufferLimit < 0) {
      throw new FlagError('--broker-outage', item, '<after>+<duration>[:<buffer limit>]');
    }
    faults.brokerOutages.push({ ...span('--broker-outage', item, range ?? ''), bufferLimit });
  }
  if (flags.randomDisconnects !== undefined) {
    const match = /^(\d+(?:\.\d+)?)\/([^:]+)(?::(resend|loss))?$/.exec(flags.randomDisconnects);
    if (match === null) {
      throw new FlagError(
        '--random-disconnects',
        flags.randomDisconnects,
        '<per device per day>/<mean duration>[:resend|loss]',
      );
    }
    faults.randomDisconnects = {
      perDevicePerDay: Number(match[1]),
      duration: {
        dist: 'exponential',
        mean: seconds('--random-disconnects', flags.randomDisconnects, match[2] as string),
      },
      mode: (match[3] as 'resend' | 'loss' | undefined) ?? 'resend',
    };
  }
  return faults;
}
