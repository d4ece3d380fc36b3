/**
 * Anisotropic acquisition: keep every m-th sample along one axis (nearest neighbour), then
 * interpolate back to the original grid. The label map is unchanged (kind intensity).
 */
import { channelsOf, withData, type VoxelArray } from '../../volume';
import type { Interpolation } from '../resample';
import { defineTransform } from '../define';
import { AXIS_NAMES, type AxisName } from '../options';
import type { StringOption } from '../types';
import { checkInput, imageArrayType, interpolationOption, requireValue } from './common';

const axisOption: StringOption<'auto' | AxisName> = {
  type: 'string',
  default: 'auto',
  enum: ['auto', 'x', 'y', 'z'],
  description: 'Axis that loses resolution: auto = the slice axis z for volumes, y for 2D images.',
};

/**
 * For each index i along an axis of `length` samples: which low-resolution samples it is built
 * from and with what weight. Low-resolution sample j sits at position j·m and holds the input
 * at index round(j·m) (halves up); i reads position i/m of the low-resolution grid, linearly
 * (beyond the last sample: the last sample) or from the nearest sample.
 */
export function anisotropyTaps(
  length: number,
  factor: number,
  interpolation: Interpolation,
): { lower: Int32Array; upper: Int32Array; weight: Float64Array } {
  const samples = Math.floor((length - 1) / factor) + 1;
  const sourceOf = (j: number): number => Math.min(Math.floor(j * factor + 0.5), length - 1);
  const lower = new Int32Array(length);
  const upper = new Int32Array(length);
  const weight = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const t = i / factor;
    if (interpolation === 'nearest') {
      lower[i] = upper[i] = sourceOf(Math.min(Math.floor(t + 0.5), samples - 1));
      continue;
    }
    const j = Math.floor(t);
    if (j >= samples - 1) {
      lower[i] = upper[i] = sourceOf(samples - 1);
    } else {
      lower[i] = sourceOf(j);
      upper[i] = sourceOf(j + 1);
      weight[i] = t - j;
    }
  }
  return { lower, upper, weight };
}

/** Resolves the axis option to an index into dims. */
function axisIndexOf(name: 'auto' | AxisName, dims: readonly number[]): number {
  if (name === 'auto') return dims.length === 3 ? 2 : 1;
  const index = AXIS_NAMES.indexOf(name);
  requireValue(
    'anisotropy',
    index >= 0 && index < dims.length,
    `axis ${name} does not exist in a ${dims.length}D image`,
  );
  return index;
}

/** Applies the down/up-sampling along `axis` to one channel (all its voxels). */
function resampleAlongAxis(
  src: VoxelArray,
  out: VoxelArray,
  dims: readonly number[],
  axis: number,
  taps: ReturnType<typeof anisotropyTaps>,
): void {
  const stride = dims.slice(0, axis).reduce((a, n) => a * n, 1);
  const length = dims[axis];
  const outer = src.length / (stride * length);
  for (let o = 0; o < outer; o++) {
    for (let s = 0; s < stride; s++) {
      const base = o * stride * length + s;
      for (let i = 0; i < length; i++) {
        const a = src[base + stride * taps.lower[i]];
        const b = src[base + stride * taps.upper[i]];
        out[base + stride * i] = a + taps.weight[i] * (b - a);
      }
    }
  }
}

export const anisotropy = defineTransform({
  name: 'anisotropy',
  title: 'Anisotropic down-sampling',
  description:
    'Keeps every m-th sample along one axis (nearest neighbour) and interpolates back to the original grid, like a scan with m× thicker slices; the label map is unchanged.',
  kind: 'intensity',
  parameter: { name: 'factor', unit: '×', scale: 'linear', minimum: 1 },
  identity: 1,
  defaultSweep: { start: 1, stop: 8, step: 1 },
  defaultSweepText: '1…8× step 1',
  options: {
    interpolation: {
      ...interpolationOption,
      description:
        'How the kept samples are spread back over the grid: linear (default) or nearest neighbour (blocky).',
    },
    axis: axisOption,
  },
  apply(input, value, options) {
    checkInput('anisotropy', input);
    requireValue('anisotropy', Number.isFinite(value) && value >= 1, `factor must be at least 1, got ${value}`);
    const { image } = input;
    const { interpolation } = options;
    const axis = axisIndexOf(options.axis, image.dims);
    const taps = anisotropyTaps(image.dims[axis], value, interpolation);
    const ArrayType = imageArrayType(image.data, interpolation === 'linear');
    const data = new ArrayType(image.data.length);
    const outChannels = channelsOf({ data, dims: image.dims, channels: image.channels });
    channelsOf(image).forEach((channel, c) => resampleAlongAxis(channel, outChannels[c], image.dims, axis, taps));
    return input.label ? { image: withData(image, data), label: input.label } : { image: withData(image, data) };
  },
});
