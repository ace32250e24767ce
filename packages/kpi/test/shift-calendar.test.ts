import { describe, expect, it } from 'vitest';
import { type ShiftCalendar, shiftCalendarSchema } from '../src/master-data.js';
import { alwaysScheduledPlan, compileShiftCalendar, type PlanKind } from '../src/shift-calendar.js';
import { at } from './support/event-builders.js';

const hcm = 'Asia/Ho_Chi_Minh';

// Day shift A with a 15-min break and a 30-min meal; night shift N crossing midnight with a break.
// Sunday is not worked; Tuesday 2026-03-03 is a holiday (no shift *starts* that day).
const calendar: ShiftCalendar = shiftCalendarSchema.parse({
  id: 'two-shift',
  shifts: [
    {
      id: 'A',
      start: '06:00',
      end: '14:00',
      breaks: [
        { start: '09:00', end: '09:15' },
        { start: '11:30', end: '12:00' },
      ],
    },
    { id: 'N', start: '22:00', end: '06:00', breaks: [{ start: '02:00', end: '02:30' }] },
  ],
  nonWorkingWeekdays: ['sunday'],
  holidays: ['2026-03-03'],
});
const plan = compileShiftCalendar(calendar, hcm);

function spansText(fromIso: string, toIso: string): [string, string, PlanKind][] {
  const local = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(5, 16).replace('T', ' ');
  return plan
    .planSpans(at(fromIso), at(toIso))
    .map((span) => [local(span.startMs), local(span.endMs), span.kind]);
}

describe('compileShiftCalendar planSpans', () => {
  it('Monday 2026-03-02: no night shift from Sunday, day shift with breaks, Monday night shift', () => {
    expect(spansText('2026-03-02T00:00:00+07:00', '2026-03-03T00:00:00+07:00')).toEqual([
      ['03-02 00:00', '03-02 06:00', 'off'],
      ['03-02 06:00', '03-02 09:00', 'busy'],
      ['03-02 09:00', '03-02 09:15', 'break'],
      ['03-02 09:15', '03-02 11:30', 'busy'],
      ['03-02 11:30', '03-02 12:00', 'break'],
      ['03-02 12:00', '03-02 14:00', 'busy'],
      ['03-02 14:00', '03-02 22:00', 'off'],
      ['03-02 22:00', '03-03 00:00', 'busy'],
    ]);
  });

  it('holiday Tuesday: Monday night shift runs on past midnight, nothing starts on the holiday', () => {
    expect(spansText('2026-03-03T00:00:00+07:00', '2026-03-04T00:00:00+07:00')).toEqual([
      ['03-03 00:00', '03-03 02:00', 'busy'],
      ['03-03 02:00', '03-03 02:30', 'break'],
      ['03-03 02:30', '03-03 06:00', 'busy'],
      ['03-03 06:00', '03-04 00:00', 'off'],
    ]);
  });

  it('clips to the query', () => {
    expect(spansText('2026-03-02T08:30:00+07:00', '2026-03-02T09:10:00+07:00')).toEqual([
      ['03-02 08:30', '03-02 09:00', 'busy'],
      ['03-02 09:00', '03-02 09:10', 'break'],
    ]);
  });
});

describe('compileShiftCalendar shiftsOverlapping', () => {
  it('lists the occurrences with the date they start on', () => {
    const found = plan
      .shiftsOverlapping(at('2026-03-02T13:00:00+07:00'), at('2026-03-03T01:00:00+07:00'))
      .map((occurrence) => [occurrence.shiftId, occurrence.date, occurrence.endMs - occurrence.startMs]);
    expect(found).toEqual([
      ['A', '2026-03-02', 8 * 3_600_000],
      ['N', '2026-03-02', 8 * 3_600_000],
    ]);
  });
});

describe('firstBusyInstant', () => {
  it.each([
    [
      'inside a break → end of the break',
      '2026-03-02T09:05:00+07:00',
      '2026-03-02T10:00:00+07:00',
      '2026-03-02T09:15:00+07:00',
    ],
    [
      'Sunday into Monday → Monday 06:00',
      '2026-03-01T10:00:00+07:00',
      '2026-03-02T10:00:00+07:00',
      '2026-03-02T06:00:00+07:00',
    ],
    ['all off → none', '2026-03-02T14:00:00+07:00', '2026-03-02T22:00:00+07:00', null],
  ])('%s', (_name, fromIso, toIso, expected) => {
    const found = plan.firstBusyInstant(at(fromIso), at(toIso));
    expect(found).toBe(expected === null ? null : at(expected));
  });
});

describe('alwaysScheduledPlan', () => {
  it('is one busy span and no shifts', () => {
    const always = alwaysScheduledPlan();
    expect(always.planSpans(0, 10)).toEqual([{ startMs: 0, endMs: 10, kind: 'busy' }]);
    expect(always.shiftsOverlapping(0, 10)).toEqual([]);
    expect(always.firstBusyInstant(5, 10)).toBe(5);
  });
});

describe('shift weekdays', () => {
  it('a shift limited to Saturday only runs on Saturday', () => {
    const saturdayOnly = compileShiftCalendar(
      shiftCalendarSchema.parse({
        id: 'sat',
        shifts: [{ id: 'S', start: '08:00', end: '12:00', weekdays: ['saturday'] }],
      }),
      hcm,
    );
    const week = saturdayOnly.shiftsOverlapping(
      at('2026-03-02T00:00:00+07:00'),
      at('2026-03-09T00:00:00+07:00'),
    );
    expect(week.map((occurrence) => occurrence.date)).toEqual(['2026-03-07']);
  });
});
