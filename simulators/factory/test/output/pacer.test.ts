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

  it('paces `replay --speed 1800`: one simulated hour is two wall seconds', () => {
    const speed = parseSpeed('1800');
    expect(speed).toEqual({ kind: 'factor', factor: 1800 });
    const pacer = new Pacer(speed ?? { kind: 'max' });
    const simStart = Date.UTC(2026, 2, 2);
    expect(pacer.delayFor(simStart, 0)).toBe(0);
    // 3 600 000 ms / 1800 = 2000 ms after the first message, whatever the wall clock did meanwhile.
    expect(pacer.delayFor(simStart + 3_600_000, 0)).toBe(2_000);
    expect(pacer.delayFor(simStart + 3_600_000, 1_999)).toBe(1);
    expect(pacer.delayFor(simStart + 3_600_000, 2_500)).toBe(0);
  });

  it('never waits at max speed; reads speeds', () => {
    expect(new Pacer({ kind: 'max' }).delayFor(9e12, 0)).toBe(0);
    expect(parseSpeed('realtime')).toEqual({ kind: 'factor', factor: 1 });
    expect(parseSpeed('x60')).toEqual({ kind: 'factor', factor: 60 });
    expect(parseSpeed('max')).toEqual({ kind: 'max' });
    expect(parseSpeed('fast')).toBeUndefined();
  });
});
