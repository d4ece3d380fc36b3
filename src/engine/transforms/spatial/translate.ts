/** Translation by a number of pixels along x or y, canvas size kept. */
import { affineWarpPlane } from '../resample';
import { defineTransform } from '../define';
import type { StringOption } from '../types';
import { checkInput, fillOption, interpolationOption, requireValue, transformPlanes } from './common';

const axisOption: StringOption<'x' | 'y'> = {
  type: 'string',
  default: 'x',
  enum: ['x', 'y'],
  description: 'Direction of the shift: x (positive = right) or y (positive = down, as displayed).',
};

/** ±25 % of the shorter side in 21 steps of whole pixels. */
function translateSweep(dims: readonly number[]): { start: number; stop: number; step: number } {
  const step = Math.max(1, Math.round(Math.min(dims[0], dims[1]) / 40));
  return { start: -10 * step, stop: 10 * step, step };
}

export const translate = defineTransform({
  name: 'translate',
  title: 'Translation',
  description:
    'Shifts the image content by the given number of pixels along x or y (fractions interpolate); uncovered pixels take the background.',
  kind: 'spatial',
  parameter: { name: 'shift', unit: 'px', scale: 'linear' },
  identity: 0,
  defaultSweep: translateSweep,
  defaultSweepText: '±¼ of the shorter side in 21 whole-pixel steps',
  options: { interpolation: interpolationOption, fill: fillOption, axis: axisOption },
  apply(input, value, options) {
    checkInput('translate', input);
    requireValue('translate', Number.isFinite(value), `shift must be a finite number of pixels, got ${value}`);
    const [width, height] = input.image.dims;
    // out(x, y) = src(x − dx, y − dy)
    const m: [number, number, number, number, number, number] =
      options.axis === 'y' ? [1, 0, 0, 0, 1, -value] : [1, 0, -value, 0, 1, 0];
    return transformPlanes(
      input,
      { interpolation: options.interpolation, fillMode: options.fill },
      (src, out, interpolation, fill) =>
        affineWarpPlane(src, width, height, m, out, width, height, interpolation, fill),
    );
  },
});
