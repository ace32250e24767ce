import type { Result } from './result.js';
import { fail, ok } from './result.js';

/**
 * The largest instant InfluxDB can store (its timestamps are int64 nanoseconds, ending at
 * 2262-04-11T23:47:16.854775807Z), in whole milliseconds. A later `ts` would pass validation and then
 * be refused by every InfluxDB write, so it is refused here.
 */
export const MAX_EVENT_TIME_MS = 9_223_372_036_854;

export interface EventTime {
  /** Milliseconds since 1970-01-01T00:00:00Z; digits below the millisecond are truncated. */
  epochMs: number;
  /**
   * The UTC offset the device wrote (`+07:00` → 420, `Z` → 0), kept for local-time reports; `null` for
   * epoch milliseconds and for `-00:00` (RFC 3339: offset unknown).
   */
  utcOffsetMinutes: number | null;
}

const DATE_TIME_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;
const MAX_TEXT_LENGTH = 64;
const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

function invalid(message: string): Result<EventTime> {
  return fail({ code: 'MEKONG_INVALID_PAYLOAD', path: [], message });
}

/**
 * Reads an event time as devices send it: an RFC 3339 string with an offset or `Z`, or epoch
 * milliseconds as a non-negative integer. Never throws.
 */
export function parseEventTime(value: unknown): Result<EventTime> {
  if (typeof value === 'number') return fromEpochMs(value);
  if (typeof value === 'string') return fromRfc3339(value);
  if (value === undefined)
    return invalid('is missing (expected an RFC 3339 time with offset, or epoch milliseconds)');
  return invalid(
    `must be an RFC 3339 time with offset (e.g. "2026-03-02T06:15:00+07:00") or epoch milliseconds, got ${describe(value)}`,
  );
}

function fromEpochMs(value: number): Result<EventTime> {
  if (!Number.isSafeInteger(value)) {
    return invalid(`epoch milliseconds must be a whole number, got ${value}`);
  }
  if (value < 0) return invalid(`epoch milliseconds cannot be negative, got ${value}`);
  if (value > MAX_EVENT_TIME_MS) return invalid(`${value} is after 2262-04-11, which InfluxDB cannot store`);
  return ok({ epochMs: value, utcOffsetMinutes: null });
}

function fromRfc3339(text: string): Result<EventTime> {
  if (text.length > MAX_TEXT_LENGTH)
    return invalid(`is too long for an RFC 3339 time (${text.length} characters)`);
  const parts = matchRfc3339(text);
  if (parts === null) {
    if (DATE_TIME_WITHOUT_OFFSET.test(text)) {
      return invalid(`"${text}" has no UTC offset: add "Z" or an offset such as "+07:00"`);
    }
    return invalid(`"${text}" is not an RFC 3339 time such as "2026-03-02T06:15:00+07:00"`);
  }
  const { year, month, day, hour, minute, second, millisecond, offsetSign, offsetHours, offsetMinutes } =
    parts;

  if (month < 1 || month > 12) return invalid(`"${text}" has month ${text.slice(5, 7)}`);
  if (day < 1 || day > daysInMonth(year, month))
    return invalid(`"${text}" has day ${text.slice(8, 10)}, not in that month`);
  if (hour > 23 || minute > 59) return invalid(`"${text}" has an impossible time of day`);
  // Epoch milliseconds cannot represent a leap second (:60), so it is refused rather than shifted.
  if (second > 59)
    return invalid(`"${text}" has second ${text.slice(17, 19)}; leap seconds are not supported`);
  if (offsetHours > 23 || offsetMinutes > 59) return invalid(`"${text}" has an impossible UTC offset`);

  const offset = offsetSign * (offsetHours * 60 + offsetMinutes);
  const localMs =
    daysSinceEpoch(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millisecond;
  const epochMs = localMs - offset * MS_PER_MINUTE;
  if (epochMs < 0) return invalid(`"${text}" is before 1970-01-01T00:00:00Z`);
  if (epochMs > MAX_EVENT_TIME_MS)
    return invalid(`"${text}" is after 2262-04-11, which InfluxDB cannot store`);
  // RFC 3339 §4.3: "-00:00" is a UTC time whose local offset is unknown, "Z" a time in UTC itself.
  if (offsetSign === -1 && offset === 0) return ok({ epochMs, utcOffsetMinutes: null });
  return ok({ epochMs, utcOffsetMinutes: offset });
}

interface Rfc3339Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** The first three fraction digits (later ones truncated), 0 without a fraction. */
  millisecond: number;
  /** -1 for a `-` offset, else 1 (`+` or `Z`). */
  offsetSign: number;
  offsetHours: number;
  offsetMinutes: number;
}

/**
 * RFC 3339 §5.6 date-time, "T" and "Z" in either case (§5.6 note), offset mandatory: the fields of
 * `^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$`, or
 * null when the text does not have that form. Read by hand: every message carries a `ts`, and this is
 * several times cheaper than the regex with its eleven captures.
 */
function matchRfc3339(text: string): Rfc3339Parts | null {
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return null;
  if (text[4] !== '-' || text[7] !== '-' || text[13] !== ':' || text[16] !== ':') return null;
  if (text[10] !== 'T' && text[10] !== 't') return null;

  let position = 19;
  let millisecond = 0;
  if (text[position] === '.') {
    const fractionStart = ++position;
    while (isDigit(text.charCodeAt(position))) position++;
    const fractionLength = position - fractionStart;
    if (fractionLength === 0) return null;
    const kept = Math.min(fractionLength, 3);
    millisecond = digitsAt(text, fractionStart, kept) * 10 ** (3 - kept);
  }

  const zone = text[position];
  if ((zone === 'Z' || zone === 'z') && position + 1 === text.length) {
    return {
      year,
      month,
      day,
      hour,
      minute,
      second,
      millisecond,
      offsetSign: 1,
      offsetHours: 0,
      offsetMinutes: 0,
    };
  }
  if ((zone !== '+' && zone !== '-') || position + 6 !== text.length || text[position + 3] !== ':')
    return null;
  const offsetHours = digitsAt(text, position + 1, 2);
  const offsetMinutes = digitsAt(text, position + 4, 2);
  if (offsetHours < 0 || offsetMinutes < 0) return null;
  const offsetSign = zone === '-' ? -1 : 1;
  return { year, month, day, hour, minute, second, millisecond, offsetSign, offsetHours, offsetMinutes };
}

/** The number written by `count` ASCII digits at `start`, or -1 when any of them is not a digit. */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index++) {
    const unit = text.charCodeAt(index);
    if (!isDigit(unit)) return -1;
    value = value * 10 + (unit - 0x30);
  }
  return value;
}

function isDigit(unit: number): boolean {
  return unit >= 0x30 && unit <= 0x39; // NaN (past the end) is not
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// Proleptic Gregorian days since 1970-01-01 (H. Hinnant's days_from_civil). Date.UTC is avoided
// because it maps years 0–99 to 1900–1999.
function daysSinceEpoch(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
