/**
 * What adaptive refinement reads of one input's rows (src/engine/sweep/analysis/refine.ts): one
 * curve per foreground class × metric of the run, with the input's baseline.
 */
import { METRICS, toleranceMetrics } from '../../metrics/types';
import { BASELINE_DICE_MIN } from '../analysis/baselineCheck';
import { foregroundClasses } from '../analysis/classes';
import type { RefinementCurve } from '../analysis/refine';
import type { ResolvedExperiment } from '../experiment/types';
import type { RunRow } from '../rows';
import type { ScoredStep } from './score';

export /** The curves refinement reads: every foreground class × metric of the run, with the input's baseline. */
function refinementCurves(
  rows: readonly RunRow[],
  context: {
    baseline: ScoredStep;
    inTruth: readonly string[];
    identity: number;
    classes: readonly string[];
    metrics: ResolvedExperiment['metrics'];
  },
): RefinementCurve[] {
  const { baseline, inTruth, identity, classes, metrics } = context;
  // A class that fails at baseline gets no tolerance interval (baselineCheck.ts): nothing to refine.
  const failsAtBaseline = (className: string) =>
    inTruth.includes(className) && (baseline.metrics.dice?.[className] ?? 1) < BASELINE_DICE_MIN;
  return foregroundClasses(classes)
    .filter((className) => !failsAtBaseline(className))
    .flatMap((className) =>
      toleranceMetrics(metrics).map((metric) => ({
        points: rows.map((row) => ({
          value: row.value,
          metric: row.metrics[metric]?.[className] ?? null,
          refined: row.refined === true,
        })),
        baseline: baseline.metrics[metric]?.[className] ?? null,
        higherIsBetter: METRICS[metric].higherIsBetter,
        identity,
      })),
    );
}
