/** Elastic deformation: a seeded, smooth random warp of the plane. */
import { displacementWarpPlane } from '../resample';
import { defineTransform } from '../define';
import type { NumberOption } from '../types';
import { checkInput, fillOption, interpolationOption, requireValue, transformPlanes } from './common';
import { elasticField } from './elasticField';

const controlPointsOption: NumberOption = {
  type: 'integer',
  default: 7,
  minimum: 3,
  maximum: 64,
  description:
    'Control points per side of the coarse grid the random displacements are drawn on (the outer ring stays fixed); more points give a finer, more wrinkled deformation.',
};

export const elastic = defineTransform({
  name: 'elastic',
  title: 'Elastic deformation',
  description:
    'Warps each slice by a smooth random displacement field (seeded, the same for every slice and channel) whose largest displacement is the given number of pixels.',
  kind: 'spatial',
  parameter: { name: 'magnitude', unit: 'px', scale: 'linear', minimum: 0 },
  identity: 0,
  defaultSweep: { start: 0, stop: 10, step: 1 },
  defaultSweepText: '0…10 px step 1',
  options: { interpolation: interpolationOption, fill: fillOption, controlPoints: controlPointsOption },
  random: true,
  apply(input, value, options, ctx) {
    checkInput('elastic', input);
    requireValue('elastic', Number.isFinite(value) && value >= 0, `magnitude must be at least 0 px, got ${value}`);
    const [width, height] = input.image.dims;
    const field = elasticField(width, height, value, options.controlPoints, ctx.random);
    return transformPlanes(
      input,
      { interpolation: options.interpolation, fillMode: options.fill },
      (src, out, interpolation, fill) =>
        displacementWarpPlane(src, width, height, field.dx, field.dy, out, interpolation, fill),
    );
  },
});
