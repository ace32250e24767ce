/**
 * Wall-clock arithmetic in an IANA time zone with the built-in `Intl` API only.
 * Every window and shift boundary goes through here so that days split at the site's midnight,
 * never at UTC midnight.
 */

/** A wall-clock date and time in some zone; `month` is 1–12, `weekday` is 1 (Monday) – 7 (Sunday). */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when `Intl` knows the zone (e.g. `Asia/Ho_Chi_Minh`). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock reading of an instant in a zone (milliseconds dropped). */
export function toLocalDateTime(epochMs: number, timeZone: string): LocalDateTime {
  const parts = formatterFor(timeZone).formatToParts(new Date(epochMs));
  const local: LocalDateTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of parts) {
    if (part.type === 'year') local.year = Number(part.value);
    else if (part.type === 'month') local.month = Number(part.value);
    else if (part.type === 'day') local.day = Number(part.value);
    else if (part.type === 'hour') local.hour = Number(part.value);
    else if (part.type === 'minute') local.minute = Number(part.value);
    else if (part.type === 'second') local.second = Number(part.value);
  }
  return local;
}

function wallClockAsUtcMs(local: LocalDateTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
}

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
export function utcOffsetMs(epochMs: number, timeZone: string): number {
  const wholeSecondMs = Math.floor(epochMs / 1000) * 1000;
  return wallClockAsUtcMs(toLocalDateTime(wholeSecondMs, timeZone)) - wholeSecondMs;
}

/**
 * The instant a wall-clock reading denotes in a zone. Out-of-range fields roll over the way `Date.UTC`
 * does (hour 24 is the next day's 00:00). A reading that occurs twice (clocks turned back) resolves to
 * its first occurrence; a reading skipped by clocks turned forward is read with the offset in force
 * before the jump (02:30 in a 02:00→03:00 gap becomes 03:30).
 */
export function fromLocalDateTime(local: LocalDateTime, timeZone: string): number {
  const asUtc = wallClockAsUtcMs(local);
  // Offsets half a day either side bracket any single transition near this reading.
  const offsetBefore = utcOffsetMs(asUtc - 43_200_000, timeZone);
  const offsetAfter = utcOffsetMs(asUtc + 43_200_000, timeZone);
  const candidates = [asUtc - offsetBefore, asUtc - offsetAfter].sort((a, b) => a - b);
  for (const candidate of candidates) {
    if (wallClockAsUtcMs(toLocalDateTime(candidate, timeZone)) === asUtc) return candidate;
  }
  return asUtc - offsetBefore;
}

/** The local calendar date of an instant. */
export function toLocalDate(epochMs: number, timeZone: string): LocalDate {
  const { year, month, day } = toLocalDateTime(epochMs, timeZone);
  return { year, month, day };
}

/** The date `days` after `date` on the proleptic Gregorian calendar (no zone involved). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  const sundayZero = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return sundayZero === 0 ? 7 : sundayZero;
}

/** `YYYY-MM-DD`. */
export function formatLocalDate(date: LocalDate): string {
  return `${String(date.year).padStart(4, '0')}-${pad2(date.month)}-${pad2(date.day)}`;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * RFC 3339 text of an instant with the zone's offset at that instant, e.g. `2026-03-02T06:00:00+07:00`;
 * milliseconds are written only when not zero.
 */
export function formatZonedIso(epochMs: number, timeZone: string): string {
  const local = toLocalDateTime(epochMs, timeZone);
  const offsetMinutes = Math.round(utcOffsetMs(epochMs, timeZone) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  const millis = ((epochMs % 1000) + 1000) % 1000;
  const fraction = millis === 0 ? '' : `.${String(millis).padStart(3, '0')}`;
  return (
    `${formatLocalDate(local)}T${pad2(local.hour)}:${pad2(local.minute)}:${pad2(local.second)}${fraction}` +
    `${sign}${pad2(Math.floor(absolute / 60))}:${pad2(absolute % 60)}`
  );
}
