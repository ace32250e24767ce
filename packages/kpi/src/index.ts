/**
 * @mekong/kpi — ISO 22400 OEE and labour productivity from state, count and labour events.
 * Pure and deterministic: no clock, no I/O; time comes in as arguments.
 */

export { type CellAncestry, cellAncestry, isCellPath, isLinePath } from './asset-path.js';
export {
  type ComputedKpis,
  type ComputeKpisOptionsInput,
  computeKpis,
  computeKpisOptionsSchema,
} from './compute-kpis.js';
export { KpiError, type KpiErrorCode, kpiErrorCodes } from './errors.js';
export { type EventRejectionReason, eventRejectionReasons } from './event-check.js';
export { kpiEventFromMessage } from './from-telemetry-message.js';
export {
  createKpiEngine,
  type IngestOutcome,
  type KpiEngine,
  type KpiEngineOptions,
  type KpiEngineOptionsInput,
  type KpiEngineStats,
  kpiEngineOptionsSchema,
  type RejectedEvent,
} from './kpi-engine.js';
export {
  type AttendanceEvent,
  type CountEvent,
  countEventSchema,
  type HeadcountEvent,
  type KpiEvent,
  kpiEventSchema,
  type LabourEvent,
  labourEventSchema,
  type MachineState,
  machineStateSchema,
  machineStates,
  type StateEvent,
  stateEventSchema,
} from './kpi-event.js';
export {
  type KpiFlag,
  type KpiLevel,
  type KpiRecord,
  kpiFlags,
  kpiLevels,
  kpiRecordSchema,
  type NationalTargetComparison,
  type NullReason,
  nullReasons,
} from './kpi-record.js';
export { financialPeriodOf, type KpiWindow, type WindowKind, windowKinds } from './kpi-window.js';
export {
  type FinancialPeriod,
  type MasterData,
  type MasterDataInput,
  masterDataJsonSchema,
  masterDataSchema,
  parseMasterData,
} from './master-data.js';
export {
  compareWithNationalTargets,
  compoundAnnualGrowthRate,
  type NationalTarget,
  nationalTargets,
} from './value-added.js';
export { formatZonedIso } from './zoned-time.js';
