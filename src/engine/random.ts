/**
 * Seeded pseudo-random numbers, so that noisy and elastic transforms are reproducible from
 * the experiment's seed. xoshiro128** seeded through splitmix32; normals by Box–Muller.
 */
export interface Random {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Normal with the given mean and standard deviation. */
  normal(mean?: number, sd?: number): number;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRandom(seed: number): Random {
  const next32 = splitmix32(Math.floor(seed) >>> 0);
  let a = next32(),
    b = next32(),
    c = next32(),
    d = next32();
  const nextUint = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c = (c ^ t) >>> 0;
    d = rotl(d, 11);
    return result;
  };
  let spare: number | undefined;
  const uniform = (): number => nextUint() / 4294967296;
  return {
    uniform,
    normal(mean = 0, sd = 1) {
      if (spare !== undefined) {
        const value = spare;
        spare = undefined;
        return mean + sd * value;
      }
      let u = 0;
      while (u === 0) u = uniform();
      const v = uniform();
      const radius = Math.sqrt(-2 * Math.log(u));
      spare = radius * Math.sin(2 * Math.PI * v);
      return mean + sd * radius * Math.cos(2 * Math.PI * v);
    },
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Combines a base seed with further integers (series index, input index, step) into one seed. */
export function deriveSeed(base: number, ...parts: number[]): number {
  let h = base >>> 0;
  for (const part of parts) {
    h = Math.imul(h ^ (Math.floor(part) >>> 0), 0x9e3779b1) >>> 0;
    h ^= h >>> 15;
  }
  return h >>> 0;
}
