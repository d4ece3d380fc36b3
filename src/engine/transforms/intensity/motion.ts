/**
 * Motion artifact: the patient moves once during the acquisition.
 *
 * Model (our own, not TorchIO's; docs/ALGORITHMS.md, "k-space"):
 * - k-space is filled line by line along the phase-encoding axis a (option `axis`, default y;
 *   a "line" is the set of k-space points with one index along a; in 3D a plane).
 * - The lines are acquired in an order given by `ordering`:
 *   'centric' (default): from the k-space centre outwards, c = N div 2, then c−1, c+1, c−2, c+2 …;
 *   'sequential': index order 0 … N−1 of the centred spectrum (from −k_max to +k_max).
 * - The last floor(f·N + 0.5) lines of that order (f = option `movedFraction`, default 0.5) are
 *   acquired after the movement: with centric ordering and f = 0.5 that is the outer half of
 *   k-space, so the centre (contrast) stays and edges ghost and blur.
 * - The movement is rigid and in-plane: rotation by θ = magnitude degrees counter-clockwise as
 *   displayed about the plane centre ((nx−1)/2, (ny−1)/2), followed by a shift of
 *   s·θ pixels along both x and y (s = option `shiftPerDegree`, default 0.5 px per degree).
 *   A point p moves to R(θ)(p − c) + c + (sθ, sθ). Volumes move every slice the same way
 *   (rotation about the z axis). The moved image is linearly interpolated and filled with the
 *   channel's minimum (affineWarpPlane from ../resample).
 * - S_out = F(moved) on the moved lines and F(x) elsewhere; y = F⁻¹(S_out).
 * magnitude 0 is the identity.
 */
import { filterAlongAxis } from '../../fft';
import { valueRange } from '../../volume';
import { defineTransform } from '../define';
import { affineWarpPlane } from '../resample';
import type { OptionSpecs } from '../types';
import { clampOption } from './clamp';
import { mapChannels } from './channels';
import { axisIndex } from './options';

export type LineOrdering = 'centric' | 'sequential';

export type AffineMatrix = readonly [number, number, number, number, number, number];

/**
 * Output-to-source matrix for affineWarpPlane of the rigid move: rotation by `degrees`
 * counter-clockwise as displayed (y down) about the plane centre, then a shift (dx, dy) px.
 */
export function rigidMoveMatrix(width: number, height: number, degrees: number, dx: number, dy: number): AffineMatrix {
  const theta = (degrees * Math.PI) / 180;
  const cos = Math.cos(theta),
    sin = Math.sin(theta);
  const cx = (width - 1) / 2,
    cy = (height - 1) / 2;
  // source = c + R(−θ)·(out − c − d), R(−θ) = [[cos, −sin], [sin, cos]] in y-down coordinates.
  const ox = cx + dx,
    oy = cy + dy;
  return [cos, -sin, cx - cos * ox + sin * oy, sin, cos, cy - sin * ox - cos * oy];
}

/** The image moved rigidly, every (x, y) plane with the same matrix. */
export function moveRigidly(
  values: ArrayLike<number>,
  dims: readonly number[],
  matrix: AffineMatrix,
  fill: number,
): Float64Array {
  const [nx, ny] = dims;
  const planeSize = nx * ny;
  const out = new Float64Array(values.length);
  const source = new Float64Array(planeSize);
  for (let start = 0; start < values.length; start += planeSize) {
    for (let i = 0; i < planeSize; i++) source[i] = values[start + i];
    affineWarpPlane(source, nx, ny, matrix, out.subarray(start, start + planeSize), nx, ny, 'linear', fill);
  }
  return out;
}

/** Line indices of an axis of n lines in the order they are acquired. */
export function acquisitionOrder(n: number, ordering: LineOrdering): number[] {
  if (ordering === 'sequential') return Array.from({ length: n }, (_, i) => i);
  const centre = Math.floor(n / 2);
  const order = [centre];
  for (let step = 1; order.length < n; step++) {
    if (centre - step >= 0) order.push(centre - step);
    if (centre + step < n) order.push(centre + step);
  }
  return order;
}

/** Which of n lines are acquired after the movement: the last round(f·n) in acquisition order. */
export function movedLines(n: number, movedFraction: number, ordering: LineOrdering): boolean[] {
  const count = Math.min(n, Math.max(0, Math.floor(movedFraction * n + 0.5)));
  const moved = new Array<boolean>(n).fill(false);
  for (const line of acquisitionOrder(n, ordering).slice(n - count)) moved[line] = true;
  return moved;
}

/**
 * y = F⁻¹(S_out) with S_out = F(moved) on the moved lines and F(x) elsewhere. The choice depends
 * on the index along `axis` only, so y = x + real(ifft_a(mask ⊙ fft_a(moved − x))).
 */
export function motionFromMovedImage(
  values: ArrayLike<number>,
  moved: ArrayLike<number>,
  dims: readonly number[],
  axis: number,
  lines: readonly boolean[],
): Float64Array {
  return motionOverMoved(values, Float64Array.from(moved), dims, axis, lines);
}

/** motionFromMovedImage written over `moved` (fresh whole-volume buffers are what costs here). */
function motionOverMoved(
  values: ArrayLike<number>,
  moved: Float64Array,
  dims: readonly number[],
  axis: number,
  lines: readonly boolean[],
): Float64Array {
  for (let i = 0; i < moved.length; i++) moved[i] -= values[i];
  const gains = lines.map((line) => (line ? 1 : 0));
  const change = filterAlongAxis(moved, dims, axis, gains, moved);
  for (let i = 0; i < change.length; i++) change[i] += values[i];
  return change;
}

const MOTION_OPTIONS = {
  axis: {
    type: 'string',
    default: 'y',
    enum: ['x', 'y', 'z'],
    description: 'Phase-encoding axis along which k-space lines are acquired one after another.',
  },
  movedFraction: {
    type: 'number',
    default: 0.5,
    minimum: 0,
    maximum: 1,
    description: 'Fraction of the k-space lines acquired after the movement (the last ones in acquisition order).',
  },
  ordering: {
    type: 'string',
    default: 'centric',
    enum: ['centric', 'sequential'],
    description:
      'Line order: centric (centre first, so the moved lines are the outer ones) or sequential (top to bottom of the centred k-space).',
  },
  shiftPerDegree: {
    type: 'number',
    default: 0.5,
    description: 'Shift along x and y, in pixels per degree of rotation, that accompanies the rotation.',
  },
  clamp: clampOption(
    'none',
    "TorchIO's Motion works on float tensors and does not clip (misas has no motion series); ringing below 0 and above the maximum is part of the artifact.",
  ),
} as const satisfies OptionSpecs;

export const motion = defineTransform({
  name: 'motion',
  title: 'Motion',
  description:
    'One rigid in-plane movement (θ degrees with a proportional shift) during a line-by-line k-space acquisition: the lines acquired after it come from the moved image.',
  kind: 'intensity',
  parameter: { name: 'magnitude', unit: '°', scale: 'linear' },
  identity: 0,
  defaultSweep: { start: 0, stop: 10, step: 1 },
  defaultSweepText: '0…10° step 1 with a 0.5 px/° shift, outer half of k-space along y moved (0 = identity)',
  options: MOTION_OPTIONS,
  apply(input, value, options) {
    const dims = input.image.dims;
    const axis = axisIndex('motion', options.axis, dims);
    const shift = options.shiftPerDegree * value;
    const matrix = rigidMoveMatrix(dims[0], dims[1], value, shift, shift);
    const lines = movedLines(dims[axis], options.movedFraction, options.ordering);
    return mapChannels(
      input,
      (values) => {
        if (value === 0) return values;
        const moved = moveRigidly(values, dims, matrix, valueRange(values)[0]);
        return motionOverMoved(values, moved, dims, axis, lines);
      },
      options.clamp,
    );
  },
});
