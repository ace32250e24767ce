import { describe, expect, it } from 'vitest';
import { zoneOf } from '../../src/time/zone.js';

describe('zoneOf', () => {
  it('finds the instant of a local time, across a DST change', () => {
    const berlin = zoneOf('Europe/Berlin');
    expect(berlin.instantOf({ year: 2026, month: 3, day: 29, minuteOfDay: 60 })).toBe(
      Date.parse('2026-03-29T01:00:00+01:00'),
    );
    expect(berlin.instantOf({ year: 2026, month: 3, day: 29, minuteOfDay: 240 })).toBe(
      Date.parse('2026-03-29T04:00:00+02:00'),
    );
    expect(zoneOf('Asia/Ho_Chi_Minh').offsetMinutesAt(0)).toBe(480); // Saigon was UTC+8 in 1970
  });
});
