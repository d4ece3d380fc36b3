/**
 * How the runner scores a step's prediction: against the step's truth, per slice too with
 * `perSlice` (a volume with a 2D model), with the untransformed prediction's volumes as the
 * reference of the baseline-relative metrics (dvol_baseline, metrics/volume.ts).
 */
import type { MetricName } from '../../metrics/types';
import type { Volume } from '../../volume';
import { extractSlice } from './loadInput';
import { baselineVolumesOf, needsBaselineVolumes, scoreAgainstTruth, type ScoredStep } from './score';

export type StepScorer = (prediction: Volume, truth: Volume) => ScoredStep & { slices?: ScoredStep[] };

/** Scores of each slice along `axis` of a volume prediction against its truth (`score` gets the slice index too). */
function scorePerSlice(
  prediction: Volume,
  truth: Volume,
  axis: number,
  score: (p: Volume, t: Volume, index: number) => ScoredStep,
): ScoredStep[] {
  const slices: ScoredStep[] = [];
  for (let index = 0; index < prediction.dims[axis]; index++)
    slices.push(score(extractSlice(prediction, axis, index), extractSlice(truth, axis, index), index));
  return slices;
}

/** The scorer of one input with one model; `original` is its untransformed prediction. */
export function stepScorer(options: {
  classes: readonly string[];
  metrics: readonly MetricName[];
  original: Volume;
  /** The slice axis when scoring per slice, else undefined. */
  perSliceAxis: number | undefined;
}): StepScorer {
  const { classes, metrics, original, perSliceAxis } = options;
  const wantsVolumes = needsBaselineVolumes(metrics);
  const volumes = wantsVolumes ? baselineVolumesOf(original, classes) : undefined;
  const score = (prediction: Volume, truth: Volume, reference = volumes) =>
    scoreAgainstTruth(prediction, truth, classes, metrics, reference);
  if (perSliceAxis === undefined) return (prediction, truth) => score(prediction, truth);
  // Per slice, each slice's own baseline volumes (computed once, when a step is first scored per slice).
  let sliceVolumes: Array<Record<number, number>> | undefined;
  const scoreSlice = (prediction: Volume, truth: Volume, index: number) => {
    if (wantsVolumes)
      sliceVolumes ??= Array.from({ length: original.dims[perSliceAxis] }, (_, i) =>
        baselineVolumesOf(extractSlice(original, perSliceAxis, i), classes),
      );
    return score(prediction, truth, sliceVolumes?.[index]);
  };
  return (prediction, truth) => ({
    ...score(prediction, truth),
    slices: scorePerSlice(prediction, truth, perSliceAxis, scoreSlice),
  });
}
