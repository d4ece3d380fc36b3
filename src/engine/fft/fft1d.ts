/**
 * One-dimensional discrete Fourier transform for any length, in place on separate real and
 * imaginary Float64Arrays. Conventions as numpy.fft: the forward transform is unnormalised
 * (X_k = Σ x_n e^{−2πikn/N}) and the inverse carries the 1/N.
 *
 * Powers of two use an iterative radix-2 Cooley–Tukey transform; every other length uses
 * Bluestein's chirp-z algorithm, which rewrites the DFT as a convolution evaluated with a
 * power-of-two transform (real volumes have sizes like 181, a prime, and 217 = 7·31).
 */
export interface Fft1d {
  readonly size: number;
  /** In-place forward transform (unnormalised). */
  forward(re: Float64Array, im: Float64Array): void;
  /** In-place inverse transform, scaled by 1/size. */
  inverse(re: Float64Array, im: Float64Array): void;
}

export function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * Radix-2 plan: bit-reversal permutation and twiddles computed once per size. The twiddles of
 * each stage are stored contiguously (stage of length L at offset L/2 − 1) for both directions,
 * so the butterfly loop reads them in order.
 */
class Radix2Fft {
  private readonly reversed: Uint32Array;
  private readonly forwardRe: Float64Array;
  private readonly forwardIm: Float64Array;
  private readonly backwardIm: Float64Array;

  constructor(readonly size: number) {
    const bits = Math.round(Math.log2(size));
    this.reversed = new Uint32Array(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0, v = i; b < bits; b++, v >>>= 1) r = (r << 1) | (v & 1);
      this.reversed[i] = r;
    }
    this.forwardRe = new Float64Array(Math.max(size - 1, 0));
    this.forwardIm = new Float64Array(Math.max(size - 1, 0));
    for (let length = 2; length <= size; length *= 2) {
      const offset = length / 2 - 1;
      for (let k = 0; k < length / 2; k++) {
        const angle = (-2 * Math.PI * k) / length;
        this.forwardRe[offset + k] = Math.cos(angle);
        this.forwardIm[offset + k] = Math.sin(angle);
      }
    }
    this.backwardIm = this.forwardIm.map((v) => -v);
  }

  /** Unnormalised transform: kernel e^{−2πikn/N} forward, e^{+2πikn/N} backward. */
  transform(re: Float64Array, im: Float64Array, direction: 'forward' | 'backward'): void {
    const n = this.size;
    const reversed = this.reversed;
    for (let i = 0; i < n; i++) {
      const j = reversed[i];
      if (j > i) {
        let t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    const twRe = this.forwardRe;
    const twIm = direction === 'forward' ? this.forwardIm : this.backwardIm;
    for (let half = 1; half < n; half *= 2) {
      const offset = half - 1;
      for (let start = 0; start < n; start += 2 * half) {
        for (let k = 0; k < half; k++) {
          const wr = twRe[offset + k];
          const wi = twIm[offset + k];
          const a = start + k;
          const b = a + half;
          const br = re[b],
            bi = im[b];
          const tr = br * wr - bi * wi;
          const ti = br * wi + bi * wr;
          re[b] = re[a] - tr;
          im[b] = im[a] - ti;
          re[a] += tr;
          im[a] += ti;
        }
      }
    }
  }
}

/**
 * Bluestein: with the chirp w_n = e^{−iπn²/N}, X_k = w_k · Σ_n (x_n w_n) · conj(w_{k−n}),
 * a linear convolution computed as a cyclic one of power-of-two length M ≥ 2N − 1.
 */
class BluesteinFft {
  private readonly inner: Radix2Fft;
  private readonly chirpRe: Float64Array;
  private readonly chirpIm: Float64Array;
  /** Spectrum of the conjugate chirp laid out cyclically (indices −(N−1)…N−1). */
  private readonly kernelRe: Float64Array;
  private readonly kernelIm: Float64Array;
  private readonly workRe: Float64Array;
  private readonly workIm: Float64Array;

  constructor(readonly size: number) {
    const n = size;
    const m = nextPowerOfTwo(2 * n - 1);
    this.inner = new Radix2Fft(m);
    this.chirpRe = new Float64Array(n);
    this.chirpIm = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      // k² mod 2N keeps the angle small, so large k lose no precision.
      const angle = (Math.PI * ((k * k) % (2 * n))) / n;
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
    this.inner.transform(this.kernelRe, this.kernelIm, 'forward');
    // Fold the 1/M of the inner inverse transform into the kernel.
    for (let k = 0; k < m; k++) {
      this.kernelRe[k] /= m;
      this.kernelIm[k] /= m;
    }
    this.workRe = new Float64Array(m);
    this.workIm = new Float64Array(m);
  }

  /** Forward (unnormalised) DFT in place. */
  forward(re: Float64Array, im: Float64Array): void {
    const n = this.size;
    const m = this.workRe.length;
    const wr = this.workRe,
      wi = this.workIm;
    for (let k = 0; k < n; k++) {
      wr[k] = re[k] * this.chirpRe[k] - im[k] * this.chirpIm[k];
      wi[k] = re[k] * this.chirpIm[k] + im[k] * this.chirpRe[k];
    }
    wr.fill(0, n);
    wi.fill(0, n);
    this.inner.transform(wr, wi, 'forward');
    for (let k = 0; k < m; k++) {
      const r = wr[k] * this.kernelRe[k] - wi[k] * this.kernelIm[k];
      wi[k] = wr[k] * this.kernelIm[k] + wi[k] * this.kernelRe[k];
      wr[k] = r;
    }
    this.inner.transform(wr, wi, 'backward');
    for (let k = 0; k < n; k++) {
      const cr = wr[k],
        ci = wi[k];
      re[k] = cr * this.chirpRe[k] - ci * this.chirpIm[k];
      im[k] = cr * this.chirpIm[k] + ci * this.chirpRe[k];
    }
  }
}

class Plan implements Fft1d {
  private readonly radix2?: Radix2Fft;
  private readonly bluestein?: BluesteinFft;

  constructor(readonly size: number) {
    if (isPowerOfTwo(size)) this.radix2 = new Radix2Fft(size);
    else this.bluestein = new BluesteinFft(size);
  }

  forward(re: Float64Array, im: Float64Array): void {
    if (this.radix2) this.radix2.transform(re, im, 'forward');
    else this.bluestein!.forward(re, im);
  }

  inverse(re: Float64Array, im: Float64Array): void {
    const n = this.size;
    if (this.radix2) {
      this.radix2.transform(re, im, 'backward');
    } else {
      // ifft(x) = conj(fft(conj(x))) / N
      for (let k = 0; k < n; k++) im[k] = -im[k];
      this.bluestein!.forward(re, im);
      for (let k = 0; k < n; k++) im[k] = -im[k];
    }
    for (let k = 0; k < n; k++) {
      re[k] /= n;
      im[k] /= n;
    }
  }
}

const plans = new Map<number, Fft1d>();

/** A (cached) transform plan for `size` points. Plans keep scratch buffers: not re-entrant. */
export function fftPlan(size: number): Fft1d {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`FFT size must be a positive integer, got ${size}`);
  let plan = plans.get(size);
  if (!plan) {
    plan = new Plan(size);
    plans.set(size, plan);
  }
  return plan;
}
