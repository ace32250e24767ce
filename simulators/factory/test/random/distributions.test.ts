import { describe, expect, it } from 'vitest';
import type { Distribution } from '../../src/random/distributions.js';
import { draw, meanOf } from '../../src/random/distributions.js';
import { streamFor } from '../../src/random/prng.js';

describe('distributions', () => {
  const cases: [Distribution, number][] = [
    [{ dist: 'fixed', value: 7 }, 7],
    [{ dist: 'exponential', mean: 600 }, 600],
    [{ dist: 'weibull', shape: 2, scale: 1000 }, 1000 * 0.886_226_925_452_758], // Γ(1.5) = √π / 2
    [{ dist: 'lognormal', mean: 900, sd: 600 }, 900],
    [{ dist: 'uniform', min: 10, max: 90 }, 50],
    [{ dist: 'normal', mean: 100, sd: 10 }, 100],
  ];

  it.each(cases)('%o has the mean it is configured for', (distribution, mean) => {
    expect(meanOf(distribution)).toBeCloseTo(mean, 6);
    const prng = streamFor('mean-check');
    const n = 200_000;
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i += 1) {
      const x = draw(distribution, prng);
      min = Math.min(min, x);
      sum += x;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(Math.abs(sum / n - mean) / mean).toBeLessThan(0.01);
  });
});
