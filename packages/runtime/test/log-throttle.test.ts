import { describe, expect, it } from 'vitest';
import { LogThrottle } from '../src/log-throttle.js';

describe('LogThrottle', () => {
  it('admits the first event of a kind per window and reports how many it held back', () => {
    const throttle = new LogThrottle(1_000);
    expect(throttle.admit('MEKONG_INVALID_JSON', 0)).toEqual({ suppressed: 0 });
    expect(throttle.admit('MEKONG_INVALID_JSON', 10)).toBeUndefined();
    expect(throttle.admit('MEKONG_INVALID_UTF8', 20)).toEqual({ suppressed: 0 });
    expect(throttle.admit('MEKONG_INVALID_JSON', 999)).toBeUndefined();
    expect(throttle.admit('MEKONG_INVALID_JSON', 1_000)).toEqual({ suppressed: 2 });
  });
});
