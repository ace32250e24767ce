import * as z from 'zod';
import type { Prng } from './prng.js';

const positive = z.number().positive();
const nonNegative = z.number().nonnegative();

/**
 * A probability distribution of a non-negative quantity (usually seconds). `fixed` makes a scenario
 * deterministic, so tests can compute the ground truth by hand.
 */
export const distributionSchema = z
  .discriminatedUnion('dist', [
    z.strictObject({ dist: z.literal('fixed'), value: nonNegative.describe('the value drawn every time') }),
    z.strictObject({ dist: z.literal('exponential'), mean: positive.describe('mean value') }),
    z.strictObject({
      dist: z.literal('weibull'),
      shape: positive.describe('shape k (k < 1 infant mortality, k > 1 wear-out)'),
      scale: positive.describe('scale λ, in the unit of the quantity'),
    }),
    z.strictObject({
      dist: z.literal('lognormal'),
      mean: positive.describe('mean of the value itself (not of its logarithm)'),
      sd: nonNegative.describe('standard deviation of the value itself'),
    }),
    z.strictObject({
      dist: z.literal('uniform'),
      min: nonNegative.describe('smallest value'),
      max: nonNegative.describe('largest value'),
    }),
    z.strictObject({
      dist: z.literal('normal'),
      mean: z.number().describe('mean'),
      sd: nonNegative.describe('standard deviation; draws below 0 are clamped to 0'),
    }),
  ])
  .describe('a distribution: fixed, exponential, weibull, lognormal, uniform or normal')
  .meta({ id: 'Distribution' });

export type Distribution = z.output<typeof distributionSchema>;

// 1 − next() lies in (0, 1], so the logarithms below never see 0.
function openUnit(prng: Prng): number {
  return 1 - prng.next();
}

/** One standard normal deviate (Box–Muller, cosine branch only, so each draw uses exactly two numbers). */
export function standardNormal(prng: Prng): number {
  return Math.sqrt(-2 * Math.log(openUnit(prng))) * Math.cos(2 * Math.PI * prng.next());
}

/** Draws one value; never negative. */
export function draw(distribution: Distribution, prng: Prng): number {
  switch (distribution.dist) {
    case 'fixed':
      return distribution.value;
    case 'exponential':
      return -distribution.mean * Math.log(openUnit(prng));
    case 'weibull':
      return distribution.scale * (-Math.log(openUnit(prng))) ** (1 / distribution.shape);
    case 'lognormal': {
      const variance = Math.log(1 + (distribution.sd / distribution.mean) ** 2);
      const mu = Math.log(distribution.mean) - variance / 2;
      return Math.exp(mu + Math.sqrt(variance) * standardNormal(prng));
    }
    case 'uniform':
      return distribution.min + (distribution.max - distribution.min) * prng.next();
    case 'normal':
      return Math.max(0, distribution.mean + distribution.sd * standardNormal(prng));
  }
}

/** The mean of a distribution, for documentation and sanity checks. */
export function meanOf(distribution: Distribution): number {
  switch (distribution.dist) {
    case 'fixed':
      return distribution.value;
    case 'exponential':
    case 'lognormal':
      return distribution.mean;
    case 'weibull':
      return distribution.scale * gamma(1 + 1 / distribution.shape);
    case 'uniform':
      return (distribution.min + distribution.max) / 2;
    case 'normal':
      return distribution.mean;
  }
}

// Lanczos approximation (g = 7), accurate to ~1e-13 for the arguments used here.
function gamma(x: number): number {
  const c = [
    0.999_999_999_999_809_9, 676.520_368_121_885_1, -1259.139_216_722_402_8, 771.323_428_777_653_1,
    -176.615_029_162_140_6, 12.507_343_278_686_905, -0.138_571_095_265_720_12, 9.984_369_578_019_572e-6,
    1.505_632_735_149_311_6e-7,
  ];
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  const y = x - 1;
  let sum = c[0] ?? 0;
  for (let i = 1; i < 9; i += 1) sum += (c[i] ?? 0) / (y + i);
  const t = y + 7.5;
  return Math.sqrt(2 * Math.PI) * t ** (y + 0.5) * Math.exp(-t) * sum;
}
