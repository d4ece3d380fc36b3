/**
 * Plumbing shared by the geometric transforms: their common options, the fill value, the output
 * array type, and running a 2D plane operation over every slice and channel of the image and
 * (with nearest neighbour, fill 0) of the label map.
 */
import { MisasInputError } from '../../errors';
import {
  isIntegerArray,
  planesOf,
  sliceCount,
  voxelCount,
  withData,
  type Affine,
  type Volume,
  type VoxelArray,
  type VoxelArrayConstructor,
} from '../../volume';
import type { Interpolation } from '../resample';
import type { StringOption, TransformInput, TransformOutput } from '../types';

export const interpolationOption: StringOption<Interpolation> = {
  type: 'string',
  default: 'linear',
  enum: ['linear', 'nearest'],
  description:
    'How the image is resampled: linear (float output) or nearest neighbour (keeps the input type). The label map always uses nearest neighbour.',
};

/** The interpolation option with a transform's own note (what misas uses there). */
export function interpolationOptionNoting(note: string): StringOption<Interpolation> {
  return { ...interpolationOption, description: `${interpolationOption.description} ${note}` };
}

/** misas scales with PIL's bicubic filter (ImageOps.pad / ImageOps.contain), which neither option reproduces. */
export const BICUBIC_NOTE =
  "misas resamples here with PIL's bicubic filter, which neither option reproduces (linear is the closer); its Dice can differ slightly.";

/** The same option for transforms that only move whole pixels, so every spatial transform takes it. */
export const exactInterpolationOption: StringOption<Interpolation> = {
  ...interpolationOption,
  description:
    'Accepted for uniformity; this transform moves whole pixels, so it makes no difference and the input type is kept.',
};

export type FillMode = 'min' | 'zero';

export const fillOption: StringOption<FillMode> = {
  type: 'string',
  default: 'min',
  enum: ['min', 'zero'],
  description:
    'Background for pixels that come from outside the image: the minimum of the image channel (min; right for CT as well) or 0 (zero, as misas). The label map is always filled with class 0.',
};

/** Refuses a parameter value outside what a transform accepts, naming the transform. */
export function requireValue(transform: string, ok: boolean, problem: string): void {
  if (!ok) throw new MisasInputError('', `${transform}: ${problem}`);
}

/** Checks the image is 2D or 3D and the label (if any) is an integer map on the same grid. */
export function checkInput(transform: string, input: TransformInput): void {
  const { image, label } = input;
  requireValue(
    transform,
    image.dims.length === 2 || image.dims.length === 3,
    `needs a 2D or 3D image, got dims [${image.dims.join(', ')}]`,
  );
  requireValue(
    transform,
    image.data.length === voxelCount(image.dims) * image.channels,
    'image data length does not match its dims and channels',
  );
  if (!label) return;
  requireValue(
    transform,
    label.dims.length === image.dims.length && label.dims.every((n, i) => n === image.dims[i]),
    `label dims [${label.dims.join(', ')}] differ from image dims [${image.dims.join(', ')}]`,
  );
  requireValue(
    transform,
    label.channels === 1 && isIntegerArray(label.data),
    'the label map must hold integers in one channel',
  );
}

/** Float output for interpolated images (Float64 input stays Float64), the input's own type otherwise. */
export function imageArrayType(data: VoxelArray, interpolated: boolean): VoxelArrayConstructor {
  if (!interpolated) return data.constructor as VoxelArrayConstructor;
  return data instanceof Float64Array ? Float64Array : Float32Array;
}

/** Each channel's minimum over the whole volume (0 for an empty channel): the 'min' fill. */
export function channelMinima(image: Volume): number[] {
  const size = voxelCount(image.dims);
  return Array.from({ length: image.channels }, (_, c) => {
    let min = Infinity;
    for (let i = c * size; i < (c + 1) * size; i++) if (image.data[i] < min) min = image.data[i];
    return min === Infinity ? 0 : min;
  });
}

/**
 * The background value of each channel: its minimum over the whole volume (`known` when the
 * caller has it, see TransformInput.imageMinima), or 0.
 */
export function channelFillValues(image: Volume, mode: FillMode, known?: readonly number[]): number[] {
  if (mode === 'zero') return Array<number>(image.channels).fill(0);
  return known?.length === image.channels ? [...known] : channelMinima(image);
}

/** Moves `src` into `out`; every plane operation has this shape. */
export type PlaneOperation = (src: VoxelArray, out: VoxelArray, interpolation: Interpolation, fill: number) => void;

export interface PlaneJob {
  interpolation: Interpolation;
  fillMode: FillMode;
  /** Whether image values are interpolated (decides the output type); default: interpolation is linear. */
  interpolates?: boolean;
  /** Output plane size; the input's when omitted. */
  outWidth?: number;
  outHeight?: number;
  /** Output geometry; the input's when omitted. */
  spacing?: number[];
  affine?: Affine;
}

/**
 * Runs `operation` on every (x, y) plane of the image (each slice of each channel, with that
 * channel's fill) and of the label map (nearest neighbour, fill 0 = background class).
 */
export function transformPlanes(input: TransformInput, job: PlaneJob, operation: PlaneOperation): TransformOutput {
  const { image, label } = input;
  const outWidth = job.outWidth ?? image.dims[0];
  const outHeight = job.outHeight ?? image.dims[1];
  const dims = [outWidth, outHeight, ...image.dims.slice(2)];
  const fills = channelFillValues(image, job.fillMode, input.imageMinima);
  const slices = sliceCount(image.dims);

  const run = (
    volume: Volume,
    ArrayType: VoxelArrayConstructor,
    interpolation: Interpolation,
    fillOfPlane: (p: number) => number,
  ): Volume => {
    const data = new ArrayType(voxelCount(dims) * volume.channels);
    const outPlanes = planesOf(data, dims);
    planesOf(volume.data, volume.dims).forEach((plane, p) =>
      operation(plane, outPlanes[p], interpolation, fillOfPlane(p)),
    );
    const result = withData(volume, data, dims, job.spacing ?? volume.spacing);
    if (job.affine) result.affine = job.affine.map((row) => [...row]);
    return result;
  };

  const output: TransformOutput = {
    image: run(
      image,
      imageArrayType(image.data, job.interpolates ?? job.interpolation === 'linear'),
      job.interpolation,
      (p) => fills[Math.floor(p / slices)],
    ),
  };
  if (label) output.label = run(label, label.data.constructor as VoxelArrayConstructor, 'nearest', () => 0);
  return output;
}
