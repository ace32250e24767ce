/** Half-open time intervals [startMs, endMs) and the few set operations the time model needs. */

export interface Interval {
  startMs: number;
  endMs: number;
}

/** Sorted, non-overlapping, non-empty union of the given intervals (touching ones are merged). */
export function unionOf(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals
    .filter((interval) => interval.endMs > interval.startMs)
    .sort((a, b) => a.startMs - b.startMs);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && interval.startMs <= last.endMs) {
      last.endMs = Math.max(last.endMs, interval.endMs);
    } else {
      merged.push({ startMs: interval.startMs, endMs: interval.endMs });
    }
  }
  return merged;
}

/** Parts of a sorted disjoint list that fall inside [startMs, endMs). */
export function clipTo(intervals: readonly Interval[], startMs: number, endMs: number): Interval[] {
  const clipped: Interval[] = [];
  for (const interval of intervals) {
    const start = Math.max(interval.startMs, startMs);
    const end = Math.min(interval.endMs, endMs);
    if (end > start) clipped.push({ startMs: start, endMs: end });
  }
  return clipped;
}

/** Intersection of two sorted disjoint lists. */
export function intersectionOf(left: readonly Interval[], right: readonly Interval[]): Interval[] {
  const result: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const a = left[i]!;
    const b = right[j]!;
    const start = Math.max(a.startMs, b.startMs);
    const end = Math.min(a.endMs, b.endMs);
    if (end > start) result.push({ startMs: start, endMs: end });
    if (a.endMs < b.endMs) i++;
    else j++;
  }
  return result;
}

/** Total length of a disjoint list, ms. */
export function lengthOf(intervals: readonly Interval[]): number {
  let total = 0;
  for (const interval of intervals) total += interval.endMs - interval.startMs;
  return total;
}

/** First index in a sorted number array whose value is greater than `value` (upper bound). */
export function upperBound(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** First index in a sorted number array whose value is at least `value` (lower bound). */
export function lowerBound(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
