/**
 * A seedable pseudo-random source. sfc32 (Chris Doty-Humphrey's Small Fast Counter, from PractRand):
 * 128 bits of state, 32-bit integer arithmetic that JavaScript does exactly, so every platform draws
 * the same numbers; the counter guarantees a period of at least 2^32. Math.random is never used.
 */
export interface Prng {
  /** Uniform in [0, 1), with 32 bits of resolution. */
  next(): number;
}

export function sfc32(a: number, b: number, c: number, d: number): Prng {
  let s0 = a >>> 0;
  let s1 = b >>> 0;
  let s2 = c >>> 0;
  let s3 = d >>> 0;
  const prng: Prng = {
    next(): number {
      const t = (((s0 + s1) | 0) + s3) | 0;
      s3 = (s3 + 1) | 0;
      s0 = s1 ^ (s1 >>> 9);
      s1 = (s2 + (s2 << 3)) | 0;
      s2 = (s2 << 21) | (s2 >>> 11);
      s2 = (s2 + t) | 0;
      return (t >>> 0) / 4_294_967_296;
    },
  };
  // The first outputs of a freshly seeded sfc32 are weakly mixed; PractRand's reference discards 12.
  for (let i = 0; i < 12; i += 1) prng.next();
  return prng;
}

/**
 * cyrb128 (bryc, public domain): hashes text to 128 bits. Used to derive an independent stream per
 * seed, cell and concern, so adding a cell or a sensor never changes another cell's draws.
 */
export function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1_779_033_703;
  let h2 = 3_144_134_277;
  let h3 = 1_013_904_242;
  let h4 = 2_773_480_762;
  for (let i = 0; i < text.length; i += 1) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597_399_067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2_869_860_233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951_274_213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2_716_044_179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597_399_067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2_869_860_233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951_274_213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2_716_044_179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** The stream for one concern (`failures`, `sensors`, …) of one publisher under one seed. */
export function streamFor(seed: string, ...labels: string[]): Prng {
  const [a, b, c, d] = cyrb128([seed, ...labels].join('\u0000'));
  return sfc32(a, b, c, d);
}
