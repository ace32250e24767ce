/** A pseudo-random source that can be seeded (xorshift32), so a failing fuzz run can be repeated. */
export function rng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

/** Choices drawn from a seeded source, biased towards the edges of each range. */
export class Random {
  readonly next: () => number;

  constructor(seed: number) {
    // Neighbouring seeds (a run's sessions) would start alike in xorshift: mix the seed first.
    let h = Math.imul((seed >>> 0) ^ (seed / 0x1_0000_0000), 0x9e37_79b1);
    h = Math.imul(h ^ (h >>> 15), 0x85eb_ca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2_ae35);
    this.next = rng(h ^ (h >>> 16));
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Half the time one of the edge values (0, 1, max, …), otherwise anything in [0, max]. */
  edge(max: number, extra: readonly number[] = []): number {
    return this.chance(0.5) ? this.pick([0, 1, max, max - 1, ...extra]) : this.int(0, max);
  }

  bytes(length: number): Buffer {
    return Buffer.from(Array.from({ length }, () => this.int(0, 255)));
  }
}
