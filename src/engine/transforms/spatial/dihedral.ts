/** The eight symmetries of the square: quarter turns and a mirror. */
import type { Affine } from '../../volume';
import { affineWarpPlane } from '../resample';
import { defineTransform } from '../define';
import { checkInput, exactInterpolationOption, requireValue, transformPlanes } from './common';

export interface DihedralMap {
  /** Output-to-source pixel map (integer, so sampling is exact). */
  matrix: [number, number, number, number, number, number];
  outWidth: number;
  outHeight: number;
  /** Whether x and y trade places (odd quarter turns). */
  swapsAxes: boolean;
}

/**
 * k = 2r + mirror: rotate by r·90° counter-clockwise as displayed (numpy.rot90), then mirror
 * left-right when k is odd (numpy.fliplr). Odd r swaps width and height.
 */
export function dihedralMap(k: number, width: number, height: number): DihedralMap {
  const r = Math.floor(k / 2);
  const swapsAxes = r % 2 === 1;
  const outWidth = swapsAxes ? height : width;
  const outHeight = swapsAxes ? width : height;
  // Source pixel of output (x', y') after the rotation alone.
  const rotations: [number, number, number, number, number, number][] = [
    [1, 0, 0, 0, 1, 0],
    [0, -1, width - 1, 1, 0, 0],
    [-1, 0, width - 1, 0, -1, height - 1],
    [0, 1, 0, -1, 0, height - 1],
  ];
  const m = rotations[r];
  // Mirroring reads column outWidth−1−x of the rotated image.
  const matrix: DihedralMap['matrix'] =
    k % 2 === 1 ? [-m[0], m[1], m[0] * (outWidth - 1) + m[2], -m[3], m[4], m[3] * (outWidth - 1) + m[5]] : [...m];
  return { matrix, outWidth, outHeight, swapsAxes };
}

/**
 * When the axes swap, the voxel sizes swap with them; the affine keeps its orientation and
 * origin (the image content turns, as with rotate) with its first two columns rescaled to the
 * new voxel sizes.
 */
function swappedGeometry(spacing: readonly number[], affine: Affine): { spacing: number[]; affine: Affine } {
  const [sx, sy] = spacing;
  const newSpacing = [sy, sx, ...spacing.slice(2)];
  const scaleX = sx !== 0 ? sy / sx : 1;
  const scaleY = sy !== 0 ? sx / sy : 1;
  const newAffine = affine.map((row, i) =>
    i < 3 ? row.map((v, j) => (j === 0 ? v * scaleX : j === 1 ? v * scaleY : v)) : [...row],
  );
  return { spacing: newSpacing, affine: newAffine };
}

export const dihedral = defineTransform({
  name: 'dihedral',
  title: 'Dihedral (quarter turns and mirror)',
  description:
    'k = 0…7: rotates by (k div 2)·90° counter-clockwise, then mirrors left-right when k is odd; odd quarter turns swap width and height.',
  kind: 'spatial',
  parameter: { name: 'k', unit: '', scale: 'linear', integer: true, minimum: 0, maximum: 7 },
  identity: 0,
  defaultSweep: { start: 0, stop: 7, step: 1 },
  defaultSweepText: '0…7 step 1',
  options: { interpolation: exactInterpolationOption },
  apply(input, value, options) {
    checkInput('dihedral', input);
    requireValue(
      'dihedral',
      Number.isInteger(value) && value >= 0 && value <= 7,
      `k must be an integer 0…7, got ${value}`,
    );
    const [width, height] = input.image.dims;
    const map = dihedralMap(value, width, height);
    const geometry = map.swapsAxes ? swappedGeometry(input.image.spacing, input.image.affine) : {};
    const job = {
      interpolation: options.interpolation,
      fillMode: 'zero' as const,
      interpolates: false,
      outWidth: map.outWidth,
      outHeight: map.outHeight,
      ...geometry,
    };
    // Integer source coordinates: nearest neighbour is exact and never reaches outside.
    return transformPlanes(input, job, (src, out, _interpolation, fill) =>
      affineWarpPlane(src, width, height, map.matrix, out, map.outWidth, map.outHeight, 'nearest', fill),
    );
  },
});
