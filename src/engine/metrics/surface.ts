/**
 * Surface distances between two binary masks (or one label of two label maps), in mm.
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
 * The distances are the exact distance transform's, found near the edges only (nearest.ts).
 */
import {
  edgeSet,
  IndexList,
  nearestEdgeDistances,
  newEdgeBits,
  setBit,
  hasBit,
  paddedBox,
  paddedIndex,
  type EdgeSet,
  type PaddedBox,
} from './nearest';
import { percentileOfSorted } from './percentile';
import type { MetricValue } from './types';

export interface SurfaceDistances {
  hd95: MetricValue;
  assd: MetricValue;
}

/** [lo0, hi0, lo1, hi1, (lo2, hi2)]: an inclusive box of voxel indices per axis. */
export type VoxelBox = Int32Array | readonly number[];

function wholeGrid(dims: readonly number[]): number[] {
  return dims.flatMap((n) => [0, n - 1]);
}

function boxDims(box: VoxelBox): number[] {
  const dims: number[] = [];
  for (let axis = 0; axis < box.length / 2; axis++) dims.push(box[2 * axis + 1] - box[2 * axis] + 1);
  return dims;
}

/** A label map with its boundary voxels: those with a 6-neighbour (4 in 2D) of another label or on the grid border. */
export interface BoundedLabels {
  data: ArrayLike<number>;
  /** Grid indices of the boundary voxels in storage order, and their coordinates. */
  index: Int32Array;
  x: Int32Array;
  y: Int32Array;
  z: Int32Array;
  /** Per label, the positions in index/x/y/z of its boundary voxels (built on first use, labelPositions). */
  byLabel?: Map<number, Int32Array>;
}

/**
 * The positions of `label`'s boundary voxels in `map`, in storage order: one pass over the
 * boundary sorts every label's out, so each class then reads its own voxels only.
 */
function labelPositions(map: BoundedLabels, label: number): Int32Array {
  if (!map.byLabel) {
    const lists = new Map<number, IndexList>();
    let last = NaN,
      list: IndexList | undefined;
    for (let k = 0; k < map.index.length; k++) {
      const value = map.data[map.index[k]];
      if (value !== last) {
        last = value;
        list = lists.get(value);
        if (!list) lists.set(value, (list = new IndexList()));
      }
      list!.push(k);
    }
    map.byLabel = new Map([...lists].map(([value, positions]) => [value, positions.view()]));
  }
  return map.byLabel.get(label) ?? new Int32Array(0);
}

/**
 * The boundary voxels of a label map, found in one pass: the edge voxels of every label at once
 * (a voxel of label c is an edge of c exactly when it is a boundary voxel).
 */
export function withBoundary(data: ArrayLike<number>, dims: readonly number[]): BoundedLabels {
  const [nx, ny, nz = 1] = dims;
  const plane = nx * ny;
  const threeD = dims.length === 3;
  const capacity = Math.ceil(data.length / 16);
  const [index, xs, ys, zs] = [0, 1, 2, 3].map(() => new IndexList(capacity));
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const inner = y > 0 && y < ny - 1 && (!threeD || (z > 0 && z < nz - 1));
      for (let x = 0; x < nx; x++, i++) {
        const v = data[i];
        const interior =
          inner &&
          x > 0 &&
          x < nx - 1 &&
          data[i - 1] === v &&
          data[i + 1] === v &&
          data[i - nx] === v &&
          data[i + nx] === v &&
          (!threeD || (data[i - plane] === v && data[i + plane] === v));
        if (interior) continue;
        index.push(i);
        xs.push(x);
        ys.push(y);
        zs.push(z);
      }
    }
  }
  return { data, index: index.view(), x: xs.view(), y: ys.view(), z: zs.view() };
}

/**
 * The bounding box [x0, x1, y0, y1, (z0, z1)] of `label` in either map, or undefined if absent:
 * the voxels furthest out along an axis are boundary voxels, so theirs is the label's box.
 */
function labelBox(maps: readonly BoundedLabels[], label: number, axes: number): number[] | undefined {
  const box = [Infinity, -Infinity, Infinity, -Infinity, Infinity, -Infinity];
  for (const map of maps) {
    for (const k of labelPositions(map, label)) {
      const x = map.x[k],
        y = map.y[k],
        z = map.z[k];
      if (x < box[0]) box[0] = x;
      if (x > box[1]) box[1] = x;
      if (y < box[2]) box[2] = y;
      if (y > box[3]) box[3] = y;
      if (z < box[4]) box[4] = z;
      if (z > box[5]) box[5] = z;
    }
  }
  return box[0] > box[1] ? undefined : box.slice(0, 2 * axes);
}

/** The edge voxels of {data = label} as a padded set over `box`, which holds them all. */
function labelEdges(map: BoundedLabels, box: VoxelBox, label: number, padded: PaddedBox): EdgeSet {
  const [x0, , y0] = box;
  const z0 = box[4] ?? 0;
  const bits = newEdgeBits(padded);
  const positions = labelPositions(map, label);
  const list = new IndexList(positions.length);
  for (const k of positions) {
    const at = paddedIndex(padded, map.x[k] - x0, map.y[k] - y0, map.z[k] - z0);
    setBit(bits, at);
    list.push(at);
  }
  return { bits, list: list.view() };
}

/** Edge voxels (1) of a 0/1 mask on `dims`; neighbours outside the grid count as background. */
export function maskEdges(mask: Uint8Array, dims: readonly number[]): Uint8Array {
  const padded = paddedBox(
    dims,
    dims.map(() => 1),
  );
  const edges = labelEdges(withBoundary(binary(mask), dims), wholeGrid(dims), 1, padded);
  return unpad(padded, edges.bits);
}

function unpad(padded: PaddedBox, bits: Int32Array): Uint8Array {
  const out = new Uint8Array(padded.nx * padded.ny * padded.nz);
  for (let z = 0, i = 0; z < padded.nz; z++) {
    for (let y = 0; y < padded.ny; y++) {
      const row = paddedIndex(padded, 0, y, z);
      for (let x = 0; x < padded.nx; x++, i++) out[i] = hasBit(bits, row + x) ? 1 : 0;
    }
  }
  return out;
}

/** Distances in mm from each edge voxel of `from` to the nearest edge voxel of `to` (not empty), ascending. */
export function directedDistances(
  fromEdges: Uint8Array,
  toEdges: Uint8Array,
  dims: readonly number[],
  spacing: readonly number[],
): Float64Array {
  const padded = paddedBox(dims, spacing);
  return nearestEdgeDistances(padded, edgeSet(padded, fromEdges), edgeSet(padded, toEdges));
}

function sum(values: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

/**
 * HD95 and ASSD of one label in two label maps on grid `dims` (see the definitions above),
 * measured on the label's bounding box: exact, since outside it neither map holds the label,
 * which is what the erosion assumes beyond the grid border too.
 */
export function labelSurfaceDistances(
  pred: BoundedLabels,
  truth: BoundedLabels,
  dims: readonly number[],
  label: number,
  spacing: readonly number[],
): SurfaceDistances {
  const box = labelBox([pred, truth], label, dims.length);
  if (!box) return { hd95: null, assd: null };
  const padded = paddedBox(boxDims(box), spacing);
  const predEdges = labelEdges(pred, box, label, padded);
  const truthEdges = labelEdges(truth, box, label, padded);
  if (predEdges.list.length === 0 || truthEdges.list.length === 0) return { hd95: Infinity, assd: Infinity };
  const predToTruth = nearestEdgeDistances(padded, predEdges, truthEdges);
  const truthToPred = nearestEdgeDistances(padded, truthEdges, predEdges);
  return {
    hd95: Math.max(percentileOfSorted(predToTruth, 95), percentileOfSorted(truthToPred, 95)),
    assd: (sum(predToTruth) + sum(truthToPred)) / (predToTruth.length + truthToPred.length),
  };
}

function binary(mask: Uint8Array): Uint8Array {
  return mask.map((v) => (v ? 1 : 0));
}

/** HD95 and ASSD of two 0/1 masks on the same grid (see the definitions above). */
export function surfaceDistances(
  pred: Uint8Array,
  truth: Uint8Array,
  dims: readonly number[],
  spacing: readonly number[],
): SurfaceDistances {
  return labelSurfaceDistances(withBoundary(binary(pred), dims), withBoundary(binary(truth), dims), dims, 1, spacing);
}
