/**
 * All requested metrics for all requested classes of one image: one counting pass over the
 * voxels for the overlap metrics (and the confusion matrix), and only when a surface metric is
 * asked for, one pass per label map for the edge voxels of every class, then per class the
 * distances between the two maps' edges (surface.ts).
 */
import { MisasInputError } from '../errors';
import { voxelCount, type Volume } from '../volume';
import { countPairs, type PairCounts } from './counting';
import { checkSameGrid, checkSpacing } from './grid';
import { bothEmpty, classCounts, confusionFromCounts, dice, iou, precision, recall, unlistedVoxels } from './overlap';
import { labelSurfaceDistances, withBoundary } from './surface';
import { percentChange, voxelSize } from './volume';
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
  /**
   * Per class label, the volume of the same input's untransformed prediction (volume.ts, in the
   * prediction's mm³ or mm²): the reference of `dvol_baseline`, which needs it.
   */
  baselineVolumes?: Readonly<Record<number, number>>;
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

/** Dice, IoU, precision, recall, HD95, ASSD, volumes and volume change per class; see types.ts for null and Infinity. */
export function computeMetrics(pred: Volume, truth: Volume, options: MetricsOptions): MetricsResult {
  const source = options.source ?? '';
  checkSameGrid(pred, truth, source);
  checkMetricNames(options.metrics, source);
  const classes = classList(options.classes, source);
  const wantsSurface = options.metrics.some((name) => METRICS[name].surface);
  if (wantsSurface) checkSpacing(pred, source);
  const { baselineVolumes } = options;
  if (options.metrics.includes('dvol_baseline') && !baselineVolumes)
    throw new RangeError('dvol_baseline needs the volumes of the baseline prediction (baselineVolumes)');
  const size = voxelSize(pred.spacing, pred.dims);

  const counts = countPairs(pred.data, truth.data, voxelCount(pred.dims), classes, source);

  const values: MetricsResult['values'] = {};
  for (const name of options.metrics) values[name] = {} as ClassValues;
  const empty: Record<number, boolean> = {};
  const perClass: Record<number, ClassCounts> = {};
  // Edge voxels of every class at once, found once per label map.
  const bounded = wantsSurface ? [withBoundary(pred.data, pred.dims), withBoundary(truth.data, truth.dims)] : [];

  classes.forEach((label, slot) => {
    const c = classCounts(counts, slot);
    perClass[label] = c;
    empty[label] = bothEmpty(c);
    for (const name of options.metrics) {
      const overlap = OVERLAP[name];
      if (overlap) values[name]![label] = overlap(c);
    }
    // Volumes (volume.ts): counts × voxel size; changes in % of the reference, null when it is 0.
    if (values.volume) values.volume[label] = c.pred * size;
    if (values.volume_truth) values.volume_truth[label] = c.truth * size;
    if (values.dvol) values.dvol[label] = percentChange(c.pred, c.truth);
    if (values.dvol_baseline) values.dvol_baseline[label] = percentChange(c.pred * size, baselineVolumes![label] ?? 0);
    if (wantsSurface) {
      const distances = labelSurfaceDistances(bounded[0], bounded[1], pred.dims, label, pred.spacing);
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
  const counts: PairCounts = countPairs(
    pred.data,
    truth.data,
    voxelCount(pred.dims),
    classList(numClasses, source),
    source,
  );
  const outside = unlistedVoxels(counts);
  if (outside > 0) throw new MisasInputError(source, `${outside} voxels hold a label outside 0..${numClasses - 1}`);
  return confusionFromCounts(counts);
}
