import { describe, expect, it } from 'vitest';
import { createWindowCutter, financialPeriodOf } from '../src/kpi-window.js';
import { shiftCalendarSchema } from '../src/master-data.js';
import { alwaysScheduledPlan, compileShiftCalendar } from '../src/shift-calendar.js';
import { at } from './support/event-builders.js';

const hcm = 'Asia/Ho_Chi_Minh';
const always = alwaysScheduledPlan();

describe('calendar windows are cut at the site wall clock', () => {
  it.each([
    // 2026-03-01T18:00Z is 01:00 on 2026-03-02 in HCM: the day starts at 17:00Z, not at UTC midnight.
    ['day', hcm, '2026-03-01T18:00:00Z', '2026-03-01T17:00:00Z', '2026-03-02T17:00:00Z'],
    ['hour', hcm, '2026-03-01T18:20:00Z', '2026-03-01T18:00:00Z', '2026-03-01T19:00:00Z'],
    ['minute', hcm, '2026-03-01T18:20:30Z', '2026-03-01T18:20:00Z', '2026-03-01T18:21:00Z'],
    ['month', hcm, '2026-03-15T00:00:00Z', '2026-02-28T17:00:00Z', '2026-03-31T17:00:00Z'],
    ['year', hcm, '2026-06-15T00:00:00Z', '2025-12-31T17:00:00Z', '2026-12-31T17:00:00Z'],
    // Half-hour zone: local hours start at :30 UTC.
    ['hour', 'Asia/Kolkata', '2026-03-01T10:45:00Z', '2026-03-01T10:30:00Z', '2026-03-01T11:30:00Z'],
    // Daylight saving: the spring-forward day in Berlin is 23 h long.
    ['day', 'Europe/Berlin', '2026-03-29T12:00:00Z', '2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z'],
  ] as const)('%s in %s containing %s', (kind, zone, atIso, fromIso, toIso) => {
    const window = createWindowCutter(zone).containing(kind, Date.parse(atIso), always);
    expect(window).toEqual({ kind, startMs: Date.parse(fromIso), endMs: Date.parse(toIso) });
  });

  it('nextBoundaryAfter is the end of the containing window', () => {
    const cutter = createWindowCutter(hcm);
    expect(cutter.nextBoundaryAfter('day', Date.parse('2026-03-01T18:00:00Z'), always)).toBe(
      Date.parse('2026-03-02T17:00:00Z'),
    );
  });
});

describe('shift windows', () => {
  const plan = compileShiftCalendar(
    shiftCalendarSchema.parse({
      id: 'night',
      shifts: [{ id: 'N', start: '22:00', end: '06:00' }],
    }),
    hcm,
  );
  const cutter = createWindowCutter(hcm);

  it('a night shift is one window across local midnight', () => {
    expect(cutter.containing('shift', at('2026-03-03T01:00:00+07:00'), plan)).toEqual({
      kind: 'shift',
      startMs: at('2026-03-02T22:00:00+07:00'),
      endMs: at('2026-03-03T06:00:00+07:00'),
      shift: { calendarId: 'night', shiftId: 'N', date: '2026-03-02' },
    });
  });

  it.each([
    [
      'between shifts: no window, next boundary is the next start',
      '2026-03-03T12:00:00+07:00',
      null,
      '2026-03-03T22:00:00+07:00',
    ],
    [
      'inside a shift: next boundary is its end',
      '2026-03-03T23:00:00+07:00',
      'N',
      '2026-03-04T06:00:00+07:00',
    ],
  ])('%s', (_name, atIso, shiftId, nextIso) => {
    expect(cutter.containing('shift', at(atIso), plan)?.shift?.shiftId ?? null).toBe(shiftId);
    expect(cutter.nextBoundaryAfter('shift', at(atIso), plan)).toBe(at(nextIso));
  });

  it('without a calendar there are no shift windows', () => {
    expect(cutter.containing('shift', 0, always)).toBeNull();
    expect(cutter.nextBoundaryAfter('shift', 0, always)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('financialPeriodOf', () => {
  it.each([
    ['a local month', '2026-03-01T00:00:00+07:00', '2026-04-01T00:00:00+07:00', '2026-03'],
    ['a local year', '2026-01-01T00:00:00+07:00', '2027-01-01T00:00:00+07:00', '2026'],
    ['a UTC month is not a local month', '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z', null],
    ['a day', '2026-03-01T00:00:00+07:00', '2026-03-02T00:00:00+07:00', null],
  ])('%s', (_name, fromIso, toIso, expected) => {
    expect(financialPeriodOf({ kind: 'range', startMs: at(fromIso), endMs: at(toIso) }, hcm)).toBe(expected);
  });
});
