import { type CellTimeline, carriedFailure, isStopCode, stateCode, unknownState } from './cell-timeline.js';
import { upperBound } from './intervals.js';
import { addUnits, type KpiTotals } from './kpi-totals.js';
import type { PlanKind, PlanSpan, ShiftPlan } from './shift-calendar.js';

/**
 * Classifies one cell's time over [fromMs, toMs) into the time elements of KPI.md and adds them, with
 * the units counted in that range, to a totals object.
 *
 * Precedence: the plan first (no shift → not scheduled, break → planned stop), then the state:
 * `not_scheduled` → out of POT; `planned_stop` → out of PBT; no state known → unknown (inside PBT, a
 * loss that is not APT); `running` → APT; `setup` → ASUT; `idle`, `down`, `off` → a stop, DOWN when the
 * whole stop (consecutive stop states, wall-clock) lasts at least θ, else MINOR.
 */

export interface CellContext {
  /** θ, ms. */
  minorStopThresholdMs: number;
  /** A cell silent this long is in unknown state until it is heard again; null: never. */
  silenceGapMs: number | null;
  plan: ShiftPlan;
  /** Ideal cycle time of a product on this cell, seconds, or undefined when the master data has none. */
  idealCycleSeconds(product: string): number | undefined;
  isBottleneck: boolean;
  /** Its good units count as the line's output. */
  countsAsLineOutput: boolean;
}

interface StopEpisode {
  isDown: boolean;
  isPending: boolean;
}

/** One classification pass; module-level functions take it instead of closures (this is the hot path). */
interface Pass {
  totals: KpiTotals;
  timeline: CellTimeline;
  context: CellContext;
  fromMs: number;
  endMs: number;
  horizonMs: number;
  episodes: Map<number, StopEpisode> | null;
  countedFailureStarts: Set<number> | null;
}

/**
 * Adds the cell's elements over [fromMs, min(toMs, horizonMs)) to `totals`. `horizonMs` is how far the
 * timeline is known: the last state holds until it, and a stop still going on at it is judged on its
 * length so far.
 */
export function addCellTimeElements(
  totals: KpiTotals,
  timeline: CellTimeline,
  context: CellContext,
  fromMs: number,
  toMs: number,
  horizonMs: number,
): void {
  const endMs = Math.min(toMs, horizonMs);
  if (endMs <= fromMs) return;
  totals.allMs += endMs - fromMs;
  const pass: Pass = {
    totals,
    timeline,
    context,
    fromMs,
    endMs,
    horizonMs,
    episodes: null,
    countedFailureStarts: null,
  };

  const firstIndex = timeline.stateIndexAt(fromMs);
  if (firstIndex < 0) classify(pass, fromMs, Math.min(timeline.stateTs[0] ?? endMs, endMs), unknownState, -1);
  let startIndex = Math.max(firstIndex, 0);
  // Conflicting messages exactly at fromMs sit before the one that wins; visit them to count them.
  while (startIndex > 0 && timeline.stateTs[startIndex - 1] === timeline.stateTs[startIndex]) startIndex--;
  for (let index = startIndex; index < timeline.stateTs.length; index++) {
    const stateStartMs = timeline.stateTs[index]!;
    if (stateStartMs >= endMs) break;
    if (timeline.isSuperseded(index)) {
      if (stateStartMs >= fromMs && timeline.stateCodes[index] !== timeline.stateCodes[index + 1]) {
        totals.stateConflicts += 1;
      }
      continue;
    }
    const startMs = Math.max(stateStartMs, fromMs);
    const stopMs = Math.min(timeline.stateTs[index + 1] ?? endMs, endMs);
    if (stopMs > startMs) {
      const code = timeline.stateCodes[index]!;
      classify(pass, startMs, stopMs, code, index);
      if (code === stateCode.down) countFailure(pass, index);
    }
  }

  addCounts(totals, timeline, context, fromMs, endMs);
}

function classify(pass: Pass, startMs: number, stopMs: number, code: number, stateIndex: number): void {
  const gapMs = pass.context.silenceGapMs;
  for (const span of pass.context.plan.planSpans(startMs, stopMs)) {
    if (code === unknownState || gapMs === null) {
      addPiece(pass, span.kind, code, span.endMs - span.startMs, stateIndex);
    } else {
      forEachCoverage(pass, gapMs, span, code, stateIndex);
    }
  }
}

function addPiece(pass: Pass, planKind: PlanKind, code: number, lengthMs: number, stateIndex: number): void {
  const totals = pass.totals;
  if (planKind === 'off' || code === stateCode.not_scheduled) {
    totals.notScheduledMs += lengthMs;
    if (code === stateCode.running || code === stateCode.setup) totals.runOutsidePlanMs += lengthMs;
    return;
  }
  totals.plannedOperationMs += lengthMs;
  if (planKind === 'break' || code === stateCode.planned_stop) {
    totals.plannedStopMs += lengthMs;
    if (code === stateCode.running || code === stateCode.setup) totals.runOutsidePlanMs += lengthMs;
    return;
  }
  totals.plannedBusyMs += lengthMs;
  if (code === unknownState) totals.unknownMs += lengthMs;
  else if (code === stateCode.running) totals.actualProductionMs += lengthMs;
  else if (code === stateCode.setup) totals.setupMs += lengthMs;
  else {
    const episode = episodeOf(pass, stateIndex);
    if (episode.isDown) {
      totals.downMs += lengthMs;
      if (code === stateCode.down) totals.failureDowntimeMs += lengthMs;
    } else {
      totals.minorStopMs += lengthMs;
      if (episode.isPending) totals.pendingStopMs += lengthMs;
    }
  }
}

function episodeOf(pass: Pass, stateIndex: number): StopEpisode {
  pass.episodes ??= new Map();
  let episode = pass.episodes.get(stateIndex);
  if (episode !== undefined) return episode;
  const timeline = pass.timeline;
  const startMs = timeline.stopStartAt(stateIndex);
  const stopEndMs = timeline.runEndAfter(stateIndex, isStopCode);
  const isDown = (stopEndMs ?? pass.horizonMs) - startMs >= pass.context.minorStopThresholdMs;
  episode = { isDown, isPending: stopEndMs === null && !isDown };
  pass.episodes.set(stateIndex, episode);
  return episode;
}

/**
 * A failure is a run of `down` states that `planned_stop` / `not_scheduled` states (and plan breaks or
 * off time) do not end; any other state does. It is counted once, in the window holding its first
 * planned busy `down` instant, when at least one of its stops lasts at least θ.
 */
function countFailure(pass: Pass, stateIndex: number): void {
  const timeline = pass.timeline;
  const first = timeline.failureFirstIndex(stateIndex);
  const downStartMs = first === carriedFailure ? timeline.carriedDownStartMs! : timeline.stateTs[first]!;
  pass.countedFailureStarts ??= new Set();
  if (pass.countedFailureStarts.has(downStartMs)) return;
  pass.countedFailureStarts.add(downStartMs);
  const plan = pass.context.plan;
  const horizonMs = pass.horizonMs;
  const endIndex = timeline.failureEndIndexAfter(stateIndex);
  // Settling never passes the start of a failure none of whose stops has reached θ yet (kpi-engine), so
  // one that began before the kept states has such a stop.
  let isFailure = first === carriedFailure;
  let firstBusy: number | null = null;
  if (first === carriedFailure) {
    const spans = timeline.carriedDownSpans;
    // Its busy instants before the kept states were counted (or not) in a pass before this one.
    for (let index = 0; index < spans.length; index += 2) {
      if (plan.firstBusyInstant(spans[index]!, spans[index + 1]!) !== null) return;
    }
  }
  for (let index = Math.max(first, 0); index < endIndex; index++) {
    if (timeline.isSuperseded(index) || timeline.stateCodes[index] !== stateCode.down) continue;
    if (!isFailure && episodeOf(pass, index).isDown) isFailure = true;
    if (firstBusy === null) {
      const stopMs = Math.min(timeline.stateTs[index + 1] ?? horizonMs, horizonMs);
      firstBusy = plan.firstBusyInstant(timeline.stateTs[index]!, stopMs);
    }
    if (isFailure && firstBusy !== null) break;
  }
  if (isFailure && firstBusy !== null && firstBusy >= pass.fromMs && firstBusy < pass.endMs) {
    pass.totals.failureCount += 1;
  }
}

/**
 * Splits a plan span into heard and silent parts: an instant is heard when the cell sent anything during
 * the `gapMs` before it; silent parts are unknown.
 */
function forEachCoverage(pass: Pass, gapMs: number, span: PlanSpan, code: number, stateIndex: number): void {
  const heardTs = pass.timeline.heardTs;
  const endMs = span.endMs;
  let position = span.startMs;
  let index = upperBound(heardTs, position) - 1;
  while (position < endMs) {
    let heardUntil = index >= 0 ? heardTs[index]! + gapMs : Number.NEGATIVE_INFINITY;
    if (heardUntil > position) {
      while (index + 1 < heardTs.length && heardTs[index + 1]! <= heardUntil && heardUntil < endMs) {
        index++;
        heardUntil = Math.max(heardUntil, heardTs[index]! + gapMs);
      }
      const until = Math.min(heardUntil, endMs);
      addPiece(pass, span.kind, code, until - position, stateIndex);
      position = until;
    } else {
      const until = Math.min(heardTs[index + 1] ?? Number.POSITIVE_INFINITY, endMs);
      addPiece(pass, span.kind, unknownState, until - position, stateIndex);
      position = until;
      index++;
    }
  }
}

function addCounts(
  totals: KpiTotals,
  timeline: CellTimeline,
  context: CellContext,
  fromMs: number,
  endMs: number,
): void {
  const countTs = timeline.countTs;
  // A count reports the units made since the previous one: it belongs to the time before its stamp,
  // so the range [fromMs, endMs) of time owns the counts with fromMs < ts ≤ endMs.
  let index = upperBound(countTs, fromMs);
  for (; index < countTs.length && countTs[index]! <= endMs; index++) {
    const good = timeline.countGood[index]!;
    const scrap = timeline.countScrap[index]!;
    totals.good += good;
    totals.scrap += scrap;
    if (context.countsAsLineOutput) totals.outputGood += good;
    const product =
      timeline.countProducts[index] ??
      timeline.stateProducts[timeline.stateIndexAt(countTs[index]! - 1)] ??
      undefined;
    if (product === undefined) {
      totals.unitsWithoutProduct += good + scrap;
      continue;
    }
    const idealCycleSeconds = context.idealCycleSeconds(product);
    if (idealCycleSeconds === undefined) {
      totals.productsWithoutIdealCycle.add(product);
      continue;
    }
    addUnits(totals.unitsByIdealCycle, idealCycleSeconds, good + scrap, good);
    if (context.isBottleneck)
      addUnits(totals.bottleneckUnitsByIdealCycle, idealCycleSeconds, good + scrap, good);
  }
}
