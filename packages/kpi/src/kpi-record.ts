import { z } from 'zod';
import { windowKindSchema } from './kpi-window.js';

/**
 * One KPI record: the figures of one cell, line, site or enterprise over one window.
 *
 * Conventions: `from`/`to` are RFC 3339 strings with the site's UTC offset and `fromMs`/`toMs` the same
 * instants in epoch milliseconds; the window is [from, to). Times are seconds, ratios are fractions
 * (0.7479, not 74.79). Time elements of a line, site or enterprise are sums over its cells
 * (machine-seconds). A figure that cannot be computed is null and `nullReasons` says why.
 */

export const kpiLevels = ['cell', 'line', 'site', 'enterprise'] as const;
export const kpiLevelSchema = z.enum(kpiLevels);
export type KpiLevel = z.infer<typeof kpiLevelSchema>;

export const nullReasons = [
  'no_time',
  'no_planned_busy_time',
  'no_actual_production_time',
  'no_units',
  'missing_ideal_cycle_time',
  'units_without_product',
  'no_failures',
  'not_a_cell_figure',
  'no_bottleneck_configured',
  'no_labour_hours',
  'no_headcount',
  'window_is_not_a_financial_period',
  'no_financials_for_period',
  'no_financials_for_previous_year',
  'no_labour_for_previous_year',
] as const;
export const nullReasonSchema = z.enum(nullReasons);
export type NullReason = z.infer<typeof nullReasonSchema>;

export const kpiFlags = [
  /** The window is still open: figures cover [from, watermark) and will change. */
  'provisional',
  /** P above 1: an ideal cycle time is too long or run time is missing. Never capped. */
  'performance_above_1',
  /** Scheduled time without telemetry (no state yet, or the cell fell silent). */
  'unknown_time',
  /** A stop still going on is counted as minor for now; it becomes downtime if it reaches θ. */
  'stop_classification_pending',
  /** State messages of one cell at the same instant disagreed; the later seq was used. */
  'state_conflicts',
  /** The cell ran or set up while the plan said break or no shift. */
  'running_outside_planned_time',
  'missing_ideal_cycle_time',
  'units_without_product',
  'clock_out_without_clock_in',
  'clock_in_while_clocked_in',
  /** No output cell configured: line output is the sum over its cells. */
  'line_output_summed_over_cells',
  /** No roster headcount: average headcount is the time-weighted number of people present. */
  'headcount_from_presence',
  /** Some lines pooled here have no bottleneck cell; the bottleneck OEE covers the others. */
  'bottleneck_missing_on_some_lines',
] as const;
export const kpiFlagSchema = z.enum(kpiFlags);
export type KpiFlag = z.infer<typeof kpiFlagSchema>;

export const nationalTargetComparisonSchema = z.object({
  target: z.string(),
  source: z.string(),
  /** The lowest annual growth that meets the target. */
  annualGrowth: z.number(),
  /** Whether the record's year falls in the period the target covers. */
  appliesToYear: z.boolean(),
  met: z.boolean(),
  /** Growth minus the target rate. */
  gap: z.number(),
});
export type NationalTargetComparison = z.infer<typeof nationalTargetComparisonSchema>;

const ratio = z.number().nullable();

export const kpiRecordSchema = z.object({
  level: kpiLevelSchema,
  path: z.string(),
  window: windowKindSchema,
  shift: z.object({ calendarId: z.string(), shiftId: z.string(), date: z.string() }).optional(),
  from: z.string(),
  to: z.string(),
  fromMs: z.number(),
  toMs: z.number(),
  status: z.enum(['provisional', 'final']),
  /** Grows by one each time a changed record of this window is emitted; keep the highest. */
  revision: z.number().int().nonnegative(),
  /** Minor stops are availability losses (ISO 22400); A × P is the same under the other convention. */
  minorStopConvention: z.literal('availability'),
  atSeconds: z.number(),
  potSeconds: z.number(),
  pbtSeconds: z.number(),
  asutSeconds: z.number(),
  downSeconds: z.number(),
  minorSeconds: z.number(),
  aptSeconds: z.number(),
  iotSeconds: ratio,
  gotSeconds: ratio,
  unknownSeconds: z.number(),
  plannedStopSeconds: z.number(),
  notScheduledSeconds: z.number(),
  goodUnits: z.number(),
  scrapUnits: z.number(),
  totalUnits: z.number(),
  availability: ratio,
  performance: ratio,
  /** Time-weighted: GOT / IOT. */
  quality: ratio,
  /** good / total. */
  qualityCountRatio: ratio,
  oee: ratio,
  nee: ratio,
  utilisation: ratio,
  teep: ratio,
  scrapRatio: ratio,
  failures: z.number(),
  mtbfSeconds: ratio,
  mttrSeconds: ratio,
  /** Bottleneck cell's GOT / the line calendar's planned busy time (line level and above). */
  bottleneckOee: ratio,
  labourHours: ratio,
  averageHeadcount: ratio,
  goodUnitsPerLabourHour: ratio,
  standardHoursPerLabourHour: ratio,
  valueAddedVnd: ratio,
  valueAddedPerWorkerVnd: ratio,
  valueAddedPerLabourHourVnd: ratio,
  /** Real VA per labour hour against the same period a year before, as a fraction (0.07 = 7 %). */
  realGrowthPerLabourHour: ratio,
  /** Real VA per worker against the same period a year before. */
  realGrowthPerWorker: ratio,
  /** National targets, compared with realGrowthPerWorker (or per labour hour when that is missing). */
  nationalTargets: z.array(nationalTargetComparisonSchema),
  nullReasons: z.record(z.string(), nullReasonSchema),
  flags: z.array(kpiFlagSchema),
});
export type KpiRecord = z.infer<typeof kpiRecordSchema>;
