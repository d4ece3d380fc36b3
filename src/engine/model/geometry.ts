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

/** Source indices and weights of linear resampling along one axis (half-pixel centres, clamped). */
function axisWeights(nIn: number, nOut: number): { i0: Int32Array; i1: Int32Array; f: Float64Array } {
  const i0 = new Int32Array(nOut), i1 = new Int32Array(nOut), f = new Float64Array(nOut);
  const scale = nIn / nOut;
  for (let i = 0; i < nOut; i++) {
    const src = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), nIn - 1);
    i0[i] = Math.floor(src);
    i1[i] = Math.min(i0[i] + 1, nIn - 1);
    f[i] = src - i0[i];
  }
  return { i0, i1, f };
}

/** Resamples one axis linearly; `dims` are the current dims (all channels share them). */
function resampleAxis(data: Float64Array, dims: number[], channels: number, axis: number, size: number): Float64Array {
  const nIn = dims[axis];
  const stride = dims.slice(0, axis).reduce((p, n) => p * n, 1);
  const outer = dims.slice(axis + 1).reduce((p, n) => p * n, 1) * channels;
  const out = new Float64Array(stride * size * outer);
  const { i0, i1, f } = axisWeights(nIn, size);
  for (let o = 0; o < outer; o++) {
    const inBase = o * nIn * stride;
    const outBase = o * size * stride;
    if (stride === 1) {
      // The fastest axis: one value per output index.
      for (let i = 0; i < size; i++) out[outBase + i] = data[inBase + i0[i]] * (1 - f[i]) + data[inBase + i1[i]] * f[i];
      continue;
    }
    for (let i = 0; i < size; i++) {
      const row0 = inBase + i0[i] * stride, row1 = inBase + i1[i] * stride, outRow = outBase + i * stride;
      const w1 = f[i], w0 = 1 - w1;
      for (let j = 0; j < stride; j++) out[outRow + j] = data[row0 + j] * w0 + data[row1 + j] * w1;
    }
  }
  return out;
}

/** Linear (bilinear / trilinear) resampling of planar channels from `dims` to `outDims`. */
export function resizeLinear(data: ArrayLike<number>, dims: readonly number[], channels: number, outDims: readonly number[]): Float32Array {
  let current: Float64Array = new Float64Array(data.length);
  if (ArrayBuffer.isView(data)) current.set(data as unknown as Float32Array);
  else for (let i = 0; i < data.length; i++) current[i] = data[i];
  const currentDims = [...dims];
  // Separable: one axis after the other, in float64 so the order of axes does not matter.
  for (let axis = 0; axis < dims.length; axis++) {
    if (currentDims[axis] === outDims[axis]) continue;
    current = resampleAxis(current, currentDims, channels, axis, outDims[axis]);
    currentDims[axis] = outDims[axis];
  }
  const result = new Float32Array(current.length);
  result.set(current);
  return result;
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
export function padCropCentred<T extends Planar>(data: T, dims: readonly number[], channels: number, outDims: readonly number[], fill: readonly number[]): T {
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
