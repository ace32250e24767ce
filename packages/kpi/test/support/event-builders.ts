import type { CountEvent, KpiEvent, LabourEvent, MachineState, StateEvent } from '../../src/kpi-event.js';

/** Builders for test events: times are given as minutes after a base instant. */

export const minuteMs = 60_000;
export const hourMs = 3_600_000;

export const cellA = 'acme/hcm/assembly/line-1/press-1';
export const cellB = 'acme/hcm/assembly/line-1/press-2';
export const lineOne = 'acme/hcm/assembly/line-1';

/** Instant of an RFC 3339 text, e.g. `at('2026-03-02T06:00:00+07:00')`. */
export function at(text: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`bad time ${text}`);
  return ms;
}

export class EventScript {
  private seq = 0;
  readonly events: KpiEvent[] = [];

  constructor(
    private readonly baseMs: number,
    private readonly publisher = 'device-1',
  ) {}

  /** Instant `minutes` after the base (fractions allowed). */
  ms(minutes: number): number {
    return this.baseMs + Math.round(minutes * minuteMs);
  }

  state(path: string, minutes: number, state: MachineState, product?: string): StateEvent {
    const event: StateEvent = {
      kind: 'state',
      path,
      tsMs: this.ms(minutes),
      seq: this.seq++,
      publisher: this.publisher,
      state,
      ...(product === undefined ? {} : { product }),
    };
    this.events.push(event);
    return event;
  }

  count(path: string, minutes: number, good: number, scrap: number, product?: string): CountEvent {
    const event: CountEvent = {
      kind: 'count',
      path,
      tsMs: this.ms(minutes),
      seq: this.seq++,
      publisher: this.publisher,
      good,
      scrap,
      ...(product === undefined ? {} : { product }),
    };
    this.events.push(event);
    return event;
  }

  clock(path: string, minutes: number, event: 'clock_in' | 'clock_out', worker: string): LabourEvent {
    const labour: LabourEvent = {
      kind: 'labour',
      path,
      tsMs: this.ms(minutes),
      seq: this.seq++,
      publisher: this.publisher,
      event,
      worker,
    };
    this.events.push(labour);
    return labour;
  }

  headcount(path: string, minutes: number, count: number): LabourEvent {
    const labour: LabourEvent = {
      kind: 'labour',
      path,
      tsMs: this.ms(minutes),
      seq: this.seq++,
      publisher: this.publisher,
      event: 'headcount',
      count,
    };
    this.events.push(labour);
    return labour;
  }
}
