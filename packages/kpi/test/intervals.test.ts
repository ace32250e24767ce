import { describe, expect, it } from 'vitest';
import { clipTo, intersectionOf, lengthOf, lowerBound, unionOf, upperBound } from '../src/intervals.js';

const span = (startMs: number, endMs: number) => ({ startMs, endMs });

describe('intervals', () => {
  it.each([
    [
      [span(5, 8), span(0, 3), span(3, 4), span(7, 10), span(12, 12)],
      [span(0, 4), span(5, 10)],
    ],
    [[], []],
  ])('unionOf %j', (input, expected) => {
    expect(unionOf(input)).toEqual(expected);
  });

  it('intersectionOf', () => {
    expect(intersectionOf([span(0, 10), span(20, 30)], [span(5, 25)])).toEqual([span(5, 10), span(20, 25)]);
  });

  it('clipTo and lengthOf', () => {
    const clipped = clipTo([span(0, 10), span(20, 30)], 5, 22);
    expect(clipped).toEqual([span(5, 10), span(20, 22)]);
    expect(lengthOf(clipped)).toBe(7);
  });

  it.each([
    [[1, 2, 2, 3], 2, 1, 3],
    [[1, 2, 2, 3], 0, 0, 0],
    [[1, 2, 2, 3], 9, 4, 4],
  ])('bounds of %j at %i', (values, value, lower, upper) => {
    expect(lowerBound(values, value)).toBe(lower);
    expect(upperBound(values, value)).toBe(upper);
  });
});
