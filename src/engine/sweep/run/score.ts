/** Scores one prediction against its truth and keys the values by class name for rows. */
import { computeMetrics } from '../../metrics';
import type { MetricName, MetricsByClass } from '../../metrics/types';
import type { Volume } from '../../volume';

export interface ScoredStep {
  metrics: MetricsByClass;
  empty: string[];
}

/** Every class of `classNames` (index = label value) is scored with every metric asked for. */
export function scoreAgainstTruth(
  prediction: Volume,
  truth: Volume,
  classNames: readonly string[],
  metrics: readonly MetricName[],
): ScoredStep {
  const classes = classNames.map((_, label) => label);
  const result = computeMetrics(prediction, truth, { classes, metrics: [...metrics] });
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
