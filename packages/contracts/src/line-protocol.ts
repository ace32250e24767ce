import { MekongError } from './errors.js';
import { MAX_EVENT_TIME_MS } from './event-time.js';
import { hasControlCharacter, hasLoneSurrogate } from './unicode-text.js';

/**
 * Timestamps are written in milliseconds, the precision of the event times devices send: write with
 * `precision=ms` (the `/api/v2/write` and v1 `/write` endpoints both take it).
 */
export const LINE_PROTOCOL_PRECISION = 'ms';

/** A field value with its InfluxDB type; a JS number alone cannot say whether it is a float or an integer. */
export type InfluxFieldValue =
  | { type: 'float'; value: number }
  | { type: 'integer'; value: number }
  | { type: 'string'; value: string }
  | { type: 'boolean'; value: boolean };

/** One InfluxDB point as plain data, independent of any client library. */
export interface InfluxPoint {
  measurement: string;
  /** Tags with an empty value are omitted: InfluxDB cannot store an empty tag value. */
  tags: Readonly<Record<string, string>>;
  /** At least one field. */
  fields: Readonly<Record<string, InfluxFieldValue>>;
  timestampMs: number;
}

// InfluxDB's string field values are limited to 64 KB.
const MAX_STRING_FIELD_BYTES = 64 * 1024;
const utf8 = new TextEncoder();

type NameElement = 'measurement' | 'tag key' | 'tag value' | 'field key';

/**
 * Why `text` cannot be written as a line-protocol measurement, tag key, tag value or field key, or
 * `undefined` when it can.
 *
 * Backslashes are written as they are, never doubled: InfluxDB 1.x and 2.x keep `\\` in a tag as two
 * backslashes while the documented syntax reads it as one. A backslash therefore round-trips on both
 * only when it is followed by an ordinary character; a backslash at the end, or before another
 * backslash, a comma, an equals sign, a space or a double quote, is refused.
 */
export function lineProtocolNameProblem(text: string, element: NameElement): string | undefined {
  if (text.length === 0) return `${element} is empty`;
  if (hasLoneSurrogate(text)) return `${element} contains an unpaired UTF-16 surrogate`;
  if (hasControlCharacter(text)) {
    return `${element} contains a control character (newline, tab…), which line protocol cannot carry`;
  }
  if (element !== 'tag value' && text.startsWith('_')) {
    return `${element} starts with "_", a prefix InfluxDB reserves for itself`;
  }
  if (element === 'measurement' && text.startsWith('#')) {
    return 'measurement starts with "#", which InfluxDB reads as a comment line';
  }
  if (element === 'field key' && text === 'time') return 'field key "time" is reserved by InfluxDB';
  for (let index = text.indexOf('\\'); index !== -1; index = text.indexOf('\\', index + 1)) {
    const next = text[index + 1];
    if (next === undefined) return `${element} ends with a backslash, which InfluxDB cannot store`;
    if ('\\,= "'.includes(next)) {
      return `${element} has a backslash before "${next}", which InfluxDB versions read differently`;
    }
  }
  return undefined;
}

/** Why `text` cannot be a tag value (e.g. a sensor name), or `undefined` when it can. */
export function tagValueProblem(text: string): string | undefined {
  return lineProtocolNameProblem(text, 'tag value');
}

/** Serialises points to line protocol, one line each, joined by `\n`. Throws `MekongError` on a point InfluxDB would refuse or misread. */
export function formatLineProtocol(points: readonly InfluxPoint[]): string {
  return points.map(formatLineProtocolPoint).join('\n');
}

export function formatLineProtocolPoint(point: InfluxPoint): string {
  checkName(point.measurement, 'measurement', ['measurement']);
  let line = escapeMeasurement(point.measurement);

  const tagKeys = Object.keys(point.tags).sort(compareCodePoints);
  for (const key of tagKeys) {
    const value = point.tags[key];
    if (value === undefined || value === '') continue;
    checkName(key, 'tag key', ['tags', key]);
    checkName(value, 'tag value', ['tags', key]);
    line += `,${escapeKey(key)}=${escapeKey(value)}`;
  }

  const fields = Object.entries(point.fields);
  if (fields.length === 0) invalid('a point needs at least one field', ['fields']);
  line += ' ';
  line += fields
    .map(([key, field]) => `${escapeKey(checkedFieldKey(key))}=${formatFieldValue(key, field)}`)
    .join(',');

  const { timestampMs } = point;
  if (!Number.isSafeInteger(timestampMs) || Math.abs(timestampMs) > MAX_EVENT_TIME_MS) {
    invalid(`timestamp ${timestampMs} is not a whole number of milliseconds InfluxDB can store`, [
      'timestampMs',
    ]);
  }
  return `${line} ${timestampMs}`;
}

function checkedFieldKey(key: string): string {
  checkName(key, 'field key', ['fields', key]);
  return key;
}

function formatFieldValue(key: string, field: InfluxFieldValue): string {
  const path = ['fields', key];
  switch (field.type) {
    case 'float':
      if (typeof field.value !== 'number' || !Number.isFinite(field.value)) {
        invalid(`float field "${key}" is ${field.value}; InfluxDB stores only finite numbers`, path);
      }
      // Number→string gives the shortest text that reads back to the same double (but drops the sign
      // of -0); InfluxDB reads a number without an "i" suffix, exponent included, as a float.
      return Object.is(field.value, -0) ? '-0' : String(field.value);
    case 'integer':
      if (!Number.isSafeInteger(field.value)) {
        invalid(`integer field "${key}" is ${field.value}, not a safe integer`, path);
      }
      return `${field.value}i`;
    case 'boolean':
      if (typeof field.value !== 'boolean') invalid(`boolean field "${key}" is not a boolean`, path);
      return field.value ? 'true' : 'false';
    case 'string':
      if (typeof field.value !== 'string') invalid(`string field "${key}" is not a string`, path);
      if (hasLoneSurrogate(field.value))
        invalid(`string field "${key}" contains an unpaired UTF-16 surrogate`, path);
      if (utf8.encode(field.value).byteLength > MAX_STRING_FIELD_BYTES) {
        invalid(`string field "${key}" is longer than InfluxDB's 64 KB limit`, path);
      }
      // A newline inside the quotes is kept as it is: the InfluxDB 1.x/2.x parser tracks quotes when it
      // splits lines, so a quoted newline does not end the point.
      return `"${escapeStringFieldValue(field.value)}"`;
    default:
      return invalid(`field "${key}" has an unknown type`, path);
  }
}

function checkName(text: string, element: NameElement, path: string[]): void {
  if (typeof text !== 'string') invalid(`${element} is not a string`, path);
  const problem = lineProtocolNameProblem(text, element);
  if (problem !== undefined) invalid(problem, path);
}

function escapeMeasurement(text: string): string {
  return text.replace(/[, ]/g, (character) => `\\${character}`);
}

/** Tag keys, tag values and field keys share one escaping rule. */
function escapeKey(text: string): string {
  return text.replace(/[,= ]/g, (character) => `\\${character}`);
}

function escapeStringFieldValue(text: string): string {
  return text.replace(/["\\]/g, (character) => `\\${character}`);
}

// Code-point order equals UTF-8 byte order, the order InfluxDB recommends for tags (Go bytes.Compare).
function compareCodePoints(left: string, right: string): number {
  // Code point by code point, without allocating: this runs for every pair of tag keys of every point.
  // Equal code points have the same width, so both indexes stay equal.
  let index = 0;
  while (index < left.length && index < right.length) {
    const leftPoint = left.codePointAt(index) as number;
    const difference = leftPoint - (right.codePointAt(index) as number);
    if (difference !== 0) return difference;
    index += leftPoint > 0xffff ? 2 : 1;
  }
  return left.length - right.length;
}

function invalid(message: string, path: string[]): never {
  throw new MekongError('MEKONG_INVALID_LINE_PROTOCOL', message, { path });
}
