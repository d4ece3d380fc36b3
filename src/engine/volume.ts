import type { SampleType } from './sampleType';

/**
 * The image type every part of the engine shares.
 *
 * Layout: the first axis varies fastest (NIfTI / Fortran order), so a 2D image of width W is
 * indexed `x + W*y` and a 3D volume `x + nx*(y + ny*z)`. This equals a C-order numpy array of
 * shape (ny, nx) or (nz, ny, nx). For 2D images y = 0 is the top row as displayed (PNG order).
 * Multi-channel images (RGB) are planar: channel c occupies `data[c*voxels .. (c+1)*voxels)`.
 */
export type VoxelArray =
  Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

export type VoxelArrayConstructor =
  | Uint8ArrayConstructor
  | Int8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor;

/** A 4×4 voxel-to-world (mm) matrix, row-major: world = affine · [i, j, k, 1]. */
export type Affine = number[][];

export interface Volume {
  data: VoxelArray;
  /** [nx, ny] for 2D images, [nx, ny, nz] for volumes. */
  dims: number[];
  /** Voxel size in mm, one entry per dim. */
  spacing: number[];
  affine: Affine;
  /** Number of planar channels (1 for grey images and label maps). */
  channels: number;
  /**
   * The type the source file stores samples in (set by the readers; see sampleType.ts). It
   * outlives `data`'s array type, which becomes float after a rescale or an interpolation.
   */
  sampleType?: SampleType;
}

export function voxelCount(dims: readonly number[]): number {
  return dims.reduce((product, n) => product * n, 1);
}

export function identityAffine(spacing: readonly number[] = [1, 1, 1]): Affine {
  return [
    [spacing[0] ?? 1, 0, 0, 0],
    [0, spacing[1] ?? 1, 0, 0],
    [0, 0, spacing[2] ?? 1, 0],
    [0, 0, 0, 1],
  ];
}

export function isIntegerArray(data: VoxelArray): boolean {
  return !(data instanceof Float32Array || data instanceof Float64Array);
}

/** A volume of the same geometry as `like` holding `data` (which may have another type or size). */
export function withData(
  like: Volume,
  data: VoxelArray,
  dims: number[] = like.dims,
  spacing: number[] = like.spacing,
): Volume {
  const volume: Volume = {
    data,
    dims: [...dims],
    spacing: [...spacing],
    affine: like.affine.map((row) => [...row]),
    channels: like.channels,
  };
  if (like.sampleType) volume.sampleType = { ...like.sampleType };
  return volume;
}

/** A new, zero-filled volume with the geometry of `like` and the given array type. */
export function emptyLike(like: Volume, ArrayType: VoxelArrayConstructor = Float32Array): Volume {
  return withData(like, new ArrayType(like.data.length));
}

/** Minimum and maximum ignoring NaN; [0, 0] for an empty array. */
export function valueRange(data: ArrayLike<number>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : [0, 0];
}

/** Number of slices along the third axis (1 for 2D images). */
export function sliceCount(dims: readonly number[]): number {
  return dims[2] ?? 1;
}

/**
 * The (x, y) planes of a volume in storage order: plane p = channel·nz + z. 2D operations
 * (rotate, zoom, …) run plane by plane; each plane is a contiguous view, not a copy.
 */
export function planesOf<T extends VoxelArray>(data: T, dims: readonly number[]): T[] {
  const size = dims[0] * dims[1];
  const planes: T[] = [];
  for (let start = 0; start < data.length; start += size) planes.push(data.subarray(start, start + size) as T);
  return planes;
}

/** The channels of a volume, each a contiguous view holding all its voxels (for 3D operations). */
export function channelsOf<T extends VoxelArray>(volume: { data: T; dims: readonly number[]; channels: number }): T[] {
  const size = voxelCount(volume.dims);
  return Array.from({ length: volume.channels }, (_, c) => volume.data.subarray(c * size, (c + 1) * size) as T);
}
