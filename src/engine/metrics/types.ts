/** Names, descriptions and result shapes of the per-class segmentation metrics (docs/ALGORITHMS.md, "Metrics"). */

export type MetricName =
  'dice' | 'iou' | 'precision' | 'recall' | 'hd95' | 'assd' | 'volume' | 'volume_truth' | 'dvol' | 'dvol_baseline';

/** metric → class name → value; null where undefined (e.g. precision with nothing predicted). */
export type MetricsByClass = Partial<Record<MetricName, Record<string, number | null>>>;

export interface MetricInfo {
  name: MetricName;
  /** Label for charts and sentences. */
  label: string;
  /** Dice: true; HD95: false. Summaries use it to pick the tolerance rule. */
  higherIsBetter: boolean;
  /** '' for ratios in [0, 1], 'mm' for surface distances, 'mm³' for volumes (mm² for 2D images), '%' for volume change. */
  unit: '' | 'mm' | 'mm³' | '%';
  /** Needs a distance transform (costly), not just voxel counts. */
  surface: boolean;
  /**
   * Summaries give it a tolerance interval, breakdown values and nAUC relative to its baseline.
   * Not for volumes and volume change: a signed change whose ideal is 0 has no "τ × baseline";
   * summaries report its range over the first metric's tolerance interval instead (volumeRange.ts).
   */
  tolerance: boolean;
  /** Needs the input's untransformed prediction (the baseline) as a reference. */
  baseline?: true;
}

export const METRICS: Readonly<Record<MetricName, MetricInfo>> = {
  dice: { name: 'dice', label: 'Dice', higherIsBetter: true, unit: '', surface: false, tolerance: true },
  iou: { name: 'iou', label: 'IoU', higherIsBetter: true, unit: '', surface: false, tolerance: true },
  precision: { name: 'precision', label: 'Precision', higherIsBetter: true, unit: '', surface: false, tolerance: true },
  recall: { name: 'recall', label: 'Recall', higherIsBetter: true, unit: '', surface: false, tolerance: true },
  hd95: { name: 'hd95', label: 'HD95', higherIsBetter: false, unit: 'mm', surface: true, tolerance: true },
  assd: { name: 'assd', label: 'ASSD', higherIsBetter: false, unit: 'mm', surface: true, tolerance: true },
  // Volumes and volume change (volume.ts): no better direction, so higherIsBetter only orders charts' axes.
  volume: { name: 'volume', label: 'Volume', higherIsBetter: true, unit: 'mm³', surface: false, tolerance: false },
  volume_truth: {
    name: 'volume_truth',
    label: 'Volume (truth)',
    higherIsBetter: true,
    unit: 'mm³',
    surface: false,
    tolerance: false,
  },
  dvol: {
    name: 'dvol',
    label: 'ΔVolume% vs truth',
    higherIsBetter: false,
    unit: '%',
    surface: false,
    tolerance: false,
  },
  dvol_baseline: {
    name: 'dvol_baseline',
    label: 'ΔVolume% vs baseline',
    higherIsBetter: false,
    unit: '%',
    surface: false,
    tolerance: false,
    baseline: true,
  },
};

export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

export function isMetricName(name: string): name is MetricName {
  return Object.hasOwn(METRICS, name);
}

/**
 * One metric for one class of one image. `null` means undefined (precision with an empty
 * prediction, recall with an empty ground truth, a surface distance with both masks empty);
 * `Infinity` means a surface distance where exactly one mask is empty. Infinity stays a number
 * in memory; JSON writers encode it with `encodeMetricValue` (see json.ts).
 */
export type MetricValue = number | null;

/** Values keyed by class label. */
export type ClassValues = Record<number, MetricValue>;

/** The metrics that summaries give a tolerance interval (see MetricInfo.tolerance). */
export function toleranceMetrics(metrics: readonly MetricName[]): MetricName[] {
  return metrics.filter((name) => METRICS[name].tolerance);
}

/** Voxel counts of one class: |P|, |G| and |P∩G|. */
export interface ClassCounts {
  pred: number;
  truth: number;
  intersection: number;
}

export interface MetricsResult {
  /** The classes evaluated, in the order asked for. */
  classes: number[];
  /** One entry per requested metric. */
  values: Partial<Record<MetricName, ClassValues>>;
  /** True where the class is absent from both prediction and ground truth (Dice/IoU are then 1 by convention). */
  empty: Record<number, boolean>;
  counts: Record<number, ClassCounts>;
  /** Present when asked for: confusion[i][j] = voxels with truth classes[i] and prediction classes[j]. */
  confusion?: number[][];
}
