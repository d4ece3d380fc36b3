/**
 * Occlusion maps (issue 14 item 2): where a segmentation model looks, per class. An occlusion
 * series has one row per patch position (transforms/intensity/occlusion.ts); the drop of a
 * class's metric from the unoccluded image (position −1) to a position is spread over that
 * patch's voxels, and each voxel's value is the mean drop of the patches covering it:
 *   map_c(v) = mean over patches P ∋ v of (D_c(−1) − D_c(P))
 * With a mask, D is the metric against the truth; without one, against the prediction on the
 * unoccluded image (pseudo-truth: D_c(−1) = 1, so the map is 1 − Dice with the unoccluded
 * prediction). A higher-is-better metric is assumed (Dice, IoU); patches whose metric is
 * undefined (null) are left out of the mean, and a voxel no defined patch covers is NaN.
 */
import { occlusionGrid, occlusionPatch } from '../../transforms/intensity/occlusion';
import type { MetricName } from '../../metrics/types';
import type { RunResults } from '../../report/results';

export interface OcclusionMap {
  /** The input's dims (one channel): [nx, ny] or [nx, ny, nz]. */
  dims: number[];
  classes: string[];
  /** Per class, x fastest: the mean metric drop of the patches covering each voxel. */
  maps: Float32Array[];
}

/**
 * Spreads per-position drops over their patches. `drop(position)` gives one drop per class
 * (null: undefined for that class).
 */
export function assembleOcclusionMap(
  dims: readonly number[],
  size: number,
  stride: number,
  classes: readonly string[],
  drop: (position: number) => ReadonlyArray<number | null> | undefined,
): OcclusionMap {
  const voxels = dims.reduce((product, n) => product * n, 1);
  const positions = occlusionGrid(dims, size, stride).reduce((count, starts) => count * starts.length, 1);
  const [nx, ny] = dims;
  const maps = classes.map((_, c) => {
    const sum = new Float64Array(voxels);
    const covered = new Uint32Array(voxels);
    for (let position = 0; position < positions; position++) {
      const value = drop(position)?.[c];
      if (value === null || value === undefined || !Number.isFinite(value)) continue;
      const patch = occlusionPatch(dims, size, stride, position);
      for (let z = patch.z0; z < patch.z1; z++) {
        for (let y = patch.y0; y < patch.y1; y++) {
          const row = (z * ny + y) * nx;
          for (let i = row + patch.x0; i < row + patch.x1; i++) {
            sum[i] += value;
            covered[i]++;
          }
        }
      }
    }
    const map = new Float32Array(voxels);
    for (let i = 0; i < voxels; i++) map[i] = covered[i] === 0 ? NaN : sum[i] / covered[i];
    return map;
  });
  return { dims: [...dims], classes: [...classes], maps };
}

/**
 * The occlusion map of one model on one input from a run's results (metric `dice` unless
 * given). Undefined when the series is not an occlusion series or the input has no rows.
 */
export function occlusionMapOf(
  results: RunResults,
  seriesName: string,
  model: number,
  input: number,
  metric: Exclude<MetricName, 'hd95' | 'assd'> = 'dice',
): OcclusionMap | undefined {
  const series = results.series.find((s) => s.name === seriesName);
  const info = results.inputs[input];
  if (!series || series.transform !== 'occlusion' || !info?.dims) return undefined;
  // A picked slice was transformed as a 2D image of the volume's two other axes.
  const dims = info.slice ? info.dims.filter((_, axis) => axis !== info.slice!.axis) : info.dims;
  const rows = series.rows.filter((row) => row.model === model && row.input === input);
  const unoccluded = rows.find((row) => row.value === -1);
  if (!unoccluded) return undefined;
  const byPosition = new Map(rows.map((row) => [row.value, row]));
  const perClass = (row: (typeof rows)[number]) => results.classes.map((name) => row.metrics[metric]?.[name] ?? null);
  const clean = perClass(unoccluded);
  const { size, stride } = series.options as { size: number; stride: number };
  return assembleOcclusionMap(dims, size, stride, results.classes, (position) => {
    const row = byPosition.get(position);
    if (!row) return undefined;
    return perClass(row).map((value, c) => (value === null || clean[c] === null ? null : clean[c]! - value));
  });
}

/** Share of a map's total (positive) sensitivity inside a box [x0, x1) × [y0, y1) × [z0, z1). */
export function sensitivityShareInside(
  map: Float32Array,
  dims: readonly number[],
  box: { x0: number; x1: number; y0: number; y1: number; z0?: number; z1?: number },
): number {
  const [nx, ny] = dims;
  const nz = dims[2] ?? 1;
  let inside = 0,
    total = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        const v = map[(z * ny + y) * nx + x];
        if (!(v > 0)) continue;
        total += v;
        if (x >= box.x0 && x < box.x1 && y >= box.y0 && y < box.y1 && z >= (box.z0 ?? 0) && z < (box.z1 ?? 1))
          inside += v;
      }
    }
  }
  return total === 0 ? NaN : inside / total;
}
