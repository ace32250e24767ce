import type { Source } from './source.js';

/**
 * A binary min-heap of sources by (nextAt, index). The index breaks ties, so sources acting at the
 * same instant always act in plan order: the stream does not depend on insertion history. Keys are
 * copied into a typed array when pushed, which keeps comparisons off the source objects.
 */
export class SourceHeap {
  private readonly heap: Int32Array;
  private readonly keys: Float64Array;
  private length = 0;

  constructor(private readonly sources: readonly Source[]) {
    this.heap = new Int32Array(sources.length);
    this.keys = new Float64Array(sources.length);
  }

  get size(): number {
    return this.length;
  }

  private less(a: number, b: number): boolean {
    const ka = this.keys[a] as number;
    const kb = this.keys[b] as number;
    return ka < kb || (ka === kb && a < b);
  }

  /** Adds a source (not already in the heap) by its current `nextAt`. */
  push(index: number): void {
    this.keys[index] = (this.sources[index] as Source).nextAt;
    const heap = this.heap;
    let i = this.length;
    this.length += 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = heap[parent] as number;
      if (!this.less(index, above)) break;
      heap[i] = above;
      i = parent;
    }
    heap[i] = index;
  }

  pop(): number | undefined {
    if (this.length === 0) return undefined;
    const heap = this.heap;
    const top = heap[0] as number;
    this.length -= 1;
    if (this.length === 0) return top;
    const last = heap[this.length] as number;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.length) break;
      const right = left + 1;
      let child = heap[left] as number;
      let at = left;
      if (right < this.length && this.less(heap[right] as number, child)) {
        child = heap[right] as number;
        at = right;
      }
      if (!this.less(child, last)) break;
      heap[i] = child;
      i = at;
    }
    heap[i] = last;
    return top;
  }
}
