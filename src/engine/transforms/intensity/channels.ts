/**
 * Shared plumbing of the intensity transforms: they work channel by channel on the full
 * spatial grid (2D images as 2D, volumes as 3D), clamp as their `clamp` option says, always
 * return float32 images and hand the label map back unchanged.
 */
import { MisasInputError } from '../../errors';
import type { SampleType } from '../../sampleType';
import { channelsOf, withData, type VoxelArray } from '../../volume';
import type { TransformInput, TransformOutput } from '../types';
import { clampTarget, clampValues, type ClampMode } from './clamp';

export interface ChannelContext {
  /** Spatial dims of one channel: [nx, ny] or [nx, ny, nz]. */
  dims: readonly number[];
  /** Voxel size in mm per spatial dim. */
  spacing: readonly number[];
  /** Channel index (0 for grey images). */
  channel: number;
  /** The type a dtype-range clamp clips to (undefined for float images or other modes). */
  clampTarget: SampleType | undefined;
}

export type ChannelOperation = (values: VoxelArray, context: ChannelContext) => ArrayLike<number>;

/**
 * Applies `operation` to each channel, clamps its result as `clamp` says and assembles a
 * float32 image; the label passes through. An operation that returns its input unchanged
 * (the identity) is not clamped: the input is in range by definition.
 */
export function mapChannels(
  input: TransformInput,
  operation: ChannelOperation,
  clamp: ClampMode = 'none',
): TransformOutput {
  const { image } = input;
  if (image.dims.length !== 2 && image.dims.length !== 3) {
    throw new MisasInputError('', `intensity transforms need a 2D or 3D image, got dims [${image.dims.join(', ')}]`);
  }
  const parts = channelsOf(image);
  const voxels = parts[0]?.length ?? 0;
  const out = new Float32Array(image.data.length);
  const target = clampTarget(clamp, image);
  parts.forEach((values, channel) => {
    const result = operation(values, { dims: image.dims, spacing: image.spacing, channel, clampTarget: target });
    const clamped =
      result === values || clamp === 'none'
        ? result
        : clampValues(result instanceof Float64Array ? result : Float64Array.from(result), values, clamp, target);
    out.set(clamped, channel * voxels);
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
