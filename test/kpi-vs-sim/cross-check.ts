import { parseMessage } from '@mekong/contracts';
import type { Scenario, TruthRow } from '@mekong/factory-simulator';
import { collectingSink, createSimulation } from '@mekong/factory-simulator';
import type { KpiEvent, KpiRecord, MasterDataInput } from '@mekong/kpi';
import { computeKpis, kpiEventFromMessage } from '@mekong/kpi';

/**
 * Cross-check of the KPI engine (`@mekong/kpi`) against the simulator's ground truth: the engine reads
 * only the recording and the master data; the truth comes from the simulator's internal state.
 *
 * Every figure is compared as it is: the conventions the two once differed on (a count at a window's
 * end, a failure interrupted by planned time) are settled in the engine (test/kpi-vs-sim/README.md).
 */
export interface Recorded {
  scenario: Scenario;
  startMs: number;
  endMs: number;
  rows: TruthRow[];
  events: KpiEvent[];
  /** JSONL lines, `{"topic","payload"}` per line (only when asked for). */
  jsonl?: string[];
}

const encoder = new TextEncoder();

/** One recording line → the engine's event, through the contract's parser (undefined: sensor or alarm). */
export function eventOfLine(topic: string, payload: unknown): KpiEvent | undefined {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const parsed = parseMessage(topic, encoder.encode(text));
  if (!parsed.ok) throw new Error(`${topic}: ${parsed.error.message}`);
  return kpiEventFromMessage(parsed.value);
}

/** Records a scenario (no faults) and keeps its ground truth and the engine's events of the stream. */
export function record(
  scenario: Scenario,
  options: { seed: string; startMs?: number; durationMs?: number },
): Recorded {
  const sink = collectingSink();
  const simulation = createSimulation(scenario, {
    seed: options.seed,
    ...(options.startMs === undefined ? {} : { startMs: options.startMs }),
    ...(options.durationMs === undefined ? {} : { durationMs: options.durationMs }),
    truth: sink,
  });
  const events: KpiEvent[] = [];
  for (const message of simulation.messages()) {
    // The recording's line, read back as `mekong kpi` reads it.
    const line = JSON.parse(JSON.stringify({ topic: message.topic, payload: message.payload })) as {
      topic: string;
      payload: unknown;
    };
    const event = eventOfLine(line.topic, line.payload);
    if (event !== undefined) events.push(event);
  }
  if (sink.faults.length > 0) throw new Error('the cross-check runs without faults');
  return { scenario, startMs: simulation.startMs, endMs: simulation.endMs, rows: sink.rows, events };
}

export function engineRecords(
  events: KpiEvent[],
  master: MasterDataInput,
  fromMs: number,
  toMs: number,
): { records: KpiRecord[]; rejected: number } {
  const { records, rejected } = computeKpis(events, master, {
    from: fromMs,
    to: toMs,
    window: ['shift', 'day'],
    level: ['cell', 'line', 'site'],
  });
  return { records, rejected: rejected.length };
}

/** `level|path|window|key` with the truth's window key: `YYYY-MM-DD` or `YYYY-MM-DD/<shift>`. */
function truthKey(row: TruthRow): string {
  return `${row.level}|${row.path}|${row.window}|${row.key}`;
}

function recordKey(record: KpiRecord): string {
  const key =
    record.window === 'shift' && record.shift !== undefined
      ? `${record.shift.date}/${record.shift.shiftId}`
      : record.from.slice(0, 10); // the local date: `from` is written in the site's offset
  return `${record.level}|${record.path}|${record.window}|${key}`;
}

export interface Comparison {
  /** Every difference outside the tolerances: empty when engine and truth agree. */
  mismatches: string[];
  rowsCompared: number;
}

const exactTimes = [
  ['AT', 'atSeconds'],
  ['POT', 'potSeconds'],
  ['PBT', 'pbtSeconds'],
  ['ASUT', 'asutSeconds'],
  ['DOWN', 'downSeconds'],
  ['MINOR', 'minorSeconds'],
  ['APT', 'aptSeconds'],
] as const;

function closeEnough(engine: number | null, truth: number | null): boolean {
  if (engine === null || truth === null) return engine === truth;
  return Math.abs(engine - truth) <= 1e-9 * Math.max(1, Math.abs(truth));
}

/**
 * Compares every truth row with the engine record of the same level, path and window: times and counts
 * exactly, ratios within 1e-9.
 */
export function compare(recorded: Recorded, records: KpiRecord[]): Comparison {
  const mismatches: string[] = [];
  const byKey = new Map<string, KpiRecord>();
  for (const record of records) {
    const key = recordKey(record);
    if (byKey.has(key)) mismatches.push(`${key}: two engine records`);
    byKey.set(key, record);
  }

  for (const row of recorded.rows) {
    const key = truthKey(row);
    const record = byKey.get(key);
    if (record === undefined) {
      mismatches.push(`${key}: no engine record`);
      continue;
    }
    byKey.delete(key);
    const differ = (field: string, engine: unknown, truth: unknown) =>
      mismatches.push(`${key} ${field}: engine ${String(engine)}, truth ${String(truth)}`);
    const fromMs = Date.parse(row.from);
    const toMs = Date.parse(row.to);
    if (record.fromMs !== fromMs || record.toMs !== toMs) differ('[from, to)', record.from, row.from);

    for (const [truthField, engineField] of exactTimes) {
      if (record[engineField] !== row[truthField]) differ(truthField, record[engineField], row[truthField]);
    }
    if (record.unknownSeconds !== 0) differ('unknown time', record.unknownSeconds, 0);
    const labourHours = row.level === 'cell' ? null : row.labourHours;
    if (record.labourHours !== labourHours) differ('labourHours', record.labourHours, labourHours);

    if (record.goodUnits !== row.good) differ('good', record.goodUnits, row.good);
    if (record.scrapUnits !== row.scrap) differ('scrap', record.scrapUnits, row.scrap);
    if (record.totalUnits !== row.good + row.scrap) differ('total', record.totalUnits, row.good + row.scrap);
    if (record.iotSeconds !== row.IOT) differ('IOT', record.iotSeconds, row.IOT);
    if (record.gotSeconds !== row.GOT) differ('GOT', record.gotSeconds, row.GOT);

    const ratios: [string, number | null, number | null][] = [
      ['A', record.availability, row.A],
      ['P', record.performance, row.P],
      ['Q', record.quality, row.Q],
      ['OEE', record.oee, row.OEE],
      ['qualityByCount', record.qualityCountRatio, row.qualityByCount],
    ];
    if (row.level !== 'cell' && labourHours !== null) {
      ratios.push(
        ['goodPerLabourHour', record.goodUnitsPerLabourHour, row.goodPerLabourHour],
        ['standardHoursPerLabourHour', record.standardHoursPerLabourHour, row.standardHoursPerLabourHour],
      );
    }
    for (const [name, engine, truth] of ratios) if (!closeEnough(engine, truth)) differ(name, engine, truth);
    // A × P × Q = OEE holds in the truth too.
    if (row.A !== null && row.P !== null && row.Q !== null && row.OEE !== null) {
      const product = row.A * row.P * row.Q;
      if (!closeEnough(product, row.OEE)) mismatches.push(`${key}: truth A×P×Q ${product} ≠ OEE ${row.OEE}`);
    }

    if (record.failures !== row.failures) differ('failures', record.failures, row.failures);
  }
  for (const key of byKey.keys()) mismatches.push(`${key}: engine record without a truth row`);
  return { mismatches, rowsCompared: recorded.rows.length };
}
