/**
 * Shared plumbing of the intensity transforms: they work channel by channel on the full
 * spatial grid (2D images as 2D, volumes as 3D), always return float32 images and hand the
 * label map back unchanged.
 */
import { MisasInputError } from '../../errors';
import { channelsOf, isIntegerArray, withData, type VoxelArray } from '../../volume';
import type { TransformInput, TransformOutput } from '../types';

export interface ChannelContext {
  /** Spatial dims of one channel: [nx, ny] or [nx, ny, nz]. */
  dims: readonly number[];
  /** Voxel size in mm per spatial dim. */
  spacing: readonly number[];
  /** Channel index (0 for grey images). */
  channel: number;
  /** Whether the input stores integers (brightness/contrast then clip to the input's range). */
  integerInput: boolean;
}

export type ChannelOperation = (values: VoxelArray, context: ChannelContext) => ArrayLike<number>;

/** Applies `operation` to each channel and assembles a float32 image; the label passes through. */
export function mapChannels(input: TransformInput, operation: ChannelOperation): TransformOutput {
  const { image } = input;
  if (image.dims.length !== 2 && image.dims.length !== 3) {
    throw new MisasInputError('', `intensity transforms need a 2D or 3D image, got dims [${image.dims.join(', ')}]`);
  }
  const parts = channelsOf(image);
  const voxels = parts[0]?.length ?? 0;
  const out = new Float32Array(image.data.length);
  const integerInput = isIntegerArray(image.data);
  parts.forEach((values, channel) => {
    out.set(operation(values, { dims: image.dims, spacing: image.spacing, channel, integerInput }), channel * voxels);
  });
  return input.label ? { image: withData(image, out), label: input.label } : { image: withData(image, out) };
}

/** Mean and (population) standard deviation, accumulated in double precision. */
export function meanAndStd(values: ArrayLike<number>): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) return { mean: 0, std: 0 };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(squares / n) };
}

export function copyOf(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values);
}
