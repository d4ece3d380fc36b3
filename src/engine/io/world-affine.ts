/**
 * The voxel-to-world affine of formats that give one direction vector per voxel axis and the
 * position of the first voxel (NRRD, MetaImage), in the world the NIfTI reader uses: RAS+ mm
 * (x grows to the patient's Right, y to Anterior, z to Superior), voxel centres at integer
 * indices. DICOM and ITK (so MetaImage) use LPS, where x grows to the Left and y to Posterior.
 */
import type { Affine } from '../volume';

/** The anatomical spaces a header may name, by the three letters of its positive axes. */
export type AnatomicalSpace = 'RAS' | 'LAS' | 'LPS';

/** Per space, the sign that turns each of its coordinates into RAS: L = −R, P = −A. */
const TO_RAS: Record<AnatomicalSpace, [number, number, number]> = {
  RAS: [1, 1, 1],
  LAS: [-1, 1, 1],
  LPS: [-1, -1, 1],
};

const padded = (vector: readonly number[]): [number, number, number] => [
  vector[0] ?? 0,
  vector[1] ?? 0,
  vector[2] ?? 0,
];

/** The unit normal of a plane spanned by two steps (the third axis of a 2D image in 3D); +z when they are degenerate. */
function unitNormal(a: readonly number[], b: readonly number[]): number[] {
  const normal = [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
  const length = Math.hypot(...normal);
  return length > 0 ? normal.map((value) => value / length) : [0, 0, 1];
}

/**
 * The RAS affine of a grid whose axis i steps `steps[i]` (in `space`'s coordinates, mm; 2 or 3
 * axes of 2 or 3 coordinates, a 2D space being the first two) from `origin`, the centre of the
 * first voxel. A 2D grid gets the unit normal of its plane as third column, as a 2D NIfTI keeps
 * a third column.
 */
export function affineFromSteps(
  steps: readonly (readonly number[])[],
  origin: readonly number[],
  space: AnatomicalSpace,
): Affine {
  const columns = steps.map(padded);
  if (columns.length === 2) columns.push(padded(unitNormal(columns[0], columns[1])));
  const start = padded(origin);
  const sign = TO_RAS[space];
  // `+ 0` turns the −0 of a negated zero into 0, so affines compare equal to the NIfTI reader's.
  const row = (r: number) => [...columns.map((column) => column[r] * sign[r] + 0), start[r] * sign[r] + 0];
  return [row(0), row(1), row(2), [0, 0, 0, 1]];
}

/** The length of each step: the voxel sizes in mm. */
export function stepLengths(steps: readonly (readonly number[])[]): number[] {
  return steps.map((step) => Math.hypot(...step));
}
