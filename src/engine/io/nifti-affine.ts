/**
 * NIfTI geometry: the voxel-to-world affine from a header (sform, else qform, else pixdim —
 * the order nibabel and ITK use) and the qform quaternion for an affine we write.
 */
import type { Affine } from '../volume';

export interface NiftiGeometryFields {
  qformCode: number;
  sformCode: number;
  /** pixdim[0..3]; pixdim[0] is qfac (−1 flips the third axis). */
  pixdim: number[];
  quaternion: [number, number, number];
  qoffset: [number, number, number];
  /** srow_x, srow_y, srow_z. */
  srow: number[][];
}

/** pixdim[1..3] as voxel sizes: zero, negative or non-finite entries count as 1 mm. */
export function voxelSizes(pixdim: readonly number[]): number[] {
  return [1, 2, 3].map((axis) => {
    const size = Math.abs(pixdim[axis]);
    return Number.isFinite(size) && size > 0 ? size : 1;
  });
}

export function affineFromHeader(fields: NiftiGeometryFields): Affine {
  if (fields.sformCode > 0) return [...fields.srow.map((row) => [...row]), [0, 0, 0, 1]];
  const sizes = voxelSizes(fields.pixdim);
  if (fields.qformCode > 0) {
    const rotation = rotationFromQuaternion(fields.quaternion);
    const qfac = fields.pixdim[0] < 0 ? -1 : 1;
    const scale = [sizes[0], sizes[1], qfac * sizes[2]];
    return [...rotation.map((row, r) => [...row.map((value, c) => value * scale[c]), fields.qoffset[r]]), [0, 0, 0, 1]];
  }
  return [
    [sizes[0], 0, 0, 0],
    [0, sizes[1], 0, 0],
    [0, 0, sizes[2], 0],
    [0, 0, 0, 1],
  ];
}

/** The rotation of the unit quaternion (a, b, c, d), a = sqrt(1 − b² − c² − d²) (nifti1.h). */
function rotationFromQuaternion([b, c, d]: [number, number, number]): number[][] {
  const rest = 1 - (b * b + c * c + d * d);
  let a = 0;
  if (rest > 0) {
    a = Math.sqrt(rest);
  } else {
    // Rounding pushed |(b, c, d)| just past 1: renormalise, a is 0 (a 180° rotation).
    const norm = Math.hypot(b, c, d);
    [b, c, d] = [b / norm, c / norm, d / norm];
  }
  return [
    [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
    [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
    [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b],
  ];
}

export interface Qform {
  quaternion: [number, number, number];
  qfac: 1 | -1;
  offset: [number, number, number];
}

/**
 * The qform that reproduces `affine` with voxel sizes `spacing`, or undefined when the affine
 * is not a rotation times those sizes (shears, or columns whose lengths differ from spacing):
 * then only the sform describes it.
 */
export function qformFromAffine(affine: Affine, spacing: readonly number[]): Qform | undefined {
  const columns = [0, 1, 2].map((c) => [affine[0][c], affine[1][c], affine[2][c]]);
  const lengths = columns.map((column) => Math.hypot(...column));
  const tolerance = 1e-5;
  for (let c = 0; c < 3; c++) {
    if (!(lengths[c] > 0) || Math.abs(lengths[c] - spacing[c]) > tolerance * Math.max(1, spacing[c])) return undefined;
  }
  const unit = columns.map((column, c) => column.map((value) => value / lengths[c]));
  const dot = (u: number[], v: number[]) => u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
  if (
    Math.abs(dot(unit[0], unit[1])) > tolerance ||
    Math.abs(dot(unit[0], unit[2])) > tolerance ||
    Math.abs(dot(unit[1], unit[2])) > tolerance
  ) {
    return undefined;
  }
  const cross = [
    unit[0][1] * unit[1][2] - unit[0][2] * unit[1][1],
    unit[0][2] * unit[1][0] - unit[0][0] * unit[1][2],
    unit[0][0] * unit[1][1] - unit[0][1] * unit[1][0],
  ];
  const qfac = dot(cross, unit[2]) < 0 ? -1 : 1;
  if (qfac < 0) unit[2] = unit[2].map((value) => -value);
  // r[i][j] = row i, column j of the proper rotation.
  const r = [0, 1, 2].map((i) => [unit[0][i], unit[1][i], unit[2][i]]);
  return { quaternion: quaternionFromRotation(r), qfac, offset: [affine[0][3], affine[1][3], affine[2][3]] };
}

/** (b, c, d) of the rotation, with a ≥ 0 (the branch choice of nifti1_io's mat44_to_quatern). */
function quaternionFromRotation(r: number[][]): [number, number, number] {
  let a = r[0][0] + r[1][1] + r[2][2] + 1;
  let b: number, c: number, d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r[2][1] - r[1][2])) / a;
    c = (0.25 * (r[0][2] - r[2][0])) / a;
    d = (0.25 * (r[1][0] - r[0][1])) / a;
  } else {
    const xd = 1 + r[0][0] - (r[1][1] + r[2][2]);
    const yd = 1 + r[1][1] - (r[0][0] + r[2][2]);
    const zd = 1 + r[2][2] - (r[0][0] + r[1][1]);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r[0][1] + r[1][0])) / b;
      d = (0.25 * (r[0][2] + r[2][0])) / b;
      a = (0.25 * (r[2][1] - r[1][2])) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r[0][1] + r[1][0])) / c;
      d = (0.25 * (r[1][2] + r[2][1])) / c;
      a = (0.25 * (r[0][2] - r[2][0])) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r[0][2] + r[2][0])) / d;
      c = (0.25 * (r[1][2] + r[2][1])) / d;
      a = (0.25 * (r[1][0] - r[0][1])) / d;
    }
    if (a < 0) [b, c, d] = [-b, -c, -d];
  }
  return [b, c, d];
}
