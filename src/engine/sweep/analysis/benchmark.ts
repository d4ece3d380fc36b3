/**
 * Benchmark metrics of the series given as severity levels (docs/ALGORITHMS.md, "Severity levels
 * and benchmark metrics"), per model × series × class × metric, on the mean over inputs:
 * - ROOD-MRI's Overall and Degradation robustness (rood.ts), with M0 the metric on the
 *   untransformed inputs (the baselines) and M_s the mean over inputs at level s;
 * - with a reference model, ImageNet-C's corruption error on E = 1 − Dice:
 *     CE  = Σ_s E_model(s) / Σ_s E_ref(s)
 *     rCE = Σ_s (E_model(s) − E_model(0)) / Σ_s (E_ref(s) − E_ref(0))
 *   summed over the levels s ≥ 1 both models have, and their means over series (mCE, relative mCE).
 * A ratio whose denominator is not positive (a perfect or undegraded reference) is null.
 */
import { METRICS, type MetricName, type MetricsByClass } from '../../metrics/types';
import type { InputBaseline } from '../rows';
import { foregroundClasses } from './classes';
import { ROOD_ALPHA, roodScores } from './rood';

/** The fields of a results row this module reads. */
export interface BenchmarkRow {
  model: number;
  input: number;
  severity?: number;
  metrics: MetricsByClass;
}

export interface BenchmarkSeries {
  name: string;
  transform: string;
  /** Present on series given as severity levels; the others have no benchmark metrics. */
  severities?: number[][];
  rows: readonly BenchmarkRow[];
}

export interface BenchmarkContext {
  classes: readonly string[];
  metrics: readonly MetricName[];
  modelCount: number;
  /** Index of the model the corruption error is normalised to. */
  referenceModel?: number;
}

export interface SeverityMean {
  severity: number;
  /** Inputs with a defined metric at this level. */
  n: number;
  mean: number | null;
}

export interface RobustnessScore {
  model: number;
  series: string;
  transform: string;
  className: string;
  metric: MetricName;
  /** M0: the mean over inputs on the untransformed inputs. */
  clean: number | null;
  /** M_s per level run (1…5, ascending). */
  levels: SeverityMean[];
  /** ROOD-MRI Overall robustness: (M0 + Σ α^s M_s) / (1 + Σ α^s); null without M0. */
  overall: number | null;
  /** ROOD-MRI Degradation: Σ α^s (M0 − M_s) / Σ α^s (sign flipped for lower-is-better metrics); positive = worse. */
  degradation: number | null;
}

export interface CorruptionError {
  model: number;
  series: string;
  transform: string;
  className: string;
  /** Σ_s E_model(s) / Σ_s E_ref(s), E = 1 − Dice. */
  ce: number | null;
  /** Σ_s (E_model(s) − E_model(0)) / Σ_s (E_ref(s) − E_ref(0)). */
  relativeCe: number | null;
  /** The levels both models have, over which the sums run. */
  levels: number[];
}

export interface MeanCorruptionError {
  model: number;
  className: string;
  /** Mean of the series' CE (those defined). */
  mce: number | null;
  relativeMce: number | null;
  /** How many series the means are over. */
  series: number;
}

export interface BenchmarkResults {
  /** Severity weight base α (weights α^s). */
  alpha: number;
  robustness: RobustnessScore[];
  /** Present when the experiment names a `referenceModel`. */
  referenceModel?: number;
  corruptionErrors?: CorruptionError[];
  meanCorruptionErrors?: MeanCorruptionError[];
}

function mean(values: readonly (number | null | undefined)[]): { n: number; mean: number | null } {
  const defined = values.filter((v): v is number => v !== null && v !== undefined && !Number.isNaN(v));
  return { n: defined.length, mean: defined.length ? defined.reduce((a, b) => a + b, 0) / defined.length : null };
}

/** M0 and M_s of one model, series, metric and class: means over the inputs with rows in the series. */
function severityMeans(
  series: BenchmarkSeries,
  baselines: readonly InputBaseline[],
  model: number,
  metric: MetricName,
  className: string,
): { clean: number | null; levels: SeverityMean[] } {
  const rows = series.rows.filter((row) => row.model === model && row.severity !== undefined);
  const inputs = new Set(rows.map((row) => row.input));
  const clean = mean(
    baselines.filter((b) => b.model === model && inputs.has(b.input)).map((b) => b.metrics[metric]?.[className]),
  ).mean;
  const levels = [...new Set(rows.map((row) => row.severity!))]
    .filter((level) => level > 0)
    .sort((a, b) => a - b)
    .map((severity) => ({
      severity,
      ...mean(rows.filter((row) => row.severity === severity).map((row) => row.metrics[metric]?.[className])),
    }));
  return { clean, levels };
}

/** ROOD-MRI scores from M0 and the per-level means. */
function robustness(clean: number | null, levels: readonly SeverityMean[], metric: MetricName) {
  if (clean === null) return { overall: null, degradation: null };
  const byLevel: (number | null | undefined)[] = [];
  for (const level of levels) byLevel[level.severity - 1] = level.mean;
  const scores = roodScores(clean, byLevel, { higherIsBetter: METRICS[metric].higherIsBetter });
  return { overall: scores.overall, degradation: scores.degradation };
}

/** CE and rCE of a model against the reference, from M0 and M_s of Dice (E = 1 − Dice). */
export function corruptionError(
  model: { clean: number | null; levels: readonly SeverityMean[] },
  reference: { clean: number | null; levels: readonly SeverityMean[] },
): { ce: number | null; relativeCe: number | null; levels: number[] } {
  const refAt = new Map(reference.levels.map((l) => [l.severity, l.mean]));
  const shared = model.levels.filter((l) => l.mean !== null && refAt.get(l.severity) != null);
  const levels = shared.map((l) => l.severity);
  if (!shared.length) return { ce: null, relativeCe: null, levels };
  const error = (dice: number) => 1 - dice;
  const modelSum = shared.reduce((sum, l) => sum + error(l.mean!), 0);
  const refSum = shared.reduce((sum, l) => sum + error(refAt.get(l.severity)!), 0);
  const ratio = (numerator: number, denominator: number) => (denominator > 0 ? numerator / denominator : null);
  const relativeCe =
    model.clean === null || reference.clean === null
      ? null
      : ratio(modelSum - shared.length * error(model.clean), refSum - shared.length * error(reference.clean));
  return { ce: ratio(modelSum, refSum), relativeCe, levels };
}

/** The benchmark metrics of a run, or undefined when no series is given as severity levels. */
export function benchmarkOf(
  series: readonly BenchmarkSeries[],
  baselines: readonly InputBaseline[],
  context: BenchmarkContext,
): BenchmarkResults | undefined {
  const graded = series.filter((s) => s.severities);
  if (!graded.length) return undefined;
  const classes = foregroundClasses(context.classes);
  const models = Array.from({ length: context.modelCount }, (_, i) => i);
  const robustnessScores: RobustnessScore[] = [];
  for (const s of graded)
    for (const model of models)
      for (const metric of context.metrics)
        for (const className of classes) {
          const { clean, levels } = severityMeans(s, baselines, model, metric, className);
          if (!levels.length) continue;
          robustnessScores.push({
            model,
            series: s.name,
            transform: s.transform,
            className,
            metric,
            clean,
            levels,
            ...robustness(clean, levels, metric),
          });
        }
  const reference = context.referenceModel;
  if (reference === undefined || !context.metrics.includes('dice'))
    return { alpha: ROOD_ALPHA, robustness: robustnessScores };

  const corruptionErrors: CorruptionError[] = [];
  for (const s of graded)
    for (const className of classes) {
      const ref = severityMeans(s, baselines, reference, 'dice', className);
      for (const model of models) {
        const own = severityMeans(s, baselines, model, 'dice', className);
        if (!own.levels.length || !ref.levels.length) continue;
        corruptionErrors.push({
          model,
          series: s.name,
          transform: s.transform,
          className,
          ...corruptionError(own, ref),
        });
      }
    }
  const meanCorruptionErrors: MeanCorruptionError[] = [];
  for (const model of models)
    for (const className of classes) {
      const mine = corruptionErrors.filter((c) => c.model === model && c.className === className);
      if (!mine.length) continue;
      meanCorruptionErrors.push({
        model,
        className,
        mce: mean(mine.map((c) => c.ce)).mean,
        relativeMce: mean(mine.map((c) => c.relativeCe)).mean,
        series: mine.length,
      });
    }
  return {
    alpha: ROOD_ALPHA,
    robustness: robustnessScores,
    referenceModel: reference,
    corruptionErrors,
    meanCorruptionErrors,
  };
}
