import { describe, expect, it } from 'vitest';
import {
  addDays,
  formatLocalDate,
  formatZonedIso,
  fromLocalDateTime,
  isKnownTimeZone,
  isoWeekday,
  toLocalDateTime,
  utcOffsetMs,
} from '../src/zoned-time.js';

const hcm = 'Asia/Ho_Chi_Minh';
const berlin = 'Europe/Berlin';

describe('toLocalDateTime', () => {
  it.each([
    // 17:00 UTC is local midnight in Ho Chi Minh City (UTC+7, no daylight saving).
    ['2026-03-01T17:00:00Z', hcm, { year: 2026, month: 3, day: 2, hour: 0, minute: 0, second: 0 }],
    ['2026-03-01T16:59:59Z', hcm, { year: 2026, month: 3, day: 1, hour: 23, minute: 59, second: 59 }],
    ['2026-07-01T12:00:00Z', berlin, { year: 2026, month: 7, day: 1, hour: 14, minute: 0, second: 0 }],
  ])('%s in %s', (iso, zone, expected) => {
    expect(toLocalDateTime(Date.parse(iso), zone)).toEqual(expected);
  });
});

describe('fromLocalDateTime', () => {
  it.each([
    ['midnight in HCM', hcm, [2026, 3, 2, 0, 0], '2026-03-01T17:00:00.000Z'],
    ['hour 24 rolls to the next day', hcm, [2026, 3, 2, 24, 0], '2026-03-02T17:00:00.000Z'],
    ['Berlin winter', berlin, [2026, 1, 15, 8, 0], '2026-01-15T07:00:00.000Z'],
    ['Berlin summer', berlin, [2026, 7, 15, 8, 0], '2026-07-15T06:00:00.000Z'],
    // 02:30 does not exist on 2026-03-29 in Berlin: read with the winter offset (+1) → 01:30Z = 03:30 CEST.
    ['skipped reading', berlin, [2026, 3, 29, 2, 30], '2026-03-29T01:30:00.000Z'],
    // 02:30 happens twice on 2026-10-25: first at +2 → 00:30Z.
    ['repeated reading', berlin, [2026, 10, 25, 2, 30], '2026-10-25T00:30:00.000Z'],
  ] as const)('%s', (_name, zone, [year, month, day, hour, minute], expected) => {
    expect(
      new Date(fromLocalDateTime({ year, month, day, hour, minute, second: 0 }, zone)).toISOString(),
    ).toBe(expected);
  });
});

describe('utcOffsetMs', () => {
  it.each([
    [hcm, '2026-03-02T00:00:00Z', 7 * 3_600_000],
    [berlin, '2026-01-02T00:00:00Z', 3_600_000],
    [berlin, '2026-07-02T00:00:00Z', 7_200_000],
    ['Asia/Kolkata', '2026-07-02T00:00:00Z', 5.5 * 3_600_000],
  ])('%s at %s', (zone, iso, expected) => {
    expect(utcOffsetMs(Date.parse(iso), zone)).toBe(expected);
  });
});

describe('calendar helpers', () => {
  it.each([
    [{ year: 2026, month: 2, day: 28 }, 1, '2026-03-01'],
    [{ year: 2028, month: 2, day: 28 }, 1, '2028-02-29'],
    [{ year: 2026, month: 1, day: 1 }, -1, '2025-12-31'],
  ])('addDays(%o, %i) = %s', (date, days, expected) => {
    expect(formatLocalDate(addDays(date, days))).toBe(expected);
  });

  it.each([
    [{ year: 2026, month: 3, day: 2 }, 1],
    [{ year: 2026, month: 3, day: 1 }, 7],
  ])('isoWeekday(%o) = %i', (date, expected) => {
    expect(isoWeekday(date)).toBe(expected);
  });

  it.each([
    [Date.parse('2026-03-01T23:00:00Z'), hcm, '2026-03-02T06:00:00+07:00'],
    [Date.parse('2026-03-01T23:00:00.250Z'), hcm, '2026-03-02T06:00:00.250+07:00'],
    [Date.parse('2026-07-01T12:00:00Z'), 'America/New_York', '2026-07-01T08:00:00-04:00'],
  ])('formatZonedIso(%i, %s) = %s', (ms, zone, expected) => {
    expect(formatZonedIso(ms, zone)).toBe(expected);
  });

  it.each([
    [hcm, true],
    ['Mars/Olympus_Mons', false],
  ])('isKnownTimeZone(%s) = %s', (zone, expected) => {
    expect(isKnownTimeZone(zone)).toBe(expected);
  });
});
