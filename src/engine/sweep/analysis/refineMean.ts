/**
 * Adaptive refinement across the inputs of a series (docs/ALGORITHMS.md, "Adaptive refinement"):
 * each input refines its own breaking points (refine.ts), but the mean curve over inputs breaks
 * where the average does, and it takes a value only where every input was evaluated
 * (seriesSummary.ts). So, per model and series:
 * - every value refined on one input is evaluated on every input: one input's breaking point is
 *   where the mean is likely to dip, and the mean curve then has the point, exactly;
 * - the mean curves the summaries report (over all inputs, and over each group's inputs) are
 *   refined as curves of their own, and the values they ask for are evaluated on every input.
 */
import { meanSkippingNull } from '../../metrics/average';
import { METRICS, toleranceMetrics, type MetricName, type MetricsByClass } from '../../metrics/types';
import { BASELINE_DICE_MIN } from './baselineCheck';
import { foregroundClasses } from './classes';
import { nextRefinementValues, type RefinementCurve, type RefinementOptions } from './refine';
import { meanCurve, type SummaryRow } from './seriesSummary';

/** What one input of one model contributes to the mean curves of one series. */
export interface MeanRefinementInput {
  input: number;
  /** The series' rows of this input and model so far (sweep and refined values). */
  rows: readonly SummaryRow[];
  baseline: MetricsByClass;
  /** Classes with at least one voxel in the input's truth. */
  inTruth: readonly string[];
  group?: string;
  identity: number;
}

export interface MeanRefinementContext extends RefinementOptions {
  classes: readonly string[];
  metrics: readonly MetricName[];
}

/** The inputs summarised as mean curves: all of them (two or more), and each group's. */
function subjects(inputs: readonly MeanRefinementInput[]): Array<readonly MeanRefinementInput[]> {
  const groups = [...new Set(inputs.flatMap((i) => (i.group !== undefined ? [i.group] : [])))];
  return [
    ...(inputs.length > 1 ? [inputs] : []),
    ...groups.map((group) => inputs.filter((i) => i.group === group)).filter((members) => members.length > 1),
  ];
}

/**
 * A class gets no tolerance interval when its mean baseline Dice over the subject's inputs that
 * have it in their truth is below BASELINE_DICE_MIN (baselineCheck.ts): nothing to refine.
 */
function failsAtBaseline(members: readonly MeanRefinementInput[], className: string): boolean {
  const dices = members.filter((m) => m.inTruth.includes(className)).map((m) => m.baseline.dice?.[className] ?? null);
  const { mean } = meanSkippingNull(dices);
  return mean !== null && mean < BASELINE_DICE_MIN;
}

/** The mean curves of one subject: every foreground class × metric that does not fail at baseline. */
function meanCurves(members: readonly MeanRefinementInput[], context: MeanRefinementContext): RefinementCurve[] {
  const rows = members.flatMap((m) => m.rows);
  const inputs = members.map((m) => m.input);
  return foregroundClasses(context.classes)
    .filter((className) => !failsAtBaseline(members, className))
    .flatMap((className) =>
      toleranceMetrics(context.metrics).map((metric) => ({
        points: meanCurve(rows, inputs, metric, className),
        baseline: meanSkippingNull(members.map((m) => m.baseline[metric]?.[className] ?? null)).mean,
        higherIsBetter: METRICS[metric].higherIsBetter,
        identity: members[0].identity,
      })),
    );
}

/**
 * Per input, the values to evaluate next so that every input shares every refined value and
 * every mean curve's breaking points are refined to the resolution: the values refined on any
 * input and the values the mean curves ask for, less those the input has evaluated. Inputs with
 * nothing to evaluate are left out; an empty map means done. Subjects whose inputs have
 * different identity values get no mean curve (as in summaries) and share no refined values.
 */
export function sharedRefinementValues(
  inputs: readonly MeanRefinementInput[],
  context: MeanRefinementContext,
): Map<number, number[]> {
  const next = new Map<number, Set<number>>();
  for (const members of subjects(inputs)) {
    if (new Set(members.map((m) => m.identity)).size !== 1) continue;
    const refinedOnAny = members.flatMap((m) => m.rows.filter((row) => row.refined).map((row) => row.value));
    const values = [...refinedOnAny, ...nextRefinementValues(meanCurves(members, context), context)];
    for (const member of members) {
      const evaluated = new Set(member.rows.map((row) => row.value));
      for (const value of values) {
        if (evaluated.has(value)) continue;
        if (!next.has(member.input)) next.set(member.input, new Set());
        next.get(member.input)!.add(value);
      }
    }
  }
  return new Map([...next].map(([input, values]) => [input, [...values].sort((a, b) => a - b)]));
}
