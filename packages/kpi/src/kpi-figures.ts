import type { KpiFlag, KpiLevel, KpiRecord, NullReason } from './kpi-record.js';
import { idealSeconds, type KpiTotals } from './kpi-totals.js';
import type { KpiWindow } from './kpi-window.js';
import type { ValueAddedFigures } from './value-added.js';
import { formatZonedIso } from './zoned-time.js';

/**
 * Turns pooled totals into a KPI record: every ratio is Σnumerator / Σdenominator of the totals
 * (KPI.md), and a ratio whose inputs are missing is null with a reason, never a default.
 */

export interface RecordIdentity {
  level: KpiLevel;
  path: string;
  window: KpiWindow;
  status: 'provisional' | 'final';
  revision: number;
  timeZone: string;
  /** Length of the part of the window already observed, ms (the whole window once final). */
  observedMs: number;
  /** Value-added figures for line level and above; null for cells. */
  valueAdded: ValueAddedFigures | null;
}

const msPerHour = 3_600_000;

// Every record of a window repeats its bounds: format each instant once.
const formattedInstants = new Map<string, string>();

function zonedIsoOf(epochMs: number, timeZone: string): string {
  const key = `${timeZone} ${epochMs}`;
  let text = formattedInstants.get(key);
  if (text === undefined) {
    if (formattedInstants.size >= 4096) formattedInstants.clear();
    text = formatZonedIso(epochMs, timeZone);
    formattedInstants.set(key, text);
  }
  return text;
}

export function buildKpiRecord(totals: KpiTotals, identity: RecordIdentity): KpiRecord {
  const nullReasons: Record<string, NullReason> = {};
  const flags = new Set<KpiFlag>();
  const ratioOf = (
    field: string,
    numerator: number | null,
    denominator: number,
    reason: NullReason,
  ): number | null => {
    if (numerator === null) return null;
    if (denominator === 0) {
      nullReasons[field] = reason;
      return null;
    }
    return numerator / denominator;
  };

  let idealBlocker: NullReason | null = null;
  if (totals.productsWithoutIdealCycle.size > 0) {
    idealBlocker = 'missing_ideal_cycle_time';
    flags.add('missing_ideal_cycle_time');
  } else if (totals.unitsWithoutProduct > 0) {
    idealBlocker = 'units_without_product';
  }
  if (totals.unitsWithoutProduct > 0) flags.add('units_without_product');
  const iotSeconds = idealBlocker === null ? idealSeconds(totals.unitsByIdealCycle, 'total') : null;
  const gotSeconds = idealBlocker === null ? idealSeconds(totals.unitsByIdealCycle, 'good') : null;
  if (idealBlocker !== null) {
    for (const field of ['iotSeconds', 'gotSeconds', 'performance', 'quality', 'oee', 'nee', 'teep']) {
      nullReasons[field] = idealBlocker;
    }
  }

  const atSeconds = totals.allMs / 1000;
  const pbtSeconds = totals.plannedBusyMs / 1000;
  const aptSeconds = totals.actualProductionMs / 1000;
  const asutSeconds = totals.setupMs / 1000;
  const totalUnits = totals.good + totals.scrap;

  const availability = ratioOf('availability', aptSeconds, pbtSeconds, 'no_planned_busy_time');
  const performance = ratioOf('performance', iotSeconds, aptSeconds, 'no_actual_production_time');
  if (performance !== null && performance > 1) flags.add('performance_above_1');
  const quality = ratioOf('quality', gotSeconds, iotSeconds ?? 0, 'no_units');
  const qualityCountRatio = ratioOf('qualityCountRatio', totals.good, totalUnits, 'no_units');
  const oee = ratioOf('oee', gotSeconds, pbtSeconds, 'no_planned_busy_time');
  let nee: number | null = null;
  if (gotSeconds !== null) {
    if (pbtSeconds === 0) nullReasons.nee = 'no_planned_busy_time';
    else if (aptSeconds === 0) nullReasons.nee = 'no_actual_production_time';
    // NEE = (APT + ASUT) / PBT × P × Q, and P × Q = GOT / APT.
    else nee = ((aptSeconds + asutSeconds) / pbtSeconds) * (gotSeconds / aptSeconds);
  }
  const utilisation = ratioOf('utilisation', pbtSeconds, atSeconds, 'no_time');
  const teep = ratioOf('teep', gotSeconds, atSeconds, 'no_time');
  const scrapRatio = ratioOf('scrapRatio', totals.scrap, totalUnits, 'no_units');
  const mtbfSeconds = ratioOf('mtbfSeconds', aptSeconds + asutSeconds, totals.failureCount, 'no_failures');
  const mttrSeconds = ratioOf(
    'mttrSeconds',
    totals.failureDowntimeMs / 1000,
    totals.failureCount,
    'no_failures',
  );

  if (totals.unknownMs > 0) flags.add('unknown_time');
  if (totals.pendingStopMs > 0) flags.add('stop_classification_pending');
  if (totals.stateConflicts > 0) flags.add('state_conflicts');
  if (totals.runOutsidePlanMs > 0) flags.add('running_outside_planned_time');
  if (totals.clockOutWithoutClockIn > 0) flags.add('clock_out_without_clock_in');
  if (totals.clockInWhileClockedIn > 0) flags.add('clock_in_while_clocked_in');
  if (identity.status === 'provisional') flags.add('provisional');

  const isCell = identity.level === 'cell';
  let bottleneckOee: number | null = null;
  let labourHours: number | null = null;
  let averageHeadcount: number | null = null;
  let goodUnitsPerLabourHour: number | null = null;
  let standardHoursPerLabourHour: number | null = null;
  if (isCell) {
    for (const field of [
      'bottleneckOee',
      'labourHours',
      'averageHeadcount',
      'goodUnitsPerLabourHour',
      'standardHoursPerLabourHour',
    ]) {
      nullReasons[field] = 'not_a_cell_figure';
    }
  } else {
    const linesWithBottleneck = totals.lines.size - totals.linesWithoutBottleneck.size;
    if (linesWithBottleneck === 0) nullReasons.bottleneckOee = 'no_bottleneck_configured';
    else if (idealBlocker !== null) nullReasons.bottleneckOee = idealBlocker;
    else {
      if (totals.linesWithoutBottleneck.size > 0) flags.add('bottleneck_missing_on_some_lines');
      bottleneckOee = ratioOf(
        'bottleneckOee',
        idealSeconds(totals.bottleneckUnitsByIdealCycle, 'good'),
        totals.bottleneckPlannedBusyMs / 1000,
        'no_planned_busy_time',
      );
    }
    if (totals.linesWithoutOutputCell.size > 0) flags.add('line_output_summed_over_cells');
    if (totals.linesWithPresenceHeadcount.size > 0) flags.add('headcount_from_presence');
    labourHours = totals.labourMs / msPerHour;
    averageHeadcount = ratioOf('averageHeadcount', totals.headcountMs, identity.observedMs, 'no_time');
    goodUnitsPerLabourHour = ratioOf(
      'goodUnitsPerLabourHour',
      totals.outputGood,
      labourHours,
      'no_labour_hours',
    );
    standardHoursPerLabourHour = ratioOf(
      'standardHoursPerLabourHour',
      gotSeconds === null ? null : gotSeconds / 3600,
      labourHours,
      'no_labour_hours',
    );
    if (gotSeconds === null && idealBlocker !== null) nullReasons.standardHoursPerLabourHour = idealBlocker;
  }

  const valueAdded = identity.valueAdded;
  if (valueAdded === null) {
    for (const field of [
      'valueAddedVnd',
      'valueAddedPerWorkerVnd',
      'valueAddedPerLabourHourVnd',
      'realGrowthPerLabourHour',
      'realGrowthPerWorker',
    ]) {
      nullReasons[field] = 'not_a_cell_figure';
    }
  } else {
    Object.assign(nullReasons, valueAdded.nullReasons);
  }

  const window = identity.window;
  return {
    level: identity.level,
    path: identity.path,
    window: window.kind,
    ...(window.shift === undefined ? {} : { shift: window.shift }),
    from: zonedIsoOf(window.startMs, identity.timeZone),
    to: zonedIsoOf(window.endMs, identity.timeZone),
    fromMs: window.startMs,
    toMs: window.endMs,
    status: identity.status,
    revision: identity.revision,
    minorStopConvention: 'availability',
    atSeconds,
    potSeconds: totals.plannedOperationMs / 1000,
    pbtSeconds,
    asutSeconds,
    downSeconds: totals.downMs / 1000,
    minorSeconds: totals.minorStopMs / 1000,
    aptSeconds,
    iotSeconds,
    gotSeconds,
    unknownSeconds: totals.unknownMs / 1000,
    plannedStopSeconds: totals.plannedStopMs / 1000,
    notScheduledSeconds: totals.notScheduledMs / 1000,
    goodUnits: totals.good,
    scrapUnits: totals.scrap,
    totalUnits,
    availability,
    performance,
    quality,
    qualityCountRatio,
    oee,
    nee,
    utilisation,
    teep,
    scrapRatio,
    failures: totals.failureCount,
    mtbfSeconds,
    mttrSeconds,
    bottleneckOee,
    labourHours,
    averageHeadcount,
    goodUnitsPerLabourHour,
    standardHoursPerLabourHour,
    valueAddedVnd: valueAdded?.valueAddedVnd ?? null,
    valueAddedPerWorkerVnd: valueAdded?.valueAddedPerWorkerVnd ?? null,
    valueAddedPerLabourHourVnd: valueAdded?.valueAddedPerLabourHourVnd ?? null,
    realGrowthPerLabourHour: valueAdded?.realGrowthPerLabourHour ?? null,
    realGrowthPerWorker: valueAdded?.realGrowthPerWorker ?? null,
    nationalTargets: valueAdded?.nationalTargets ?? [],
    nullReasons,
    flags: [...flags].sort(),
  };
}
