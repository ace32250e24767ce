import { describe, expect, it } from 'vitest';
import { formatRfc3339, formatWithOffset } from '../../src/time/rfc3339.js';
import { zoneOf } from '../../src/time/zone.js';

describe('formatRfc3339', () => {
  it('formats RFC 3339 with the site offset and milliseconds', () => {
    const ms = Date.UTC(2026, 2, 1, 23, 15, 0, 5);
    expect(formatRfc3339(ms, zoneOf('Asia/Ho_Chi_Minh'))).toBe('2026-03-02T06:15:00.005+07:00');
    expect(formatWithOffset(ms, -150)).toBe('2026-03-01T20:45:00.005-02:30');
    expect(formatRfc3339(ms, zoneOf('UTC'))).toBe('2026-03-01T23:15:00.005+00:00');
  });

  it('keeps each call right when calls share a second but not an offset', () => {
    const ms = Date.UTC(2026, 2, 1, 23, 15, 0, 0);
    expect(formatWithOffset(ms + 7, 420)).toBe('2026-03-02T06:15:00.007+07:00');
    expect(formatWithOffset(ms + 42, 420)).toBe('2026-03-02T06:15:00.042+07:00');
    expect(formatWithOffset(ms + 999, 0)).toBe('2026-03-01T23:15:00.999+00:00');
    expect(formatWithOffset(ms + 1000, 0)).toBe('2026-03-01T23:15:01.000+00:00');
  });
});
