import type { MachineState } from '@mekong/contracts';
import type { Schedule, Segment } from '../core/schedule.js';
import type { Totals } from './totals.js';
import { emptyTotals } from './totals.js';
import type { TruthHub } from './truth-hub.js';

interface Entry {
  totals: Totals;
  /** Open stops that put time in this window and are not classified yet. */
  pendingStops: number;
  ended: boolean;
}

/** A failure from its start to the end of its repair, however many stops (breaks split it) it takes. */
interface OpenFailure {
  /** The day and shift windows where it started: it is counted there. */
  windows: number[];
  /** One of its stops lasted at least θ: it is a failure, not a minor stop. */
  qualifies: boolean;
  /** The repair is over; it is settled when its last stop is classified. */
  repaired: boolean;
}

/**
 * One cell's ground truth for the windows it is in: time per state, counts, stops that wait for their
 * end to be classified as DOWN (≥ θ) or MINOR (< θ) by their whole duration, and failures that wait for
 * their repair to know whether any of their stops reached θ. A stop is a run of consecutive `down` /
 * `idle` states. A window is handed to the hub once the cell left it and no stop or failure touching it
 * is still open.
 */
export class CellWindows {
  private readonly entries = new Map<number, Entry>();
  /** Window → ms of the open stop inside it. */
  private readonly stopPieces = new Map<number, number>();
  private stopMs = 0;
  private failure: OpenFailure | undefined;

  constructor(
    private readonly cellIndex: number,
    private readonly schedule: Schedule,
    private readonly hub: TruthHub,
    private readonly thetaMs: number,
  ) {}

  private entry(window: number): Entry {
    let entry = this.entries.get(window);
    if (entry === undefined) {
      entry = { totals: emptyTotals(), pendingStops: 0, ended: false };
      this.entries.set(window, entry);
    }
    return entry;
  }

  private each(segment: Segment, apply: (totals: Totals, window: number) => void): void {
    apply(this.entry(segment.day).totals, segment.day);
    if (segment.shift >= 0) apply(this.entry(segment.shift).totals, segment.shift);
  }

  /** `ms` spent in `state` inside `segment`. */
  addTime(segment: Segment, state: MachineState, ms: number): void {
    if (ms <= 0) return;
    this.each(segment, (totals) => {
      totals.atMs += ms;
      switch (state) {
        case 'running':
          totals.runningMs += ms;
          break;
        case 'setup':
          totals.setupMs += ms;
          break;
        case 'planned_stop':
          totals.plannedStopMs += ms;
          break;
        case 'not_scheduled':
        case 'off':
          totals.notScheduledMs += ms;
          break;
        case 'down':
        case 'idle':
          break;
      }
    });
    if (state === 'down' || state === 'idle') {
      this.stopMs += ms;
      this.each(segment, (_, window) => {
        const before = this.stopPieces.get(window);
        if (before === undefined) this.entry(window).pendingStops += 1;
        this.stopPieces.set(window, (before ?? 0) + ms);
      });
    }
  }

  /** The current stop (a run of `down` / `idle` states) ended: classify it by its whole length. */
  endStop(): void {
    const minor = this.stopMs < this.thetaMs;
    if (this.failure !== undefined && !minor) this.failure.qualifies = true;
    const touched = [...this.stopPieces.keys()];
    for (const [window, ms] of this.stopPieces) {
      const entry = this.entry(window);
      if (minor) entry.totals.minorMs += ms;
      else entry.totals.downMs += ms;
    }
    this.stopPieces.clear();
    this.stopMs = 0;
    for (const window of touched) {
      this.entry(window).pendingStops -= 1;
      this.tryClose(window);
    }
    if (this.failure?.repaired === true) this.settleFailure();
  }

  addParts(segment: Segment, ictMs: number, good: number, scrap: number): void {
    this.each(segment, (totals) => {
      totals.good += good;
      totals.scrap += scrap;
      totals.iotMs += ictMs * (good + scrap);
      totals.gotMs += ictMs * good;
    });
  }

  /** A failure starts in `segment`; its windows stay open until it is repaired and classified. */
  startFailure(segment: Segment): void {
    if (this.failure !== undefined) this.settleFailure();
    const windows = segment.shift >= 0 ? [segment.day, segment.shift] : [segment.day];
    for (const window of windows) this.entry(window).pendingStops += 1;
    this.failure = { windows, qualifies: false, repaired: false };
  }

  /** The failure's repair is over (or the run ended): it counts once its last stop is classified. */
  endFailure(): void {
    if (this.failure === undefined) return;
    this.failure.repaired = true;
    if (this.stopPieces.size === 0) this.settleFailure();
  }

  private settleFailure(): void {
    const failure = this.failure;
    if (failure === undefined) return;
    this.failure = undefined;
    for (const window of failure.windows) {
      const entry = this.entry(window);
      if (failure.qualifies) entry.totals.failures += 1;
      entry.pendingStops -= 1;
      this.tryClose(window);
    }
  }

  /** The cell moves from `segment` to `next` (undefined at the end): windows it leaves end. */
  leave(segment: Segment, next: Segment | undefined): void {
    if (next === undefined || next.day !== segment.day) this.end(segment.day);
    if (segment.shift >= 0 && (next === undefined || next.shift !== segment.shift)) this.end(segment.shift);
  }

  private end(window: number): void {
    this.entry(window).ended = true;
    this.tryClose(window);
  }

  private tryClose(window: number): void {
    const entry = this.entries.get(window);
    if (entry === undefined || !entry.ended || entry.pendingStops > 0) return;
    this.entries.delete(window);
    const truthWindow = this.schedule.windows[window];
    if (truthWindow !== undefined) this.hub.cellClosed(this.cellIndex, truthWindow, entry.totals);
  }
}
