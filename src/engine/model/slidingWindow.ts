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
 * The weighted sum of windows' planar scores and the sum of weights, kept for a band of slices
 * only: windows arrive in windowOrigins order (z outermost), so once a window starts at slice
 * z, no later window touches a slice below z, and those slices are averaged and handed to
 * `finished` at once. Memory: two float32 arrays, planes × band voxels and band voxels, where
 * the band is one window deep (4·(planes + 1) bytes per voxel of nx × ny × window depth), not
 * the whole grid. Each voxel's sums add the same windows in the same order as a whole-grid
 * buffer would, so the averages are bit-identical.
 */
export class WindowBlender {
  private readonly sums: Float32Array;
  private readonly weightSums: Float32Array;
  /** Voxels of one slice (nx·ny) and of the band. */
  private readonly sliceVoxels: number;
  private readonly bandVoxels: number;
  private readonly depth: number;
  /** The grid slice band slice 0 stands for. */
  private start = 0;

  constructor(
    readonly dims: readonly number[],
    readonly planes: number,
    private readonly windowDims: readonly number[],
    private readonly weights: Float32Array,
    /** Receives the averaged planar scores of grid slices [first, first + count) (a fresh array, planes × count slices). */
    private readonly finished: (averaged: Float32Array, firstVoxel: number, voxels: number) => void,
  ) {
    this.sliceVoxels = dims[0] * dims[1];
    this.depth = windowDims[2] ?? 1;
    this.bandVoxels = this.sliceVoxels * this.depth;
    this.sums = new Float32Array(this.bandVoxels * planes);
    this.weightSums = new Float32Array(this.bandVoxels);
  }

  /** Adds one window's planar scores (planes × window voxels) at `origin`; origins in windowOrigins order. */
  add(scores: ArrayLike<number>, origin: readonly number[]): void {
    const [nx, ny] = this.dims;
    const [px, py, pz = 1] = this.windowDims;
    const [ox, oy, oz = 0] = origin;
    if (oz < this.start)
      throw new RangeError(`window at z ${oz} arrived after slices up to ${this.start} were finished`);
    if (oz > this.start) this.finishUpTo(oz);
    const windowVoxels = px * py * pz;
    const { sums, weightSums, weights, bandVoxels } = this;
    const local = oz - this.start;
    for (let z = 0; z < pz; z++) {
      for (let y = 0; y < py; y++) {
        const src = px * (y + py * z);
        const dst = ox + nx * (oy + y + ny * (local + z));
        for (let x = 0; x < px; x++) weightSums[dst + x] += weights[src + x];
        for (let c = 0; c < this.planes; c++) {
          const s = c * windowVoxels + src,
            d = c * bandVoxels + dst;
          for (let x = 0; x < px; x++) sums[d + x] += scores[s + x] * weights[src + x];
        }
      }
    }
  }

  /** Averages and hands over the slices still held (after the last window). */
  finish(): void {
    this.finishUpTo(this.dims[2] ?? 1);
  }

  /** Averages slices [start, end), hands them over and moves the band to start at `end`. */
  private finishUpTo(end: number): void {
    const count = end - this.start;
    if (count > this.depth) throw new RangeError(`slices ${this.start}…${end - 1} are not all in the blending band`);
    const { sums, weightSums, bandVoxels, planes } = this;
    const voxels = count * this.sliceVoxels;
    const averaged = new Float32Array(planes * voxels);
    for (let c = 0; c < planes; c++) {
      const base = c * bandVoxels;
      for (let v = 0; v < voxels; v++) averaged[c * voxels + v] = sums[base + v] / weightSums[v];
    }
    this.finished(averaged, this.start * this.sliceVoxels, voxels);
    // Shift the band down by `count` slices; the freed slices at its top start again from zero.
    for (let c = 0; c <= planes; c++) {
      const array = c < planes ? sums : weightSums;
      const base = c < planes ? c * bandVoxels : 0;
      array.copyWithin(base, base + voxels, base + bandVoxels);
      array.fill(0, base + bandVoxels - voxels, base + bandVoxels);
    }
    this.start = end;
  }
}

/**
 * Bytes the blending of one item needs beyond its image, for memory estimates before a run:
 * the padded float32 input copy (when padded), the float32 score and weight sums of the band
 * (one window deep) and the averaged scores of one finished band.
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
  const band = padded[0] * padded[1] * (windowDims[2] ?? 1);
  return 4 * (paddedCopy + band * (2 * planes + 1));
}
