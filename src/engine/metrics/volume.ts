/**
 * Volumes and volume change of a class (docs/ALGORITHMS.md, "Volume change"): some groups report
 * robustness as the change of a structure's volume rather than its overlap.
 *
 * - Volume = voxel count × voxel size, the product of the spacing over the image's axes: mm³ for
 *   a volume, mm² (an area) for a 2D image; where a file has no spacing (a PNG without a pHYs
 *   chunk) readers assume 1 mm, so there it is the pixel count.
 * - ΔVolume% against the truth = (V_pred − V_true) / V_true · 100; against the baseline
 *   prediction (the same input's untransformed prediction) = (V_pred − V_base) / V_base · 100.
 *   Signed: positive means the model finds more of the class. The voxel size cancels, so these
 *   are ratios of counts when both are on one grid.
 * - Undefined (null, as other undefined metrics) when the reference volume is 0: a percentage of
 *   nothing has no value, and Infinity would read as a huge error where the class is simply
 *   absent. Both 0 would be 0% but stays null too, with the reason in the docs: the class is
 *   in neither, so there is no volume to compare.
 */
import type { MetricValue } from './types';

/** mm³ (mm² in 2D) per voxel: the product of the spacing over the image's axes. */
export function voxelSize(spacing: readonly number[], dims: readonly number[]): number {
  let size = 1;
  for (let axis = 0; axis < dims.length; axis++) size *= spacing[axis] ?? 1;
  return size;
}

/** (value − reference) / reference · 100; null when the reference is 0 (or not a finite number). */
export function percentChange(value: number, reference: number | null): MetricValue {
  if (reference === null || !Number.isFinite(reference) || reference === 0) return null;
  return ((value - reference) / reference) * 100;
}

/** Voxels of each label in `classes` (index = slot) in a label map; labels outside are not counted. */
export function labelCounts(data: ArrayLike<number>, classes: readonly number[]): number[] {
  const slotOf = new Map(classes.map((label, slot) => [label, slot]));
  const counts = new Array<number>(classes.length).fill(0);
  for (let i = 0; i < data.length; i++) {
    const slot = slotOf.get(data[i]);
    if (slot !== undefined) counts[slot]++;
  }
  return counts;
}
