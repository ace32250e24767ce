import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/backoff.js';

const settings = { initialMs: 100, maxMs: 1_000 };

describe('backoffDelay', () => {
  it.each([
    [1, 0, 50],
    [1, 0.999_999, 100],
    [2, 0, 100],
    [3, 0.5, 300],
    [4, 0, 400],
    [5, 0, 500],
    [50, 1, 1_000],
  ])('attempt %i with random %f waits %i ms', (attempt, random, expected) => {
    expect(backoffDelay(attempt, settings, random)).toBe(expected);
  });
});
