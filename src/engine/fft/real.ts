/**
 * Transforms of real images that keep half the spectrum. The spectrum of a real image is
 * Hermitian (X_{−k} = conj X_k), so along one axis (the last one longer than 1) only the raw
 * indices 0 … n div 2 are kept; the transform of two real lines A and B is one complex transform
 * of A + iB, split by X_A(k) = (Z_k + conj Z_{n−k})/2, X_B(k) = (Z_k − conj Z_{n−k})/(2i). Every
 * other axis then transforms half the data, so a whole-volume filter costs half the complex one.
 *
 * A k-space gain g applied this way must be Hermitian itself (g_{−k} = g_k): real(F⁻¹(g ⊙ F x))
 * equals F⁻¹(g_sym ⊙ F x) with g_sym(k) = (g(k) + g(−k))/2, which the callers build.
 */
import { BLOCK_COLUMNS } from './block';
import { blockFftPlan } from './blockPlan';
import { fftAlongAxis, type ComplexSamples } from './fftn';
import { axisLines, elementCount, gatherLines, lineStarts, scatterLines, scratch, type Samples } from './lines';

export interface HalfSpectrum extends ComplexSamples {
  /** dims of the real image. */
  dims: readonly number[];
  /** The axis that keeps raw indices 0 … n div 2 only. */
  axis: number;
  /** dims of the stored half spectrum (dims with dims[axis] div 2 + 1 on `axis`). */
  halfDims: readonly number[];
}

/** The last axis longer than 1: every axis after it has one point, so its lines are contiguous. */
function halvedAxis(dims: readonly number[]): number {
  for (let axis = dims.length - 1; axis > 0; axis--) if (dims[axis] > 1) return axis;
  return 0;
}

/** Lines [first, first + a) go to the real part, the next b ≤ a to the imaginary part. */
function pairCounts(first: number, total: number): [number, number] {
  const a = Math.min(BLOCK_COLUMNS, total - first);
  return [a, Math.min(a, total - first - a)];
}

/** Lines [first, first + a) of `values` into the block's real part, the next b into its imaginary part. */
function packLines(
  values: ArrayLike<number>,
  first: number,
  a: number,
  b: number,
  n: number,
  lines: number,
  blockRe: Float64Array,
  blockIm: Float64Array,
): void {
  for (let k = 0; k < n; k++) {
    const row = k * a,
      from = first + k * lines;
    for (let c = 0; c < a; c++) blockRe[row + c] = values[from + c];
    for (let c = 0; c < b; c++) blockIm[row + c] = values[from + a + c];
    for (let c = b; c < a; c++) blockIm[row + c] = 0;
  }
}

/** The half spectra of both packed line groups from their joint transform Z (see the top). */
function unpackHalves(
  blockRe: Float64Array,
  blockIm: Float64Array,
  first: number,
  a: number,
  b: number,
  n: number,
  half: number,
  lines: number,
  re: Samples,
  im: Samples,
): void {
  for (let k = 0; k < half; k++) {
    const row = k * a,
      mirror = ((n - k) % n) * a,
      to = first + k * lines;
    for (let c = 0; c < a; c++) {
      const zr = blockRe[row + c],
        zi = blockIm[row + c],
        mr = blockRe[mirror + c],
        mi = blockIm[mirror + c];
      re[to + c] = (zr + mr) / 2;
      im[to + c] = (zi - mi) / 2;
    }
    for (let c = 0; c < b; c++) {
      const zr = blockRe[row + c],
        zi = blockIm[row + c],
        mr = blockRe[mirror + c],
        mi = blockIm[mirror + c];
      re[to + a + c] = (zi + mi) / 2;
      im[to + a + c] = (mr - zr) / 2;
    }
  }
}

/** fftn of a real image, half along the last axis longer than 1 (raw indices, not centred). */
export function realSpectrum(values: ArrayLike<number>, dims: readonly number[]): HalfSpectrum {
  const spectrum = halfAlongLastAxis(values, dims, Float64Array);
  for (let other = 0; other < spectrum.axis; other++) fftAlongAxis(spectrum, spectrum.halfDims, other, false);
  return spectrum;
}

/**
 * The real-input transform along the halved axis only (the first step of realSpectrum), kept in
 * `Storage` (Float32Array halves the memory; every transform still computes in double).
 */
export function halfAlongLastAxis(
  values: ArrayLike<number>,
  dims: readonly number[],
  Storage: Float64ArrayConstructor | Float32ArrayConstructor,
): HalfSpectrum {
  if (values.length !== elementCount(dims)) {
    throw new RangeError(`${values.length} values, dims [${dims.join(', ')}] need ${elementCount(dims)}`);
  }
  const axis = halvedAxis(dims);
  const n = dims[axis];
  const half = Math.floor(n / 2) + 1;
  const lines = values.length / n; // line j starts at j, points `lines` apart
  const halfDims = dims.map((size, a) => (a === axis ? half : size));
  // One buffer [re | im]: the real image fits in it again (n ≤ 2·half), see realFromHalfSpectrum.
  const buffer = new Storage(2 * lines * half);
  const re = buffer.subarray(0, lines * half);
  const im = buffer.subarray(lines * half);
  const plan = blockFftPlan(n);
  const block = scratch(n);
  for (let first = 0; first < lines;) {
    const [a, b] = pairCounts(first, lines);
    packLines(values, first, a, b, n, lines, block.re, block.im);
    plan.forward(block.re, block.im, a);
    unpackHalves(block.re, block.im, first, a, b, n, half, lines, re, im);
    first += a + b;
  }
  return { re, im, dims: [...dims], axis, halfDims };
}

/**
 * ifftn of a Hermitian spectrum kept as a half: the real image. Consumes `spectrum`: when its
 * re and im are the two halves of one buffer (as realSpectrum makes them), the image is written
 * over it, since a page of fresh memory costs more than the arithmetic that fills it. That is
 * safe block by block: a block's image points land on spectrum points of the same lines, which
 * the block has already read.
 */
export function realFromHalfSpectrum(spectrum: HalfSpectrum): Samples {
  for (let other = 0; other < spectrum.axis; other++) fftAlongAxis(spectrum, spectrum.halfDims, other, true);
  return realFromHalfAxis(spectrum);
}

/** The image's array, of the spectrum's precision: over the spectrum's own buffer when `shared`. */
function imageStorage(re: Samples, shared: boolean, count: number): Samples {
  if (re instanceof Float32Array)
    return shared ? new Float32Array(re.buffer, re.byteOffset, count) : new Float32Array(count);
  return shared ? new Float64Array(re.buffer, re.byteOffset, count) : new Float64Array(count);
}

/** The inverse of halfAlongLastAxis: the last step of realFromHalfSpectrum (same buffer rules). */
export function realFromHalfAxis(spectrum: HalfSpectrum): Samples {
  const { dims, axis, halfDims, re, im } = spectrum;
  const n = dims[axis];
  const half = halfDims[axis];
  const lines = re.length / half;
  const shared = re.buffer === im.buffer && im.byteOffset === re.byteOffset + re.byteLength;
  const out = imageStorage(re, shared, lines * n);
  const plan = blockFftPlan(n);
  const block = scratch(n);
  for (let first = 0; first < lines;) {
    const [a, b] = pairCounts(first, lines);
    // Z = X_A + i·X_B over the whole axis, the upper half from X(n − k) = conj X(k).
    for (let k = 0; k < n; k++) {
      const stored = k < half ? k : n - k;
      const sign = k < half ? 1 : -1;
      const row = k * a,
        from = first + stored * lines;
      for (let c = 0; c < a; c++) {
        let zr = re[from + c],
          zi = sign * im[from + c];
        if (c < b) {
          zr -= sign * im[from + a + c];
          zi += re[from + a + c];
        }
        block.re[row + c] = zr;
        block.im[row + c] = zi;
      }
    }
    plan.inverse(block.re, block.im, a);
    for (let k = 0; k < n; k++) {
      const row = k * a,
        to = first + k * lines;
      for (let c = 0; c < a; c++) out[to + c] = block.re[row + c];
      for (let c = 0; c < b; c++) out[to + a + c] = block.im[row + c];
    }
    first += a + b;
  }
  return out;
}

/**
 * F⁻¹_a(g ⊙ F_a(values)) along one axis for real values and a Hermitian gain g (raw index:
 * g[k] = g[(n − k) mod n]): real in, real out, two lines per complex transform. `out` may be
 * `values` itself (each block reads its lines before writing them).
 */
export function realFilterAlongAxis(
  values: ArrayLike<number>,
  dims: readonly number[],
  axis: number,
  rawGains: ArrayLike<number>,
  out: Float64Array = new Float64Array(values.length),
): Float64Array {
  const lines = axisLines(dims, axis);
  const { n, stride, count } = lines;
  const plan = blockFftPlan(n);
  const block = scratch(n);
  const second = new Int32Array(BLOCK_COLUMNS);
  for (let first = 0; first < count;) {
    const [a, b] = pairCounts(first, count);
    lineStarts(lines, first, a, block.starts);
    lineStarts(lines, first + a, b, second);
    gatherLines(values, block.starts, a, stride, n, block.re, a);
    gatherLines(values, second, b, stride, n, block.im, a);
    for (let k = 0; k < n; k++) block.im.fill(0, k * a + b, (k + 1) * a);
    plan.forward(block.re, block.im, a);
    for (let k = 0; k < n; k++) {
      const gain = rawGains[k];
      if (gain === 1) continue;
      for (let i = k * a, end = i + a; i < end; i++) {
        block.re[i] *= gain;
        block.im[i] *= gain;
      }
    }
    plan.inverse(block.re, block.im, a);
    scatterLines(block.re, block.starts, a, stride, n, out, a);
    scatterLines(block.im, second, b, stride, n, out, a);
    first += a + b;
  }
  return out;
}
