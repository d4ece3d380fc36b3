/**
 * The same 1D transform applied to many lines at once. A block holds `columns` lines side by
 * side: row k is the k-th point of every line, at re/im[k·columns + c]. Every butterfly then runs
 * an inner loop over the columns, reading rows contiguously and loading each twiddle once per
 * block instead of once per line; that, not fewer operations, is what makes whole-volume
 * transforms fast in JavaScript. Conventions as fft1d.ts (numpy.fft: unnormalised forward,
 * inverse scaled by 1/n). This file holds radix-2 and Bluestein; mixedRadix.ts and rader.ts the
 * others, blockPlan.ts picks one per size.
 */

/** Lines per block: big enough to amortise the loops, small enough for the cache (512 rows × 32 × 16 B). */
export const BLOCK_COLUMNS = 32;

export interface BlockFft {
  readonly size: number;
  /** In-place forward transform of the first `columns` lines of a size×columns block. */
  forward(re: Float64Array, im: Float64Array, columns: number): void;
  /** In-place inverse transform (scaled by 1/size). */
  inverse(re: Float64Array, im: Float64Array, columns: number): void;
}

/** Radix-2 decimation in time on rows; bit reversal swaps whole rows. */
export class Radix2Block {
  private readonly reversed: Uint32Array;
  private readonly twRe: Float64Array;
  private readonly twIm: Float64Array;

  constructor(readonly size: number) {
    const bits = Math.round(Math.log2(size));
    this.reversed = new Uint32Array(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0, v = i; b < bits; b++, v >>>= 1) r = (r << 1) | (v & 1);
      this.reversed[i] = r;
    }
    // Twiddles of the stage with half-length h at offset h − 1 (as fft1d.ts), forward sign.
    this.twRe = new Float64Array(Math.max(size - 1, 0));
    this.twIm = new Float64Array(Math.max(size - 1, 0));
    for (let half = 1; half < size; half *= 2) {
      for (let k = 0; k < half; k++) {
        const angle = (-Math.PI * k) / half;
        this.twRe[half - 1 + k] = Math.cos(angle);
        this.twIm[half - 1 + k] = Math.sin(angle);
      }
    }
  }

  /** Unnormalised: kernel e^{−2πikn/N} when sign = 1, e^{+2πikn/N} when sign = −1. */
  transform(re: Float64Array, im: Float64Array, columns: number, sign: 1 | -1): void {
    const n = this.size;
    const C = columns;
    for (let i = 0; i < n; i++) {
      const j = this.reversed[i];
      if (j <= i) continue;
      for (let a = i * C, b = j * C, end = a + C; a < end; a++, b++) {
        let t = re[a];
        re[a] = re[b];
        re[b] = t;
        t = im[a];
        im[a] = im[b];
        im[b] = t;
      }
    }
    const twRe = this.twRe,
      twIm = this.twIm;
    for (let half = 1; half < n; half *= 2) {
      const span = half * C;
      for (let start = 0; start < n; start += 2 * half) {
        for (let k = 0; k < half; k++) {
          const wr = twRe[half - 1 + k];
          const wi = sign * twIm[half - 1 + k];
          const a0 = (start + k) * C;
          for (let a = a0, end = a0 + C; a < end; a++) {
            const b = a + span;
            const br = re[b],
              bi = im[b];
            const tr = br * wr - bi * wi;
            const ti = br * wi + bi * wr;
            const ar = re[a],
              ai = im[a];
            re[b] = ar - tr;
            im[b] = ai - ti;
            re[a] = ar + tr;
            im[a] = ai + ti;
          }
        }
      }
    }
  }
}

/** Multiplies rows [0, rows) by a complex factor per row: out = in · (fr + i·fi). */
function scaleRows(
  inRe: Float64Array,
  inIm: Float64Array,
  outRe: Float64Array,
  outIm: Float64Array,
  rows: number,
  columns: number,
  factorRe: Float64Array,
  factorIm: Float64Array,
): void {
  for (let k = 0, i = 0; k < rows; k++) {
    const fr = factorRe[k],
      fi = factorIm[k];
    for (let end = i + columns; i < end; i++) {
      const x = inRe[i],
        y = inIm[i];
      outRe[i] = x * fr - y * fi;
      outIm[i] = x * fi + y * fr;
    }
  }
}

/**
 * Bluestein as in fft1d.ts (X_k = w_k · Σ_n x_n w_n · conj(w_{k−n}), w_n = e^{−iπn²/N}), with the
 * cyclic convolution of power-of-two length M ≥ 2N − 1 done on whole blocks.
 */
export class BluesteinBlock {
  private readonly inner: Radix2Block;
  private readonly chirpRe: Float64Array;
  private readonly chirpIm: Float64Array;
  private readonly kernelRe: Float64Array;
  private readonly kernelIm: Float64Array;
  private readonly workRe: Float64Array;
  private readonly workIm: Float64Array;

  constructor(readonly size: number) {
    const n = size;
    let m = 1;
    while (m < 2 * n - 1) m *= 2;
    this.inner = new Radix2Block(m);
    this.chirpRe = new Float64Array(n);
    this.chirpIm = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const angle = (Math.PI * ((k * k) % (2 * n))) / n; // k² mod 2N keeps the angle small
      this.chirpRe[k] = Math.cos(angle);
      this.chirpIm[k] = -Math.sin(angle);
    }
    this.kernelRe = new Float64Array(m);
    this.kernelIm = new Float64Array(m);
    this.kernelRe[0] = this.chirpRe[0];
    this.kernelIm[0] = -this.chirpIm[0];
    for (let k = 1; k < n; k++) {
      this.kernelRe[k] = this.kernelRe[m - k] = this.chirpRe[k];
      this.kernelIm[k] = this.kernelIm[m - k] = -this.chirpIm[k];
    }
    this.inner.transform(this.kernelRe, this.kernelIm, 1, 1);
    for (let k = 0; k < m; k++) {
      this.kernelRe[k] /= m; // the inner inverse's 1/M, folded in
      this.kernelIm[k] /= m;
    }
    this.workRe = new Float64Array(m * BLOCK_COLUMNS);
    this.workIm = new Float64Array(m * BLOCK_COLUMNS);
  }

  forward(re: Float64Array, im: Float64Array, columns: number): void {
    const n = this.size;
    const m = this.kernelRe.length;
    const wr = this.workRe,
      wi = this.workIm;
    scaleRows(re, im, wr, wi, n, columns, this.chirpRe, this.chirpIm);
    wr.fill(0, n * columns, m * columns);
    wi.fill(0, n * columns, m * columns);
    this.inner.transform(wr, wi, columns, 1);
    scaleRows(wr, wi, wr, wi, m, columns, this.kernelRe, this.kernelIm);
    this.inner.transform(wr, wi, columns, -1);
    scaleRows(wr, wi, re, im, n, columns, this.chirpRe, this.chirpIm);
  }
}
