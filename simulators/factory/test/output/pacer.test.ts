import { describe, expect, it } from 'vitest';
import { Pacer, parseSpeed } from '../../src/output/pacer.js';

describe('pacer', () => {
  it('maps simulated time to wall time at ×N', () => {
    const pacer = new Pacer({ kind: 'factor', factor: 60 });
    expect(pacer.delayFor(1_000_000, 5_000)).toBe(0);
    // One simulated minute later is one wall second later at ×60.
    expect(pacer.delayFor(1_060_000, 5_000)).toBe(1000);
    expect(pacer.delayFor(1_060_000, 6_500)).toBe(0);
  });

  it('never waits at max speed; reads speeds', () => {
    expect(new Pacer({ kind: 'max' }).delayFor(9e12, 0)).toBe(0);
    expect(parseSpeed('realtime')).toEqual({ kind: 'factor', factor: 1 });
    expect(parseSpeed('x60')).toEqual({ kind: 'factor', factor: 60 });
    expect(parseSpeed('max')).toEqual({ kind: 'max' });
    expect(parseSpeed('fast')).toBeUndefined();
  });
});
