import { type Interval, intersectionOf, lengthOf, lowerBound, upperBound } from './intervals.js';
import type { LabourEvent } from './kpi-event.js';
import type { KpiTotals } from './kpi-totals.js';
import type { ShiftPlan } from './shift-calendar.js';

/**
 * Line-level quantities: labour time from clock-in/out or headcount snapshots (minus planned breaks),
 * the average-headcount integral, and the planned busy time that the bottleneck OEE divides by.
 */

interface WorkerAttendance {
  ts: number[];
  isClockIn: boolean[];
  seqs: number[];
  /** Clocked in since this instant when the pruned history ended that way; null when clocked out. */
  carriedClockInMs: number | null;
}

export class LineTimeline {
  readonly workers = new Map<string, WorkerAttendance>();
  readonly headcountTs: number[] = [];
  readonly headcountValues: number[] = [];
  /** Sticky: once a line has sent a clock event, `auto` labour comes from clock events. */
  hasClockEvents = false;

  insert(event: LabourEvent): void {
    if (event.event === 'headcount') {
      const index = upperBound(this.headcountTs, event.tsMs);
      this.headcountTs.splice(index, 0, event.tsMs);
      this.headcountValues.splice(index, 0, event.count);
      return;
    }
    this.hasClockEvents = true;
    let worker = this.workers.get(event.worker);
    if (worker === undefined) {
      worker = { ts: [], isClockIn: [], seqs: [], carriedClockInMs: null };
      this.workers.set(event.worker, worker);
    }
    let index = upperBound(worker.ts, event.tsMs);
    while (index > 0 && worker.ts[index - 1] === event.tsMs && worker.seqs[index - 1]! > event.seq) index--;
    worker.ts.splice(index, 0, event.tsMs);
    worker.isClockIn.splice(index, 0, event.event === 'clock_in');
    worker.seqs.splice(index, 0, event.seq);
  }

  /** Forgets history before `keepFromMs`, carrying who is clocked in and the headcount in force. */
  prune(keepFromMs: number): void {
    for (const [badge, worker] of this.workers) {
      const keepIndex = lowerBound(worker.ts, keepFromMs);
      if (keepIndex > 0) {
        worker.carriedClockInMs = walkAttendance(worker, keepFromMs, null).openSinceMs;
        worker.ts.splice(0, keepIndex);
        worker.isClockIn.splice(0, keepIndex);
        worker.seqs.splice(0, keepIndex);
      }
      if (worker.ts.length === 0 && worker.carriedClockInMs === null) this.workers.delete(badge);
    }
    const headcountKeepIndex = upperBound(this.headcountTs, keepFromMs - 1) - 1;
    if (headcountKeepIndex > 0) {
      this.headcountTs.splice(0, headcountKeepIndex);
      this.headcountValues.splice(0, headcountKeepIndex);
    }
  }
}

interface AttendanceWalk {
  intervals: Interval[];
  openSinceMs: number | null;
  clockOutWithoutClockIn: number;
  clockInWhileClockedIn: number;
}

/**
 * Pairs a worker's events in time order up to `untilMs`. A clock-in while clocked in and a clock-out
 * while clocked out are impossible intervals: they are ignored and counted when they fall in `countFromMs`
 * onward (null: never counted).
 */
function walkAttendance(
  worker: WorkerAttendance,
  untilMs: number,
  countFromMs: number | null,
): AttendanceWalk {
  const walk: AttendanceWalk = {
    intervals: [],
    openSinceMs: worker.carriedClockInMs,
    clockOutWithoutClockIn: 0,
    clockInWhileClockedIn: 0,
  };
  for (let index = 0; index < worker.ts.length && worker.ts[index]! < untilMs; index++) {
    const atMs = worker.ts[index]!;
    const counts = countFromMs !== null && atMs >= countFromMs;
    if (worker.isClockIn[index]) {
      if (walk.openSinceMs === null) walk.openSinceMs = atMs;
      else if (counts) walk.clockInWhileClockedIn++;
    } else if (walk.openSinceMs === null) {
      if (counts) walk.clockOutWithoutClockIn++;
    } else {
      walk.intervals.push({ startMs: walk.openSinceMs, endMs: atMs });
      walk.openSinceMs = null;
    }
  }
  if (walk.openSinceMs !== null) walk.intervals.push({ startMs: walk.openSinceMs, endMs: untilMs });
  return walk;
}

export interface LineContext {
  linePath: string;
  plan: ShiftPlan;
  hasBottleneck: boolean;
  hasOutputCell: boolean;
  /** Employed headcount from the roster, or null to use the people present. */
  rosterHeadcount: number | null;
  labourSource: 'clock' | 'headcount' | 'auto';
}

/** Adds the line's own elements over [fromMs, min(toMs, horizonMs)) to `totals`. */
export function addLineTimeElements(
  totals: KpiTotals,
  timeline: LineTimeline | undefined,
  context: LineContext,
  fromMs: number,
  toMs: number,
  horizonMs: number,
): void {
  const endMs = Math.min(toMs, horizonMs);
  totals.lines.add(context.linePath);
  if (!context.hasBottleneck) totals.linesWithoutBottleneck.add(context.linePath);
  if (!context.hasOutputCell) totals.linesWithoutOutputCell.add(context.linePath);
  if (context.rosterHeadcount === null) totals.linesWithPresenceHeadcount.add(context.linePath);
  if (endMs <= fromMs) return;

  const spans = context.plan.planSpans(fromMs, endMs);
  if (context.hasBottleneck) {
    for (const span of spans)
      if (span.kind === 'busy') totals.bottleneckPlannedBusyMs += span.endMs - span.startMs;
  }
  const breaks = spans.filter((span) => span.kind === 'break');

  const useClock =
    context.labourSource === 'clock' ||
    (context.labourSource === 'auto' && (timeline?.hasClockEvents ?? false));
  let presentMs = 0;
  if (timeline !== undefined && useClock) {
    for (const worker of timeline.workers.values()) {
      const walk = walkAttendance(worker, endMs, fromMs);
      totals.clockOutWithoutClockIn += walk.clockOutWithoutClockIn;
      totals.clockInWhileClockedIn += walk.clockInWhileClockedIn;
      const attended = intersectionOf(walk.intervals, [{ startMs: fromMs, endMs }]);
      const attendedMs = lengthOf(attended);
      presentMs += attendedMs;
      totals.labourMs += attendedMs - lengthOf(intersectionOf(attended, breaks));
    }
  } else if (timeline !== undefined) {
    const steps = headcountSteps(timeline, fromMs, endMs);
    for (const step of steps) {
      presentMs += step.count * (step.endMs - step.startMs);
      totals.labourMs += step.count * (step.endMs - step.startMs - lengthOf(intersectionOf([step], breaks)));
    }
  }
  totals.headcountMs +=
    context.rosterHeadcount === null ? presentMs : context.rosterHeadcount * (endMs - fromMs);
}

function headcountSteps(
  timeline: LineTimeline,
  fromMs: number,
  endMs: number,
): (Interval & { count: number })[] {
  const steps: (Interval & { count: number })[] = [];
  let index = Math.max(upperBound(timeline.headcountTs, fromMs) - 1, 0);
  for (; index < timeline.headcountTs.length; index++) {
    const startMs = Math.max(timeline.headcountTs[index]!, fromMs);
    const stopMs = Math.min(timeline.headcountTs[index + 1] ?? endMs, endMs);
    if (startMs >= endMs) break;
    if (stopMs > startMs) steps.push({ startMs, endMs: stopMs, count: timeline.headcountValues[index]! });
  }
  return steps;
}
