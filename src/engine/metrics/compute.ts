/**
 * All requested metrics for all requested classes of one image: one counting pass over the
 * voxels for the overlap metrics (and the confusion matrix), then a distance transform per
 * class only when a surface metric is asked for, on the bounding box of that class.
 */
import { MisasInputError } from '../errors';
import type { Volume, VoxelArray } from '../volume';
import { countPairs, type PairCounts } from './counting';
import { checkSameGrid, checkSpacing } from './grid';
import { bothEmpty, classCounts, confusionFromCounts, dice, iou, precision, recall, unlistedVoxels } from './overlap';
import { surfaceDistances } from './surface';
import {
  isMetricName,
  METRIC_NAMES,
  METRICS,
  type ClassCounts,
  type ClassValues,
  type MetricName,
  type MetricsResult,
  type MetricValue,
} from './types';

export interface MetricsOptions {
  /** The class labels to evaluate, or a class count n meaning labels 0..n−1. */
  classes: readonly number[] | number;
  metrics: readonly MetricName[];
  /** Also return the confusion matrix over `classes`. */
  confusion?: boolean;
  /** Names the image in error messages. */
  source?: string;
}

const OVERLAP: Partial<Record<MetricName, (c: ClassCounts) => MetricValue>> = { dice, iou, precision, recall };

function classList(classes: readonly number[] | number, source: string): number[] {
  if (typeof classes !== 'number') return [...classes];
  if (!Number.isInteger(classes) || classes < 1)
    throw new MisasInputError(source, `class count ${classes} is not a positive integer`);
  return Array.from({ length: classes }, (_, c) => c);
}

function checkMetricNames(metrics: readonly string[], source: string): void {
  for (const name of metrics) {
    if (!isMetricName(name))
      throw new MisasInputError(source, `unknown metric "${name}"; known: ${METRIC_NAMES.join(', ')}`);
  }
}

/** The 0/1 mask of `label` inside the inclusive box [lo0, hi0, lo1, hi1, (lo2, hi2)]. */
function cropMask(data: VoxelArray, dims: readonly number[], box: Int32Array, label: number): Uint8Array {
  const [x0, x1, y0, y1] = box;
  const z0 = box[4] ?? 0;
  const z1 = box[5] ?? 0;
  const nx = dims[0];
  const ny = dims[1];
  const mask = new Uint8Array((x1 - x0 + 1) * (y1 - y0 + 1) * (z1 - z0 + 1));
  let k = 0;
  for (let z = z0; z <= z1; z++) {
    for (let y = y0; y <= y1; y++) {
      const row = nx * (y + ny * z);
      for (let x = x0; x <= x1; x++) mask[k++] = data[row + x] === label ? 1 : 0;
    }
  }
  return mask;
}

function boxDims(box: Int32Array): number[] {
  const dims: number[] = [];
  for (let axis = 0; axis < box.length / 2; axis++) dims.push(box[2 * axis + 1] - box[2 * axis] + 1);
  return dims;
}

/**
 * Surface distances of one class computed on its bounding box (prediction ∪ truth). Exact:
 * everything outside the box is background in both masks, which is what the erosion assumes
 * beyond the grid border too, and every edge voxel lies inside the box.
 */
function surfaceForClass(
  pred: Volume,
  truth: Volume,
  box: Int32Array,
  label: number,
): { hd95: MetricValue; assd: MetricValue } {
  if (box[0] > box[1]) return { hd95: null, assd: null };
  const dims = boxDims(box);
  return surfaceDistances(
    cropMask(pred.data, pred.dims, box, label),
    cropMask(truth.data, truth.dims, box, label),
    dims,
    pred.spacing,
  );
}

/** Dice, IoU, precision, recall, HD95 and ASSD per class; see types.ts for null and Infinity. */
export function computeMetrics(pred: Volume, truth: Volume, options: MetricsOptions): MetricsResult {
  const source = options.source ?? '';
  checkSameGrid(pred, truth, source);
  checkMetricNames(options.metrics, source);
  const classes = classList(options.classes, source);
  const wantsSurface = options.metrics.some((name) => METRICS[name].surface);
  if (wantsSurface) checkSpacing(pred, source);

  const slots = classes.map((_, slot) => slot);
  const counts = countPairs(pred.data, truth.data, pred.dims, classes, wantsSurface ? slots : [], source);

  const values: MetricsResult['values'] = {};
  for (const name of options.metrics) values[name] = {} as ClassValues;
  const empty: Record<number, boolean> = {};
  const perClass: Record<number, ClassCounts> = {};

  classes.forEach((label, slot) => {
    const c = classCounts(counts, slot);
    perClass[label] = c;
    empty[label] = bothEmpty(c);
    for (const name of options.metrics) {
      const overlap = OVERLAP[name];
      if (overlap) values[name]![label] = overlap(c);
    }
    if (wantsSurface) {
      const distances = surfaceForClass(pred, truth, counts.boxes.get(slot)!, label);
      if (values.hd95) values.hd95[label] = distances.hd95;
      if (values.assd) values.assd[label] = distances.assd;
    }
  });

  const result: MetricsResult = { classes, values, empty, counts: perClass };
  if (options.confusion) result.confusion = confusionFromCounts(counts);
  return result;
}

/**
 * numClasses × numClasses voxel counts, rows = ground truth class, columns = predicted class.
 * Refuses label maps holding a label outside 0..numClasses−1, since those voxels would vanish.
 */
export function confusionMatrix(pred: Volume, truth: Volume, numClasses: number, source = ''): number[][] {
  checkSameGrid(pred, truth, source);
  const counts: PairCounts = countPairs(pred.data, truth.data, pred.dims, classList(numClasses, source), [], source);
  const outside = unlistedVoxels(counts);
  if (outside > 0) throw new MisasInputError(source, `${outside} voxels hold a label outside 0..${numClasses - 1}`);
  return confusionFromCounts(counts);
}
