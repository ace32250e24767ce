import { lowerBound, upperBound } from './intervals.js';
import type { CountEvent, MachineState, StateEvent } from './kpi-event.js';

/**
 * What the engine keeps about one cell: its state changes, counts and the instants it was heard from,
 * each sorted by time. Events may arrive in any order; they are inserted where they belong, so every
 * computation sees the same timeline whatever the arrival order.
 */

export const unknownState = -1;
/** `failureFirstIndex`: the failure began before the kept states. */
export const carriedFailure = -1;
/** `failureFirstIndex`: no failure is going on. */
export const noFailure = -2;
export const stateCode: Readonly<Record<MachineState, number>> = {
  running: 0,
  idle: 1,
  down: 2,
  setup: 3,
  planned_stop: 4,
  not_scheduled: 5,
  off: 6,
};

/** `planned_stop` and `not_scheduled`: they do not end a failure. */
export function isPlannedCode(code: number): boolean {
  return code === stateCode.planned_stop || code === stateCode.not_scheduled;
}

/** `idle`, `down` and `off` are stops: availability losses, DOWN or MINOR by the stop's length. */
export function isStopCode(code: number): boolean {
  return code === stateCode.idle || code === stateCode.down || code === stateCode.off;
}

export class CellTimeline {
  readonly stateTs: number[] = [];
  readonly stateCodes: number[] = [];
  readonly stateProducts: (string | undefined)[] = [];
  private readonly statePublishers: string[] = [];
  private readonly stateSeqs: number[] = [];
  readonly countTs: number[] = [];
  readonly countGood: number[] = [];
  readonly countScrap: number[] = [];
  readonly countProducts: (string | undefined)[] = [];
  readonly heardTs: number[] = [];
  /**
   * Start of the stop that the first kept state belongs to, when earlier states of that stop were
   * pruned; null otherwise.
   */
  carriedStopStartMs: number | null = null;
  /**
   * Same for a failure (a run of `down` states that planned states do not end): its start, and the
   * `down` intervals of it that were pruned, as flat [start, end) pairs (to find its first busy instant).
   */
  carriedDownStartMs: number | null = null;
  carriedDownSpans: number[] = [];

  /**
   * @param tracksHeard keep `heardTs`; only the silence gap reads it, so without a gap the engine
   *   skips it (one sorted insertion fewer per event).
   */
  constructor(private readonly tracksHeard = true) {}

  insertState(event: StateEvent): void {
    let index = this.stateTs.length;
    const last = this.stateTs[index - 1];
    if (last !== undefined && event.tsMs <= last) {
      // Messages at the same instant are ordered by publisher then seq: the later seq wins.
      index = lowerBound(this.stateTs, event.tsMs);
      while (
        index < this.stateTs.length &&
        this.stateTs[index] === event.tsMs &&
        compareOrigin(this.statePublishers[index]!, this.stateSeqs[index]!, event.publisher, event.seq) < 0
      ) {
        index++;
      }
    }
    insertAt(this.stateTs, index, event.tsMs);
    insertAt(this.stateCodes, index, stateCode[event.state]);
    insertAt(this.stateProducts, index, event.product);
    insertAt(this.statePublishers, index, event.publisher);
    insertAt(this.stateSeqs, index, event.seq);
    this.insertHeard(event.tsMs);
  }

  insertCount(event: CountEvent): void {
    const index = sortedPositionAfter(this.countTs, event.tsMs);
    if (index === this.countTs.length) {
      // In time order, as nearly every count arrives: plain pushes, each site seeing one array kind.
      this.countTs.push(event.tsMs);
      this.countGood.push(event.good);
      this.countScrap.push(event.scrap);
      this.countProducts.push(event.product);
    } else {
      insertAt(this.countTs, index, event.tsMs);
      insertAt(this.countGood, index, event.good);
      insertAt(this.countScrap, index, event.scrap);
      insertAt(this.countProducts, index, event.product);
    }
    this.insertHeard(event.tsMs);
  }

  private insertHeard(tsMs: number): void {
    if (!this.tracksHeard) return;
    const index = sortedPositionAfter(this.heardTs, tsMs);
    if (index === this.heardTs.length) this.heardTs.push(tsMs);
    else this.heardTs.splice(index, 0, tsMs);
  }

  /** Index of the state in force at an instant (the last one at or before it), or -1. */
  stateIndexAt(atMs: number): number {
    return upperBound(this.stateTs, atMs) - 1;
  }

  /**
   * Forgets what no computation from `keepFromMs` on can need: counts at or before it (a count belongs
   * to the time before its stamp), and states and heard instants before it except the last of each (the
   * state in force, the last sign of life).
   */
  prune(keepFromMs: number): void {
    const stateKeepIndex = this.stateIndexAt(keepFromMs - 1);
    if (stateKeepIndex > 0) {
      const keptCode = this.stateCodes[stateKeepIndex]!;
      this.carriedStopStartMs = isStopCode(keptCode) ? this.stopStartAt(stateKeepIndex) : null;
      this.carryFailure(stateKeepIndex);
      this.stateTs.splice(0, stateKeepIndex);
      this.stateCodes.splice(0, stateKeepIndex);
      this.stateProducts.splice(0, stateKeepIndex);
      this.statePublishers.splice(0, stateKeepIndex);
      this.stateSeqs.splice(0, stateKeepIndex);
    }
    const countKeepIndex = upperBound(this.countTs, keepFromMs);
    if (countKeepIndex > 0) {
      this.countTs.splice(0, countKeepIndex);
      this.countGood.splice(0, countKeepIndex);
      this.countScrap.splice(0, countKeepIndex);
      this.countProducts.splice(0, countKeepIndex);
    }
    const heardKeepIndex = upperBound(this.heardTs, keepFromMs - 1) - 1;
    if (heardKeepIndex > 0) this.heardTs.splice(0, heardKeepIndex);
  }

  /** True when the state at `index` is overridden by a later message at the same instant. */
  isSuperseded(index: number): boolean {
    return this.stateTs[index + 1] === this.stateTs[index];
  }

  /** Start of the stop (consecutive `idle`/`down`/`off` states) that the effective state at `index` belongs to. */
  stopStartAt(index: number): number {
    return this.runStartAt(index, isStopCode, this.carriedStopStartMs);
  }

  /**
   * Start of the failure that the effective `down` state at `index` belongs to: the first `down` state
   * of the run of `down` states that `planned_stop` / `not_scheduled` states do not end.
   */
  downStartAt(index: number): number {
    const first = this.failureFirstIndex(index);
    return first >= 0 ? this.stateTs[first]! : (this.carriedDownStartMs ?? this.stateTs[index]!);
  }

  /**
   * Index of the first kept `down` state of the failure that the effective state at `index` (a `down`
   * or planned state) belongs to; `carriedFailure` when it began before the kept states (see
   * `carriedDownStartMs`); `noFailure` when none is going on there.
   */
  failureFirstIndex(index: number): number {
    const code = this.stateCodes[index]!;
    if (code !== stateCode.down && !isPlannedCode(code)) return noFailure;
    let first = code === stateCode.down ? index : noFailure;
    let previous = index - 1;
    for (; previous >= 0; previous--) {
      if (this.isSuperseded(previous)) continue;
      const previousCode = this.stateCodes[previous]!;
      if (previousCode === stateCode.down) first = previous;
      else if (!isPlannedCode(previousCode)) break;
    }
    if (previous < 0 && this.carriedDownStartMs !== null) return carriedFailure;
    return first;
  }

  /** Start of the failure going on at the effective state at `index`, or null. */
  failureStartAt(index: number): number | null {
    const first = this.failureFirstIndex(index);
    if (first === noFailure) return null;
    return first === carriedFailure ? this.carriedDownStartMs : this.stateTs[first]!;
  }

  /** Effective index after `index` where the failure going on at `index` ends (length when not yet). */
  failureEndIndexAfter(index: number): number {
    let next = index + 1;
    for (; next < this.stateTs.length; next++) {
      if (this.isSuperseded(next)) continue;
      const code = this.stateCodes[next]!;
      if (code !== stateCode.down && !isPlannedCode(code)) break;
    }
    return next;
  }

  /** Before the states ahead of `keepIndex` are pruned: remembers the failure going on at `keepIndex`. */
  private carryFailure(keepIndex: number): void {
    const first = this.failureFirstIndex(keepIndex);
    if (first === noFailure) {
      this.carriedDownStartMs = null;
      this.carriedDownSpans = [];
      return;
    }
    if (first !== carriedFailure) {
      this.carriedDownStartMs = this.stateTs[first]!;
      this.carriedDownSpans = [];
    }
    for (let index = Math.max(first, 0); index < keepIndex; index++) {
      if (this.isSuperseded(index) || this.stateCodes[index] !== stateCode.down) continue;
      this.carriedDownSpans.push(this.stateTs[index]!, this.stateTs[index + 1]!);
    }
  }

  private runStartAt(
    index: number,
    belongs: (code: number) => boolean,
    carriedStartMs: number | null,
  ): number {
    let first = index;
    for (let previous = index - 1; previous >= 0; previous--) {
      if (this.isSuperseded(previous)) continue;
      if (!belongs(this.stateCodes[previous]!)) break;
      first = previous;
    }
    if (first === firstEffectiveIndex(this) && carriedStartMs !== null) return carriedStartMs;
    return this.stateTs[first]!;
  }

  /** Time of the first effective state after `index` that does not satisfy `belongs`, or null. */
  runEndAfter(index: number, belongs: (code: number) => boolean): number | null {
    for (let next = index + 1; next < this.stateTs.length; next++) {
      if (this.isSuperseded(next)) continue;
      if (!belongs(this.stateCodes[next]!)) return this.stateTs[next]!;
    }
    return null;
  }

  get eventCount(): number {
    return this.stateTs.length + this.countTs.length;
  }
}

function firstEffectiveIndex(timeline: CellTimeline): number {
  let index = 0;
  while (timeline.isSuperseded(index)) index++;
  return index;
}

function compareOrigin(publisherA: string, seqA: number, publisherB: string, seqB: number): number {
  if (publisherA !== publisherB) return publisherA < publisherB ? -1 : 1;
  return seqA - seqB;
}

/** Where `value` goes in a sorted column, after any equal values; events mostly arrive in time order. */
function sortedPositionAfter(column: readonly number[], value: number): number {
  const length = column.length;
  return length === 0 || column[length - 1]! <= value ? length : upperBound(column, value);
}

function insertAt<T>(column: T[], index: number, value: T): void {
  if (index === column.length) column.push(value);
  else column.splice(index, 0, value);
}
