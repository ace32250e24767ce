/**
 * The additive quantities behind every KPI: time elements in milliseconds, unit counts, failure
 * counts and labour time. KPIs of any cell, line, site or period are ratios of sums of these, so a
 * window's totals are exactly the sum of the totals of its parts (KPI.md, Aggregation).
 */

/** Units made at one ideal cycle time; IOT and GOT are computed from these at the end. */
export interface UnitsAtIdealCycle {
  total: number;
  good: number;
}

export interface KpiTotals {
  /** AT: all observed time. */
  allMs: number;
  /** POT: AT minus time the calendar or the cell marks as not scheduled. */
  plannedOperationMs: number;
  /** PBT: POT minus planned stops (calendar breaks, `planned_stop` state). */
  plannedBusyMs: number;
  /** ASUT: setup / changeover. */
  setupMs: number;
  /** DOWN: stops lasting at least θ. */
  downMs: number;
  /** MINOR: stops shorter than θ. */
  minorStopMs: number;
  /** Part of MINOR whose stop is still going on and may yet reach θ. */
  pendingStopMs: number;
  /** APT: time in `running` inside PBT. */
  actualProductionMs: number;
  /** Scheduled time with no state known (before the first state, or after the silence gap). */
  unknownMs: number;
  plannedStopMs: number;
  notScheduledMs: number;
  /** Time in `running` or `setup` outside PBT (the plan said break or no shift). */
  runOutsidePlanMs: number;
  good: number;
  scrap: number;
  /** Units by ideal cycle time (seconds): IOT = Σ ict × total, GOT = Σ ict × good. */
  unitsByIdealCycle: Map<number, UnitsAtIdealCycle>;
  /** Products counted that have no ideal cycle time in the master data. */
  productsWithoutIdealCycle: Set<string>;
  /** Units whose product is unknown (no product on the count nor on the state). */
  unitsWithoutProduct: number;
  /** Stops of at least θ that include a `down` state, counted once at their first planned busy instant. */
  failureCount: number;
  /** DOWN time of those failures. */
  failureDowntimeMs: number;
  /** State messages of one cell at the same instant that disagree (the later seq wins). */
  stateConflicts: number;
  /** Units of the bottleneck cells, by ideal cycle time. */
  bottleneckUnitsByIdealCycle: Map<number, UnitsAtIdealCycle>;
  /** Planned busy time of the calendars of lines that have a bottleneck cell. */
  bottleneckPlannedBusyMs: number;
  /** Good units leaving lines (their output cell, or every cell when none is configured). */
  outputGood: number;
  /** Attended labour time minus planned breaks, worker-milliseconds. */
  labourMs: number;
  /** ∫ headcount dt: roster headcount, or people present when no roster is given. */
  headcountMs: number;
  clockOutWithoutClockIn: number;
  clockInWhileClockedIn: number;
  /** Lines seen in these totals, and those that lack a configuration a figure needs. */
  lines: Set<string>;
  linesWithoutBottleneck: Set<string>;
  linesWithoutOutputCell: Set<string>;
  linesWithPresenceHeadcount: Set<string>;
}

export function emptyTotals(): KpiTotals {
  return {
    allMs: 0,
    plannedOperationMs: 0,
    plannedBusyMs: 0,
    setupMs: 0,
    downMs: 0,
    minorStopMs: 0,
    pendingStopMs: 0,
    actualProductionMs: 0,
    unknownMs: 0,
    plannedStopMs: 0,
    notScheduledMs: 0,
    runOutsidePlanMs: 0,
    good: 0,
    scrap: 0,
    unitsByIdealCycle: new Map(),
    productsWithoutIdealCycle: new Set(),
    unitsWithoutProduct: 0,
    failureCount: 0,
    failureDowntimeMs: 0,
    stateConflicts: 0,
    bottleneckUnitsByIdealCycle: new Map(),
    bottleneckPlannedBusyMs: 0,
    outputGood: 0,
    labourMs: 0,
    headcountMs: 0,
    clockOutWithoutClockIn: 0,
    clockInWhileClockedIn: 0,
    lines: new Set(),
    linesWithoutBottleneck: new Set(),
    linesWithoutOutputCell: new Set(),
    linesWithPresenceHeadcount: new Set(),
  };
}

/** Makes `totals` empty again, keeping its collections: for a scratch totals object reused in a loop. */
export function resetTotals(totals: KpiTotals): void {
  totals.allMs = 0;
  totals.plannedOperationMs = 0;
  totals.plannedBusyMs = 0;
  totals.setupMs = 0;
  totals.downMs = 0;
  totals.minorStopMs = 0;
  totals.pendingStopMs = 0;
  totals.actualProductionMs = 0;
  totals.unknownMs = 0;
  totals.plannedStopMs = 0;
  totals.notScheduledMs = 0;
  totals.runOutsidePlanMs = 0;
  totals.good = 0;
  totals.scrap = 0;
  totals.unitsWithoutProduct = 0;
  totals.failureCount = 0;
  totals.failureDowntimeMs = 0;
  totals.stateConflicts = 0;
  totals.bottleneckPlannedBusyMs = 0;
  totals.outputGood = 0;
  totals.labourMs = 0;
  totals.headcountMs = 0;
  totals.clockOutWithoutClockIn = 0;
  totals.clockInWhileClockedIn = 0;
  clearIfAny(totals.unitsByIdealCycle);
  clearIfAny(totals.productsWithoutIdealCycle);
  clearIfAny(totals.bottleneckUnitsByIdealCycle);
  clearIfAny(totals.lines);
  clearIfAny(totals.linesWithoutBottleneck);
  clearIfAny(totals.linesWithoutOutputCell);
  clearIfAny(totals.linesWithPresenceHeadcount);
}

function clearIfAny(collection: Map<unknown, unknown> | Set<unknown>): void {
  if (collection.size > 0) collection.clear();
}

export function addUnits(
  units: Map<number, UnitsAtIdealCycle>,
  idealCycleSeconds: number,
  total: number,
  good: number,
): void {
  const entry = units.get(idealCycleSeconds);
  if (entry === undefined) units.set(idealCycleSeconds, { total, good });
  else {
    entry.total += total;
    entry.good += good;
  }
}

/** Adds `part` into `into` (mutates `into`). Written out field by field: this is the hot path of folding. */
export function addTotals(into: KpiTotals, part: KpiTotals): KpiTotals {
  into.allMs += part.allMs;
  into.plannedOperationMs += part.plannedOperationMs;
  into.plannedBusyMs += part.plannedBusyMs;
  into.setupMs += part.setupMs;
  into.downMs += part.downMs;
  into.minorStopMs += part.minorStopMs;
  into.pendingStopMs += part.pendingStopMs;
  into.actualProductionMs += part.actualProductionMs;
  into.unknownMs += part.unknownMs;
  into.plannedStopMs += part.plannedStopMs;
  into.notScheduledMs += part.notScheduledMs;
  into.runOutsidePlanMs += part.runOutsidePlanMs;
  into.good += part.good;
  into.scrap += part.scrap;
  into.unitsWithoutProduct += part.unitsWithoutProduct;
  into.failureCount += part.failureCount;
  into.failureDowntimeMs += part.failureDowntimeMs;
  into.stateConflicts += part.stateConflicts;
  into.bottleneckPlannedBusyMs += part.bottleneckPlannedBusyMs;
  into.outputGood += part.outputGood;
  into.labourMs += part.labourMs;
  into.headcountMs += part.headcountMs;
  into.clockOutWithoutClockIn += part.clockOutWithoutClockIn;
  into.clockInWhileClockedIn += part.clockInWhileClockedIn;
  for (const [ict, units] of part.unitsByIdealCycle)
    addUnits(into.unitsByIdealCycle, ict, units.total, units.good);
  for (const [ict, units] of part.bottleneckUnitsByIdealCycle) {
    addUnits(into.bottleneckUnitsByIdealCycle, ict, units.total, units.good);
  }
  addAll(into.productsWithoutIdealCycle, part.productsWithoutIdealCycle);
  addAll(into.lines, part.lines);
  addAll(into.linesWithoutBottleneck, part.linesWithoutBottleneck);
  addAll(into.linesWithoutOutputCell, part.linesWithoutOutputCell);
  addAll(into.linesWithPresenceHeadcount, part.linesWithPresenceHeadcount);
  return into;
}

function addAll(into: Set<string>, part: Set<string>): void {
  if (part.size > 0) for (const value of part) into.add(value);
}

/** A new totals object equal to the sum of the given ones. */
export function sumTotals(parts: Iterable<KpiTotals>): KpiTotals {
  const sum = emptyTotals();
  for (const part of parts) addTotals(sum, part);
  return sum;
}

/**
 * Σ ict × units in seconds, summed in ascending order of ict so that equal unit counts always give
 * bit-identical results however the totals were split and re-added.
 */
export function idealSeconds(units: Map<number, UnitsAtIdealCycle>, which: keyof UnitsAtIdealCycle): number {
  let seconds = 0;
  for (const ict of [...units.keys()].sort((a, b) => a - b)) seconds += ict * units.get(ict)![which];
  return seconds;
}
