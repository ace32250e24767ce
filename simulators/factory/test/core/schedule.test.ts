import { describe, expect, it } from 'vitest';
import { buildSchedule } from '../../src/core/schedule.js';
import { zoneOf } from '../../src/time/zone.js';

const calendar = {
  shifts: [
    { name: 'day', start: '06:00', end: '14:00', breaks: [{ name: 'meal', start: '10:00', end: '10:30' }] },
    { name: 'night', start: '22:00', end: '06:00', breaks: [{ name: 'meal', start: '02:00', end: '02:30' }] },
  ],
  workingDays: ['mon', 'tue', 'wed', 'thu', 'fri'] as ('mon' | 'tue' | 'wed' | 'thu' | 'fri')[],
  holidays: ['2026-03-03'],
};

describe('schedule', () => {
  const zone = zoneOf('Asia/Ho_Chi_Minh');
  const start = Date.parse('2026-03-02T00:00:00+07:00'); // a Monday
  const schedule = buildSchedule(calendar, zone, start, start + 2 * 86_400_000);

  it('has a window per local day and per shift instance; none on a holiday', () => {
    expect(schedule.windows.map((w) => w.key)).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-02/day',
      '2026-03-02/night',
    ]);
  });

  it('cuts a night shift at midnight: one shift window, two day windows', () => {
    const night = schedule.windows.find((w) => w.key === '2026-03-02/night');
    expect(night?.from).toBe(Date.parse('2026-03-02T22:00:00+07:00'));
    expect(night?.to).toBe(Date.parse('2026-03-03T06:00:00+07:00'));
    const inNight = schedule.segments.filter((s) => s.shift === night?.index);
    expect(inNight.map((s) => [s.state, (s.to - s.from) / 60_000, s.day])).toEqual([
      ['production', 120, 0],
      ['production', 120, 1],
      ['planned_stop', 30, 1],
      ['production', 210, 1],
    ]);
  });

  it('segments tile the span without gaps', () => {
    let at = start;
    for (const segment of schedule.segments) {
      expect(segment.from).toBe(at);
      at = segment.to;
    }
    expect(at).toBe(start + 2 * 86_400_000);
  });

  it('a day with a DST change is 23 hours long, in the site zone', () => {
    const berlin = zoneOf('Europe/Berlin');
    const from = Date.parse('2026-03-29T00:00:00+01:00');
    const dst = buildSchedule(calendar, berlin, from, from + 86_400_000);
    const day = dst.windows.find((w) => w.key === '2026-03-29');
    expect(day ? (day.to - day.from) / 3_600_000 : 0).toBe(23);
  });
});
