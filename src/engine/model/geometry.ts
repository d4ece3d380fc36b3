/**
 * The geometry step between an image's grid and the model's grid, and back: (bi/tri)linear
 * resampling and centred pad/crop of planar multi-channel arrays in the Volume layout
 * (first axis fastest; dims in image order [nx, ny(, nz)]).
 *
 * Linear resampling uses half-pixel centres without anti-aliasing — the convention of
 * torch.nn.functional.interpolate(align_corners=False) and ONNX Resize(half_pixel), which
 * is how most models were trained: src = (i + 0.5)·n_in/n_out − 0.5, clamped to [0, n_in − 1].
 */
import type { GeometrySpec } from './cardTypes';

type Planar = Float32Array | Float64Array | Uint8Array | Uint16Array;

/** The model-grid dims for an image grid under a geometry policy. */
export function modelGridFor(geometry: GeometrySpec, dims: readonly number[]): number[] {
  if (geometry.policy === 'pad-to-multiple') {
    const k = geometry.multiple ?? 1;
    return dims.map((n) => Math.ceil(n / k) * k);
  }
  return [...geometry.size!];
}

export function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

/**
 * Source indices and weights of linear resampling along one axis (half-pixel centres, clamped):
 * out[i] = in[lower[i]]·w0[i] + in[upper[i]]·w1[i] with w0 = 1 − w1.
 */
export interface LinearTaps {
  lower: Int32Array;
  upper: Int32Array;
  w0: Float64Array;
  w1: Float64Array;
}

/** Taps by "nIn>nOut": a sweep resizes the same sizes for every image, so they are computed once. */
const tapsCache = new Map<string, LinearTaps>();
const TAPS_CACHE_LIMIT = 64;

export function linearTaps(nIn: number, nOut: number): LinearTaps {
  const key = `${nIn}>${nOut}`;
  let taps = tapsCache.get(key);
  if (taps) return taps;
  taps = {
    lower: new Int32Array(nOut),
    upper: new Int32Array(nOut),
    w0: new Float64Array(nOut),
    w1: new Float64Array(nOut),
  };
  const scale = nIn / nOut;
  for (let i = 0; i < nOut; i++) {
    const src = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), nIn - 1);
    const lower = Math.floor(src);
    taps.lower[i] = lower;
    taps.upper[i] = Math.min(lower + 1, nIn - 1);
    taps.w1[i] = src - lower;
    taps.w0[i] = 1 - taps.w1[i];
  }
  if (tapsCache.size >= TAPS_CACHE_LIMIT) tapsCache.clear();
  tapsCache.set(key, taps);
  return taps;
}

/**
 * Float64 scratch buffers reused across calls (everything here is synchronous, and no result
 * ever aliases them), so that resampling an image allocates only its result.
 */
const scratch: Float64Array[] = [new Float64Array(0), new Float64Array(0)];

function scratchBuffer(slot: number, length: number): Float64Array {
  if (scratch[slot].length < length)
    scratch[slot] = new Float64Array(Math.max(length, Math.ceil(scratch[slot].length * 1.5)));
  return scratch[slot];
}

/**
 * Resamples one axis linearly from `src` into `out` (both float64, so the order of axes does
 * not matter). The data are `outer` blocks of nIn·stride values, `stride` = product of the
 * faster axes; each output block is size·stride values.
 */
function resampleAxis(
  src: Float64Array,
  out: Float64Array,
  stride: number,
  outer: number,
  nIn: number,
  size: number,
): void {
  const { lower, upper, w0, w1 } = linearTaps(nIn, size);
  for (let o = 0; o < outer; o++) {
    const inBase = o * nIn * stride;
    const outBase = o * size * stride;
    if (stride === 1) {
      // The fastest axis: one value per output index.
      for (let i = 0; i < size; i++) out[outBase + i] = src[inBase + lower[i]] * w0[i] + src[inBase + upper[i]] * w1[i];
      continue;
    }
    for (let i = 0; i < size; i++) {
      const row0 = inBase + lower[i] * stride,
        row1 = inBase + upper[i] * stride,
        outRow = outBase + i * stride;
      const a = w0[i],
        b = w1[i];
      for (let j = 0; j < stride; j++) out[outRow + j] = src[row0 + j] * a + src[row1 + j] * b;
    }
  }
}

/**
 * Linear (bilinear / trilinear) resampling of planar channels from `dims` to `outDims`.
 * Separable: one axis after the other (fastest first) in float64, rounded to float32 once.
 */
export function resizeLinear(
  data: ArrayLike<number>,
  dims: readonly number[],
  channels: number,
  outDims: readonly number[],
): Float32Array {
  const result = new Float32Array(outDims.reduce((p, n) => p * n, channels));
  resizeLinearInto(data, dims, channels, outDims, result, 0);
  return result;
}

/**
 * resizeLinear writing its float32 result into `target` at `offset` (e.g. straight into a
 * batch tensor, without a result array of its own); the same values.
 */
export function resizeLinearInto(
  data: ArrayLike<number>,
  dims: readonly number[],
  channels: number,
  outDims: readonly number[],
  target: Float32Array,
  offset: number,
): void {
  let slot = 0;
  let current = scratchBuffer(slot, data.length);
  if (ArrayBuffer.isView(data)) current.set(data as unknown as Float32Array);
  else for (let i = 0; i < data.length; i++) current[i] = data[i];
  let length = data.length;
  const currentDims = [...dims];
  for (let axis = 0; axis < dims.length; axis++) {
    const nIn = currentDims[axis],
      size = outDims[axis];
    if (nIn === size) continue;
    let stride = 1,
      outer = channels;
    for (let a = 0; a < axis; a++) stride *= currentDims[a];
    for (let a = axis + 1; a < dims.length; a++) outer *= currentDims[a];
    length = stride * size * outer;
    slot = (slot + 1) % 2;
    const out = scratchBuffer(slot, length);
    resampleAxis(current, out, stride, outer, nIn, size);
    current = out;
    currentDims[axis] = size;
  }
  target.set(current.subarray(0, length), offset);
}

/** Offset of the kept part along one axis: where the smaller extent starts inside the larger one. */
function centredOffset(from: number, to: number): { src: number; dst: number; length: number } {
  return from >= to
    ? { src: Math.floor((from - to) / 2), dst: 0, length: to }
    : { src: 0, dst: Math.floor((to - from) / 2), length: from };
}

/**
 * Centres `data` (dims → outDims) by padding and/or cropping each axis independently; the
 * smaller extent starts floor(difference / 2) into the larger. Padding gets `fill[c]`.
 * Going back uses the same function with the dims swapped, which lands on the same offsets.
 */
export function padCropCentred<T extends Planar>(
  data: T,
  dims: readonly number[],
  channels: number,
  outDims: readonly number[],
  fill: readonly number[],
): T {
  const [nx, ny, nz = 1] = dims;
  const [mx, my, mz = 1] = outDims;
  const inVoxels = nx * ny * nz;
  const outVoxels = mx * my * mz;
  const out = new (data.constructor as new (length: number) => T)(outVoxels * channels);
  const x = centredOffset(nx, mx);
  const y = centredOffset(ny, my);
  const z = centredOffset(nz, mz);
  for (let c = 0; c < channels; c++) {
    const value = fill[c] ?? fill[0] ?? 0;
    if (value !== 0) out.fill(value, c * outVoxels, (c + 1) * outVoxels);
    for (let k = 0; k < z.length; k++) {
      for (let j = 0; j < y.length; j++) {
        const src = c * inVoxels + x.src + nx * (y.src + j + ny * (z.src + k));
        const dst = c * outVoxels + x.dst + mx * (y.dst + j + my * (z.dst + k));
        out.set(data.subarray(src, src + x.length), dst);
      }
    }
  }
  return out;
}
