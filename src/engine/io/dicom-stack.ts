/**
 * A stack of DICOM planes (the files of a series, or the frames of an enhanced multi-frame file)
 * sorted along the slice normal and checked to be one regular grid, and its geometry.
 *
 * Image Orientation (Patient) gives the unit direction of a row (along which the column index
 * grows) and of a column, in LPS mm (DICOM PS3.3 C.7.6.2.1.1); their cross product is the slice
 * normal. Planes are sorted by normal · Image Position (Patient), ascending (as ITK/GDCM do),
 * never by file name, Instance Number or frame order. Voxel (i = column, j = row, k = sorted
 * plane) lies at, in LPS,
 *     IPP₀ + i · Δc · row direction + j · Δr · column direction + k · (IPPₙ₋₁ − IPP₀) / (n − 1)
 * with Pixel Spacing = (Δr, Δc); negating x and y gives the RAS affine the NIfTI reader returns.
 */
import { MisasInputError } from '../errors';

/** One plane: how messages name it (a file name, "frame 3") and its Image Position (Patient). */
export interface StackPlane {
  label: string;
  position: number[];
}

export interface StackGeometry<P extends StackPlane> {
  /** The planes in voxel order (k = 0 first). */
  sorted: P[];
  /** Voxel steps in LPS mm: along a row, down a column, to the next plane. */
  steps: number[][];
  /** LPS position of voxel (0, 0, 0). */
  origin: number[];
  /** mm: [column spacing, row spacing, plane step]. */
  spacing: number[];
}

/** Positions (mm) closer than this along the normal are one position: duplicates. */
const DUPLICATE_MM = 1e-3;
/** A step may differ from the typical step by this fraction before it is a gap. */
const STEP_TOLERANCE = 0.01;

const dot = (a: readonly number[], b: readonly number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const minus = (a: readonly number[], b: readonly number[]) => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const round = (value: number) => Number(value.toFixed(4));

export function sliceNormal(orientation: readonly number[]): number[] {
  const [a, b] = [orientation.slice(0, 3), orientation.slice(3, 6)];
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** Where each plane lies along the normal (mm). */
export function positionsAlongNormal(orientation: readonly number[], planes: readonly StackPlane[]): number[] {
  const normal = sliceNormal(orientation);
  return planes.map((plane) => dot(normal, plane.position));
}

/** Whether two planes share a position (a time series or repeated acquisition, not one stack). */
export function hasRepeatedPositions(orientation: readonly number[], planes: readonly StackPlane[]): boolean {
  const along = positionsAlongNormal(orientation, planes).sort((a, b) => a - b);
  return along.some((value, i) => i > 0 && value - along[i - 1] < DUPLICATE_MM);
}

/**
 * Sorts two or more planes of one orientation and pixel spacing ([column, row] mm) along their
 * normal; duplicates, tilted stacks and uneven steps are refused with a MisasInputError for `where`.
 */
export function stackGeometry<P extends StackPlane>(
  where: string,
  orientation: readonly number[],
  pixelSpacing: readonly [number, number],
  planes: readonly P[],
): StackGeometry<P> {
  const normal = sliceNormal(orientation);
  const along = (plane: P) => dot(normal, plane.position);
  const sorted = [...planes].sort((a, b) => along(a) - along(b) || a.label.localeCompare(b.label));
  const first = sorted[0];
  const inPlaneTolerance = 0.01 * Math.min(...pixelSpacing);
  for (let k = 1; k < sorted.length; k++) {
    const [previous, plane] = [sorted[k - 1], sorted[k]];
    if (along(plane) - along(previous) < DUPLICATE_MM) {
      throw new MisasInputError(
        where,
        `${previous.label} and ${plane.label} are at the same position (${round(along(plane))} mm along the slice normal): duplicate slices, or two acquisitions in one series; remove one of them`,
      );
    }
    const offset = minus(plane.position, first.position);
    const sideways = Math.hypot(
      ...minus(
        offset,
        normal.map((n) => n * dot(offset, normal)),
      ),
    );
    if (sideways > inPlaneTolerance) {
      throw new MisasInputError(
        where,
        `the slices are not stacked along their normal (a tilted stack, e.g. CT gantry tilt): ${plane.label} is offset ${round(sideways)} mm in-plane from ${first.label}; resample the series to a regular grid first`,
      );
    }
  }
  if (sorted.length > 2) {
    const steps = sorted.slice(1).map((plane, k) => along(plane) - along(sorted[k]));
    const typical = [...steps].sort((a, b) => a - b)[Math.floor(steps.length / 2)];
    const uneven = steps.findIndex((step) => Math.abs(step - typical) > STEP_TOLERANCE * typical);
    if (uneven >= 0) {
      throw new MisasInputError(
        where,
        `uneven slice spacing: ${sorted[uneven].label} → ${sorted[uneven + 1].label} is ${round(steps[uneven])} mm, the typical step ${round(typical)} mm (a missing slice?); a volume needs evenly spaced slices`,
      );
    }
  }
  const last = sorted[sorted.length - 1];
  const planeStep = minus(last.position, first.position).map((value) => value / (sorted.length - 1));
  const [columnSpacing, rowSpacing] = pixelSpacing;
  return {
    sorted,
    steps: [
      orientation.slice(0, 3).map((value) => value * columnSpacing),
      orientation.slice(3, 6).map((value) => value * rowSpacing),
      planeStep,
    ],
    origin: [...first.position],
    spacing: [columnSpacing, rowSpacing, Math.hypot(...planeStep)],
  };
}
