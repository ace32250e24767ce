import { describe, expect, it } from 'vitest';
import { MAX_EVENT_TIME_MS, parseEventTime } from '../src/event-time.js';

describe('parseEventTime', () => {
  it.each([
    ['2026-03-02T06:15:00+07:00', Date.UTC(2026, 2, 1, 23, 15), 420],
    ['2026-03-01T23:15:00Z', Date.UTC(2026, 2, 1, 23, 15), 0],
    ['2026-03-01T23:15:00.999999Z', Date.UTC(2026, 2, 1, 23, 15, 0, 999), 0],
    ['2026-03-01T23:15:00.07+00:00', Date.UTC(2026, 2, 1, 23, 15, 0, 70), 0],
    ['2026-03-01T17:45:00-05:30', Date.UTC(2026, 2, 1, 23, 15), -330],
    ['1970-01-01T00:00:00Z', 0, 0],
    ['1970-01-01T07:00:00+07:00', 0, 420],
    ['2000-02-29T12:00:00Z', Date.UTC(2000, 1, 29, 12), 0],
    ['2262-04-11T23:47:16.854Z', MAX_EVENT_TIME_MS, 0],
  ])('reads %s', (text, epochMs, utcOffsetMinutes) => {
    expect(parseEventTime(text)).toEqual({ ok: true, value: { epochMs, utcOffsetMinutes } });
  });

  it('reads epoch milliseconds without an offset', () => {
    expect(parseEventTime(1_772_406_900_000)).toEqual({
      ok: true,
      value: { epochMs: 1_772_406_900_000, utcOffsetMinutes: null },
    });
    expect(parseEventTime(MAX_EVENT_TIME_MS)).toMatchObject({ ok: true });
  });

  it('MAX_EVENT_TIME_MS is the last whole millisecond of InfluxDB int64 nanoseconds', () => {
    expect(BigInt(MAX_EVENT_TIME_MS)).toBe(2n ** 63n / 1_000_000n);
    expect(new Date(MAX_EVENT_TIME_MS).toISOString()).toBe('2262-04-11T23:47:16.854Z');
  });

  it.each([
    ['no offset', '2026-03-02T06:15:00', /no UTC offset/],
    ['a space instead of T, no offset', '2026-03-02 06:15:00', /no UTC offset/],
    ['garbage', 'soon', /not an RFC 3339 time/],
    ['an ISO week date', '2026-W10-1T00:00:00Z', /not an RFC 3339 time/],
    ['1900-02-29 (not a leap year)', '1900-02-29T00:00:00Z', /day 29/],
    ['day 00', '2026-03-00T00:00:00Z', /day 00/],
    ['April 31st', '2026-04-31T00:00:00Z', /day 31/],
    ['minute 60', '2026-03-01T23:60:00Z', /time of day/],
    ['offset minutes 60', '2026-03-01T23:00:00+05:60', /UTC offset/],
    ['before the epoch through its offset', '1970-01-01T06:59:59+07:00', /before 1970/],
    ['after 2262', '2262-04-11T23:47:16.855Z', /2262/],
    ['a very long string', `2026-03-01T23:15:00.${'1'.repeat(100)}Z`, /too long/],
  ])('refuses %s', (_what, text, message) => {
    const result = parseEventTime(text);
    expect(result).toMatchObject({ ok: false, error: { code: 'MEKONG_INVALID_PAYLOAD', path: [] } });
    if (!result.ok) expect(result.error.message).toMatch(message);
  });

  it.each([
    [-1, /negative/],
    [0.5, /whole number/],
    [Number.NaN, /whole number/],
    [Number.POSITIVE_INFINITY, /whole number/],
    [MAX_EVENT_TIME_MS + 1, /2262/],
  ])('refuses epoch %s', (value, message) => {
    const result = parseEventTime(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(message);
  });

  it.each([undefined, null, true, {}, [], 10n])('refuses %s', (value) => {
    expect(parseEventTime(value)).toMatchObject({ ok: false, error: { code: 'MEKONG_INVALID_PAYLOAD' } });
  });
});
