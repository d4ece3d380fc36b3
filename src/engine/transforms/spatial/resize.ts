/** Resize so that the longest in-plane side has a given number of pixels (the output dims change). */
import type { Affine } from '../../volume';
import { scalePlane } from '../resample';
import { defineTransform } from '../define';
import { BICUBIC_NOTE, checkInput, interpolationOptionNoting, requireValue, transformPlanes } from './common';

/** Beyond this many output voxels a resize is refused rather than exhausting memory (1 GiB of float32). */
const MAX_OUTPUT_VOXELS = 2 ** 28;

export function longestSide(dims: readonly number[]): number {
  return Math.max(dims[0], dims[1]);
}

/** Output plane size when the longest side becomes `pixels`: each side scaled and rounded (halves up), at least 1. */
export function resizedSize(width: number, height: number, pixels: number): [number, number] {
  const scale = pixels / Math.max(width, height);
  const side = (n: number): number => Math.max(1, Math.floor(n * scale + 0.5));
  return [side(width), side(height)];
}

/**
 * Geometry of the resized grid: the field of view stays, so voxel sizes grow by in/out, and
 * the affine maps new voxel i to old position (i + 0.5)·in/out − 0.5 (pixel-centre mapping).
 */
export function resizedGeometry(
  spacing: readonly number[],
  affine: Affine,
  factors: [number, number],
): { spacing: number[]; affine: Affine } {
  const newSpacing = spacing.map((s, i) => (i < 2 ? s * factors[i] : s));
  const newAffine = affine.map((row, i) => {
    if (i >= 3) return [...row];
    const shift = (row[0] * (factors[0] - 1)) / 2 + (row[1] * (factors[1] - 1)) / 2;
    return [row[0] * factors[0], row[1] * factors[1], row[2], row[3] + shift];
  });
  return { spacing: newSpacing, affine: newAffine };
}

/** Longest side ¼× … 4× the input's in √2 steps, rounded to whole pixels. */
function resizeSweep(dims: readonly number[]): { values: number[] } {
  const side = longestSide(dims);
  const values = Array.from({ length: 9 }, (_, i) => Math.max(1, Math.round(side * 2 ** ((i - 4) / 2))));
  return { values: [...new Set(values)] };
}

export const resize = defineTransform({
  name: 'resize',
  title: 'Resize',
  description:
    'Scales the image so its longest in-plane side has the given number of pixels (pixel-centre mapping, edge pixels repeated); the output size changes, the field of view stays.',
  kind: 'spatial',
  parameter: { name: 'longest side', unit: 'px', scale: 'log', minimum: 1 },
  // The identity is the input's own longest side: see identityFor.
  identity: NaN,
  identityFor: longestSide,
  defaultSweep: resizeSweep,
  defaultSweepText: "¼×…4× the input's longest side in 9 log steps (factor √2), whole pixels",
  options: { interpolation: interpolationOptionNoting(BICUBIC_NOTE) },
  apply(input, value, options) {
    checkInput('resize', input);
    requireValue(
      'resize',
      Number.isFinite(value) && value > 0,
      `longest side must be a positive number of pixels, got ${value}`,
    );
    const { image } = input;
    const [width, height] = image.dims;
    const [outWidth, outHeight] = resizedSize(width, height, value);
    const planes = image.data.length / (width * height);
    requireValue(
      'resize',
      outWidth * outHeight * planes <= MAX_OUTPUT_VOXELS,
      `${value} px would make an image of ${outWidth}×${outHeight} per slice, too large`,
    );
    const geometry = resizedGeometry(image.spacing, image.affine, [width / outWidth, height / outHeight]);
    const region = { x0: 0, y0: 0, width, height };
    return transformPlanes(
      input,
      { interpolation: options.interpolation, fillMode: 'zero', outWidth, outHeight, ...geometry },
      (src, out, interpolation) => scalePlane(src, width, region, out, outWidth, outHeight, interpolation),
    );
  },
});
