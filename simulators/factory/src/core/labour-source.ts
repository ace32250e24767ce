import type { ClockSkew } from '../faults/fault-plan.js';
import { draw } from '../random/distributions.js';
import type { Prng } from '../random/prng.js';
import { streamFor } from '../random/prng.js';
import type { PlanLine } from '../scenario/expand-scenario.js';
import type { WorkforceSpec } from '../scenario/schema.js';
import type { TruthHub } from '../truth/truth-hub.js';
import { deviceClock } from './device-clock.js';
import type { Schedule, TruthWindow } from './schedule.js';
import { segmentAt } from './schedule.js';
import type { SimMessage } from './sim-message.js';
import type { Source } from './source.js';

/** Early clock-ins and late clock-outs are capped, so a shift's crew is known two hours ahead. */
export const CLOCK_CAP_MS = 2 * 3_600_000;

interface ClockEvent {
  at: number;
  event: 'clock_in' | 'clock_out';
  worker: string;
}

/**
 * The badge terminal of a line: each rostered worker who is not absent clocks in before the shift and
 * out after it. Labour time is presence minus the line's breaks, booked into day and shift windows
 * when the crew is drawn, which is before any of that presence happens.
 */
export class LabourSource implements Source {
  nextAt: number;
  private readonly shifts: TruthWindow[];
  private readonly windowsByEnd: TruthWindow[];
  private readonly labourMs = new Map<number, number>();
  private readonly prng: Prng;
  private readonly clock: (t: number) => string;
  private readonly topic: string;
  private readonly workforce: WorkforceSpec;
  private events: ClockEvent[] = [];
  private nextShift = 0;
  private nextClose = 0;
  private seq = 0;

  constructor(
    private readonly line: PlanLine,
    private readonly device: number,
    private readonly schedule: Schedule,
    private readonly hub: TruthHub,
    private readonly options: { seed: string; startMs: number; endMs: number; skew: ClockSkew | undefined },
  ) {
    if (line.workforce === undefined) throw new Error(`line ${line.path} has no workforce`);
    this.workforce = line.workforce;
    this.shifts = schedule.windows.filter((window) => window.kind === 'shift');
    this.windowsByEnd = [...schedule.windows].sort((a, b) => a.to - b.to || a.index - b.index);
    this.prng = streamFor(options.seed, line.path, 'labour');
    this.clock = deviceClock(line.site.zone, options.startMs, options.skew);
    this.topic = `mekong/v1/${line.address.enterprise}/${line.path}/_line/labour`;
    this.nextAt = this.computeNext();
  }

  private openAt(shift: TruthWindow): number {
    return Math.max(this.options.startMs, shift.from - CLOCK_CAP_MS);
  }

  private computeNext(): number {
    let next = Number.POSITIVE_INFINITY;
    const shift = this.shifts[this.nextShift];
    if (shift !== undefined) next = this.openAt(shift);
    const close = this.windowsByEnd[this.nextClose];
    if (close !== undefined) next = Math.min(next, close.to);
    const event = this.events[0];
    if (event !== undefined) next = Math.min(next, event.at);
    return next;
  }

  step(out: SimMessage[]): void {
    const t = this.nextAt;
    for (let shift = this.shifts[this.nextShift]; shift !== undefined && this.openAt(shift) <= t; ) {
      this.openShift(shift);
      this.nextShift += 1;
      shift = this.shifts[this.nextShift];
    }
    while (this.events.length > 0 && (this.events[0] as ClockEvent).at <= t) {
      const event = this.events.shift() as ClockEvent;
      out.push({
        topic: this.topic,
        payload: { ts: this.clock(event.at), seq: this.seq, event: event.event, worker: event.worker },
        tsMs: event.at,
        sendAtMs: event.at,
        device: this.device,
      });
      this.seq += 1;
    }
    for (let close = this.windowsByEnd[this.nextClose]; close !== undefined && close.to <= t; ) {
      this.hub.labourClosed(this.line, close, this.labourMs.get(close.index) ?? 0);
      this.labourMs.delete(close.index);
      this.nextClose += 1;
      close = this.windowsByEnd[this.nextClose];
    }
    this.nextAt = this.computeNext();
  }

  private openShift(shift: TruthWindow): void {
    const { startMs, endMs } = this.options;
    const shiftName = shift.key.slice(shift.key.indexOf('/') + 1);
    const width = Math.max(3, String(this.workforce.people).length);
    for (let person = 1; person <= this.workforce.people; person += 1) {
      const absent = this.prng.next() < this.workforce.absenteeism;
      const early = Math.min(CLOCK_CAP_MS, Math.round(draw(this.workforce.clockInEarly, this.prng) * 1000));
      const late = Math.min(CLOCK_CAP_MS, Math.round(draw(this.workforce.clockOutLate, this.prng) * 1000));
      if (absent) continue;
      const worker = `${this.line.address.line}-${shiftName}-${String(person).padStart(width, '0')}`;
      const clockIn = Math.max(startMs, shift.from - early);
      const clockOut = shift.to + late;
      if (clockIn >= endMs) continue;
      this.insert({ at: clockIn, event: 'clock_in', worker });
      if (clockOut < endMs) this.insert({ at: clockOut, event: 'clock_out', worker });
      this.book(clockIn, Math.min(clockOut, endMs));
    }
  }

  private insert(event: ClockEvent): void {
    // Stable: equal times keep insertion order (worker number), so the stream is deterministic.
    let i = this.events.length;
    while (i > 0 && (this.events[i - 1] as ClockEvent).at > event.at) i -= 1;
    this.events.splice(i, 0, event);
  }

  /** Presence [from, to) minus planned stops, into the day and shift windows it overlaps. */
  private book(from: number, to: number): void {
    for (let i = segmentAt(this.schedule, from); i < this.schedule.segments.length; i += 1) {
      const segment = this.schedule.segments[i];
      if (segment === undefined || segment.from >= to) break;
      if (segment.state === 'planned_stop') continue;
      const ms = Math.min(to, segment.to) - Math.max(from, segment.from);
      if (ms <= 0) continue;
      this.labourMs.set(segment.day, (this.labourMs.get(segment.day) ?? 0) + ms);
      if (segment.shift >= 0) this.labourMs.set(segment.shift, (this.labourMs.get(segment.shift) ?? 0) + ms);
    }
  }
}
