import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/limits/rate-limiter.js';

describe('TokenBucket', () => {
  it('allows the burst, then the rate', () => {
    const bucket = new TokenBucket(10, 5, 0);
    const first = Array.from({ length: 7 }, () => bucket.take(0));
    expect(first).toEqual([true, true, true, true, true, false, false]);
    expect(bucket.take(100)).toBe(true); // 100 ms at 10/s refills one
    expect(bucket.take(100)).toBe(false);
    expect(bucket.take(10_000)).toBe(true);
  });
  it('never stores more than the burst', () => {
    const bucket = new TokenBucket(1000, 3, 0);
    expect(Array.from({ length: 4 }, () => bucket.take(60_000)).filter(Boolean)).toHaveLength(3);
  });
});
