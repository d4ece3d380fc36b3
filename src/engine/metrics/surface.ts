/**
 * Surface distances between two binary masks, in mm.
 *
 * Definitions (matched by tools/goldens/metrics.py against scipy):
 * - edges(X) = X xor erode(X), erosion with the axis-aligned cross (4-connectivity in 2D,
 *   6 in 3D; scipy.ndimage.binary_erosion's default structure) and everything outside the grid
 *   counted as background (scipy's default border_value = 0), so mask voxels on the grid border
 *   are edge voxels. The grid's own dimensionality decides: a 3D volume with one slice
 *   ([nx, ny, 1]) has every mask voxel on its surface; a 2D image ([nx, ny]) does not.
 * - d(P→G) = for every edge voxel of P, the exact Euclidean distance (voxel spacing applied) to
 *   the nearest edge voxel of G; d(G→P) likewise.
 * - HD95 = max(percentile95(d(P→G)), percentile95(d(G→P))), numpy's default linear percentile.
 * - ASSD = (Σ d(P→G) + Σ d(G→P)) / (|edges P| + |edges G|), i.e. the mean over both directed
 *   sets pooled (not the mean of the two directed means).
 * - exactly one mask empty → Infinity for both; both empty → null.
 */
import { squaredDistanceTransform } from './edt';
import { percentileOfSorted } from './percentile';
import type { MetricValue } from './types';

export interface SurfaceDistances {
  hd95: MetricValue;
  assd: MetricValue;
}

/** Edge voxels (1) of a 0/1 mask on `dims`; neighbours outside the grid count as background. */
export function maskEdges(mask: Uint8Array, dims: readonly number[]): Uint8Array {
  const edges = new Uint8Array(mask.length);
  const strides = dims.map((_, axis) => dims.slice(0, axis).reduce((a, b) => a * b, 1));
  const coordinate = new Int32Array(dims.length);
  for (let i = 0; i < mask.length; i++) {
    if (mask[i]) {
      let interior = true;
      for (let axis = 0; axis < dims.length && interior; axis++) {
        const c = coordinate[axis];
        const s = strides[axis];
        interior = c > 0 && c < dims[axis] - 1 && mask[i - s] !== 0 && mask[i + s] !== 0;
      }
      if (!interior) edges[i] = 1;
    }
    // Advance the multi-index (first axis fastest).
    for (let axis = 0; axis < dims.length; axis++) {
      if (++coordinate[axis] < dims[axis]) break;
      coordinate[axis] = 0;
    }
  }
  return edges;
}

/** Distances in mm from each edge voxel of `from` to the nearest edge voxel of `to`. */
export function directedDistances(
  fromEdges: Uint8Array,
  toEdges: Uint8Array,
  dims: readonly number[],
  spacing: readonly number[],
): Float64Array {
  const field = new Float64Array(toEdges.length);
  for (let i = 0; i < field.length; i++) field[i] = toEdges[i] ? 0 : Infinity;
  squaredDistanceTransform(field, dims, spacing);
  let count = 0;
  for (let i = 0; i < fromEdges.length; i++) if (fromEdges[i]) count++;
  const distances = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < fromEdges.length; i++) if (fromEdges[i]) distances[k++] = Math.sqrt(field[i]);
  return distances;
}

function sum(values: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

/** HD95 and ASSD of two 0/1 masks on the same grid (see the definitions above). */
export function surfaceDistances(
  pred: Uint8Array,
  truth: Uint8Array,
  dims: readonly number[],
  spacing: readonly number[],
): SurfaceDistances {
  const predEdges = maskEdges(pred, dims);
  const truthEdges = maskEdges(truth, dims);
  const predEmpty = !predEdges.includes(1);
  const truthEmpty = !truthEdges.includes(1);
  if (predEmpty && truthEmpty) return { hd95: null, assd: null };
  if (predEmpty || truthEmpty) return { hd95: Infinity, assd: Infinity };
  const predToTruth = directedDistances(predEdges, truthEdges, dims, spacing).sort();
  const truthToPred = directedDistances(truthEdges, predEdges, dims, spacing).sort();
  return {
    hd95: Math.max(percentileOfSorted(predToTruth, 95), percentileOfSorted(truthToPred, 95)),
    assd: (sum(predToTruth) + sum(truthToPred)) / (predToTruth.length + truthToPred.length),
  };
}
