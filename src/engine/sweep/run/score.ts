/** Scores one prediction against its truth and keys the values by class name for rows. */
import { computeMetrics } from '../../metrics';
import { METRICS, type MetricName, type MetricsByClass } from '../../metrics/types';
import { labelCounts, voxelSize } from '../../metrics/volume';
import type { Volume } from '../../volume';

export interface ScoredStep {
  metrics: MetricsByClass;
  empty: string[];
}

/**
 * Every class of `classNames` (index = label value) is scored with every metric asked for;
 * `baselineVolumes` (baselineVolumesOf) is the reference of the baseline-relative metrics.
 */
export function scoreAgainstTruth(
  prediction: Volume,
  truth: Volume,
  classNames: readonly string[],
  metrics: readonly MetricName[],
  baselineVolumes?: Readonly<Record<number, number>>,
): ScoredStep {
  const classes = classNames.map((_, label) => label);
  const result = computeMetrics(prediction, truth, { classes, metrics: [...metrics], baselineVolumes });
  const byName: ScoredStep['metrics'] = {};
  for (const metric of metrics) {
    const values = result.values[metric] ?? {};
    byName[metric] = Object.fromEntries(classes.map((label) => [classNames[label], values[label] ?? null]));
  }
  return { metrics: byName, empty: classes.filter((label) => result.empty[label]).map((label) => classNames[label]) };
}

/** The classes of `classNames` (index = label value) with at least one voxel in the truth. */
export function classesInTruth(truth: Volume, classNames: readonly string[]): string[] {
  const seen = new Array<boolean>(classNames.length).fill(false);
  for (const label of truth.data) if (label >= 0 && label < seen.length) seen[label] = true;
  return classNames.filter((_, label) => seen[label]);
}

/** Whether any metric asked for is relative to the baseline prediction (needs baselineVolumesOf). */
export function needsBaselineVolumes(metrics: readonly MetricName[]): boolean {
  return metrics.some((metric) => METRICS[metric].baseline === true);
}

/** Volume of each class (index = label value) in the untransformed prediction: the reference of dvol_baseline. */
export function baselineVolumesOf(prediction: Volume, classNames: readonly string[]): Record<number, number> {
  const size = voxelSize(prediction.spacing, prediction.dims);
  const counts = labelCounts(
    prediction.data,
    classNames.map((_, label) => label),
  );
  return Object.fromEntries(counts.map((count, label) => [label, count * size]));
}
