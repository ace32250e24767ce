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

/**
 * One cell's ground truth for the windows it is in: time per state, counts, and stops that wait for
 * their end to be classified as DOWN (≥ θ) or MINOR (< θ) by their whole duration. A window is handed
 * to the hub once the cell left it and no stop touching it is still open.
 */
export class CellWindows {
  private readonly entries = new Map<number, Entry>();
  /** Window → ms of the open stop inside it. */
  private readonly stopPieces = new Map<number, number>();
  private stopMs = 0;

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

  /** The current stop (a `down` or `idle` state interval) ended: classify it by its whole length. */
  endStop(): void {
    const minor = this.stopMs < this.thetaMs;
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
  }

  addParts(segment: Segment, ictMs: number, good: number, scrap: number): void {
    this.each(segment, (totals) => {
      totals.good += good;
      totals.scrap += scrap;
      totals.iotMs += ictMs * (good + scrap);
      totals.gotMs += ictMs * good;
    });
  }

  addFailure(segment: Segment): void {
    this.each(segment, (totals) => {
      totals.failures += 1;
    });
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
