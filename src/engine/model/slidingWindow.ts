/**
 * Sliding-window inference for models with a fixed input smaller than the image (patch-based
 * models, typically 3D): where the windows go, how heavily each window's output counts at a
 * voxel, and the weighted average of the windows' per-class scores on the image grid.
 *
 * Dims are in image order ([nx, ny] or [nx, ny, nz], first axis fastest); arrays are planar
 * (plane c holds values c·voxels … (c + 1)·voxels − 1). 2D grids are treated as nz = 1.
 */
import type { WindowBlend } from './cardTypes';

/**
 * Window starts along one axis of `n` voxels for windows of `p` ≤ n: evenly spread from 0 to
 * n − p, with a step of at most max(1, p·(1 − overlap)), so that neighbours share at least the
 * asked-for fraction. The rounding is integer arithmetic (round half up), the same everywhere.
 */
export function windowStarts(n: number, p: number, overlap: number): number[] {
  if (!(p >= 1 && n >= p)) throw new RangeError(`window of ${p} does not fit an axis of ${n}`);
  if (n === p) return [0];
  const step = Math.max(1, p * (1 - overlap));
  const count = Math.ceil((n - p) / step) + 1;
  const span = n - p,
    gaps = count - 1;
  return Array.from({ length: count }, (_, i) => Math.floor((2 * i * span + gaps) / (2 * gaps)));
}

/** Every window origin on a grid (each axis ≥ the window), the first axis fastest. */
export function windowOrigins(dims: readonly number[], windowDims: readonly number[], overlap: number): number[][] {
  const perAxis = dims.map((n, axis) => windowStarts(n, windowDims[axis], overlap));
  let origins: number[][] = [[]];
  // Each new axis is the outer loop, so the first axis ends up fastest.
  for (const starts of perAxis) origins = starts.flatMap((start) => origins.map((origin) => [...origin, start]));
  return origins;
}

/** A grid of at least the window size: every axis padded up to the window where it is shorter. */
export function paddedDims(dims: readonly number[], windowDims: readonly number[]): number[] {
  return dims.map((n, axis) => Math.max(n, windowDims[axis]));
}

/** Relative weight of a window's output at each of its voxels (gaussian: σ = size / 8 per axis). */
export function windowWeights(windowDims: readonly number[], blend: WindowBlend): Float32Array {
  const voxels = windowDims.reduce((product, n) => product * n, 1);
  const weights = new Float32Array(voxels);
  if (blend === 'uniform') return weights.fill(1);
  const profiles = windowDims.map((p) => {
    const sigma = p / 8,
      centre = (p - 1) / 2;
    return Array.from({ length: p }, (_, i) => Math.exp(-((i - centre) ** 2) / (2 * sigma * sigma)));
  });
  const [px, py, pz = 1] = windowDims;
  const [wx, wy, wz = [1]] = profiles;
  for (let z = 0; z < pz; z++) {
    for (let y = 0; y < py; y++) {
      const yz = wy[y] * wz[z];
      const row = px * (y + py * z);
      for (let x = 0; x < px; x++) weights[row + x] = wx[x] * yz;
    }
  }
  return weights;
}

/** Copies the window at `origin` (planar channels) out of a planar grid. */
export function extractWindow(
  data: Float32Array,
  dims: readonly number[],
  channels: number,
  origin: readonly number[],
  windowDims: readonly number[],
): Float32Array {
  const [nx, ny, nz = 1] = dims;
  const [px, py, pz = 1] = windowDims;
  const [ox, oy, oz = 0] = origin;
  const out = new Float32Array(px * py * pz * channels);
  let at = 0;
  for (let c = 0; c < channels; c++) {
    for (let z = 0; z < pz; z++) {
      for (let y = 0; y < py; y++) {
        const from = ox + nx * (oy + y + ny * (oz + z + nz * c));
        out.set(data.subarray(from, from + px), at);
        at += px;
      }
    }
  }
  return out;
}

/**
 * The weighted sum of windows' planar scores on a grid, and the sum of weights. Memory: two
 * float32 arrays, planes × voxels and voxels (4·(planes + 1) bytes per voxel of the grid).
 */
export class WindowBlender {
  private readonly sums: Float32Array;
  private readonly weightSums: Float32Array;
  private readonly voxels: number;

  constructor(
    readonly dims: readonly number[],
    readonly planes: number,
    private readonly windowDims: readonly number[],
    private readonly weights: Float32Array,
  ) {
    this.voxels = dims.reduce((product, n) => product * n, 1);
    this.sums = new Float32Array(this.voxels * planes);
    this.weightSums = new Float32Array(this.voxels);
  }

  /** Adds one window's planar scores (planes × window voxels) at `origin`. */
  add(scores: ArrayLike<number>, origin: readonly number[]): void {
    const [nx, ny] = this.dims;
    const [px, py, pz = 1] = this.windowDims;
    const [ox, oy, oz = 0] = origin;
    const windowVoxels = px * py * pz;
    const { sums, weightSums, weights, voxels } = this;
    for (let z = 0; z < pz; z++) {
      for (let y = 0; y < py; y++) {
        const src = px * (y + py * z);
        const dst = ox + nx * (oy + y + ny * (oz + z));
        for (let x = 0; x < px; x++) weightSums[dst + x] += weights[src + x];
        for (let c = 0; c < this.planes; c++) {
          const s = c * windowVoxels + src,
            d = c * voxels + dst;
          for (let x = 0; x < px; x++) sums[d + x] += scores[s + x] * weights[src + x];
        }
      }
    }
  }

  /** The weighted average of the scores (in place: the blender is spent afterwards). */
  average(): Float32Array {
    const { sums, weightSums, voxels } = this;
    for (let c = 0; c < this.planes; c++) {
      const base = c * voxels;
      for (let v = 0; v < voxels; v++) sums[base + v] /= weightSums[v];
    }
    return sums;
  }
}

/**
 * Bytes the blending of one item needs beyond its image: the padded float32 input copy (when
 * padded) and the float32 score and weight sums, for memory estimates before a run.
 */
export function blendingBytes(
  dims: readonly number[],
  windowDims: readonly number[],
  planes: number,
  channels = 1,
): number {
  const padded = paddedDims(dims, windowDims);
  const voxels = padded.reduce((product, n) => product * n, 1);
  const paddedCopy = padded.some((n, axis) => n !== dims[axis]) ? voxels * channels : 0;
  return 4 * (paddedCopy + voxels * (planes + 1));
}
