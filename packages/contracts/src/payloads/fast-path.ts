import type { TelemetryKind } from '../kinds.js';
import type { TelemetryMessage } from '../telemetry-message.js';
import { isPlainId, isPlainText } from '../unicode-text.js';
import { ALARM_SEVERITIES } from './alarm.js';
import { MAX_ID_LENGTH, MAX_READINGS, MAX_TEXT_LENGTH, MAX_UNIT_LENGTH } from './common.js';
import { MACHINE_STATES } from './state.js';

/**
 * The fast path of `parseMessage` for the common case, a payload valid as it stands: hand-written
 * checks instead of a zod parse, which is most of the cost of a message. They accept only what the
 * kind's zod schema accepts and build the same output (schema fields in schema order, then unknown
 * fields as they came, `__proto__` left out). Anything unusual (a field missing or wrong, a surrogate
 * or a backslash in text, two readings with one name) gives undefined and the zod schema decides, so
 * every rejection and its message still come from the schema. `test/payloads/fast-path.test.ts`
 * checks the two agree.
 *
 * `json` must come from JSON.parse (own data properties only, no `undefined` values).
 */
export function readPlainlyValidPayload(
  kind: TelemetryKind,
  json: Record<string, unknown>,
  epochMs: number,
): TelemetryMessage['payload'] | undefined {
  if (!isCount(json.seq)) return undefined;
  switch (kind) {
    case 'count':
      return readCount(json, epochMs);
    case 'state':
      return readState(json, epochMs);
    case 'sensor':
      return readSensor(json, epochMs);
    case 'alarm':
      return readAlarm(json, epochMs);
    case 'labour':
      return readLabour(json, epochMs);
    default:
      return undefined;
  }
}

type Fields = Record<string, unknown>;

const machineStates = new Set<unknown>(MACHINE_STATES);
const alarmSeverities = new Set<unknown>(ALARM_SEVERITIES);

// The schema fields of each payload; anything else is copied as it came (loose objects).
const countFields = new Set(['ts', 'seq', 'good', 'scrap', 'product']);
const stateFields = new Set(['ts', 'seq', 'state', 'reason', 'product']);
const sensorFields = new Set(['ts', 'seq', 'readings']);
const readingFields = new Set(['name', 'value', 'unit']);
const alarmFields = new Set(['ts', 'seq', 'code', 'severity', 'active', 'text']);
const attendanceFields = new Set(['ts', 'seq', 'event', 'worker']);
const headcountFields = new Set(['ts', 'seq', 'event', 'count']);

/** `z.int().nonnegative()`. */
function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && isPlainId(value, MAX_ID_LENGTH, false);
}

/** An optional id: absent, or a plain id. */
function isAbsentOrId(value: unknown): boolean {
  return value === undefined || isId(value);
}

/** Copies the fields the schema does not name, the way a zod loose object does. */
function withUnknownFields<T extends Fields>(output: T, input: Fields, known: ReadonlySet<string>): T {
  for (const key in input) {
    if (known.has(key) || key === '__proto__') continue;
    (output as Fields)[key] = input[key];
  }
  return output;
}

function readCount(json: Fields, ts: number): TelemetryMessage['payload'] | undefined {
  const { seq, good, scrap, product } = json;
  if (!isCount(good) || !isCount(scrap) || !isId(product)) return undefined;
  return withUnknownFields({ ts, seq: seq as number, good, scrap, product }, json, countFields);
}

function readState(json: Fields, ts: number): TelemetryMessage['payload'] | undefined {
  const { seq, state, reason, product } = json;
  if (!machineStates.has(state) || !isAbsentOrId(reason) || !isAbsentOrId(product)) return undefined;
  const output: Fields = { ts, seq, state };
  if (reason !== undefined) output.reason = reason;
  if (product !== undefined) output.product = product;
  return withUnknownFields(output, json, stateFields) as TelemetryMessage['payload'];
}

function readSensor(json: Fields, ts: number): TelemetryMessage['payload'] | undefined {
  const readings = json.readings;
  if (!Array.isArray(readings) || readings.length === 0 || readings.length > MAX_READINGS) return undefined;
  const names = new Set<string>();
  const output: Fields[] = [];
  for (const reading of readings) {
    if (typeof reading !== 'object' || reading === null || Array.isArray(reading)) return undefined;
    const { name, value, unit } = reading as Fields;
    if (typeof name !== 'string' || !isPlainId(name, MAX_ID_LENGTH, true) || names.has(name))
      return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
    if (typeof unit !== 'string' || !isPlainId(unit, MAX_UNIT_LENGTH, true)) return undefined;
    names.add(name);
    output.push(withUnknownFields({ name, value, unit }, reading as Fields, readingFields));
  }
  return withUnknownFields(
    { ts, seq: json.seq, readings: output },
    json,
    sensorFields,
  ) as TelemetryMessage['payload'];
}

function readAlarm(json: Fields, ts: number): TelemetryMessage['payload'] | undefined {
  const { seq, code, severity, active, text } = json;
  if (!isId(code) || !alarmSeverities.has(severity) || typeof active !== 'boolean') return undefined;
  if (text !== undefined && !(typeof text === 'string' && isPlainText(text, MAX_TEXT_LENGTH)))
    return undefined;
  const output: Fields = { ts, seq, code, severity, active };
  if (text !== undefined) output.text = text;
  return withUnknownFields(output, json, alarmFields) as TelemetryMessage['payload'];
}

function readLabour(json: Fields, ts: number): TelemetryMessage['payload'] | undefined {
  const { seq, event, worker, count } = json;
  if (event === 'clock_in' || event === 'clock_out') {
    if (!isId(worker)) return undefined;
    return withUnknownFields(
      { ts, seq, event, worker },
      json,
      attendanceFields,
    ) as TelemetryMessage['payload'];
  }
  if (event === 'headcount') {
    if (!isCount(count)) return undefined;
    return withUnknownFields({ ts, seq, event, count }, json, headcountFields) as TelemetryMessage['payload'];
  }
  return undefined;
}
