/**
 * Turns a series' rows into summaries, per model: per input, metric and class a tolerance
 * interval, breakdown values and nAUC with its sentence; with several inputs also the same for
 * the mean curve over all inputs (the sentence a user reads first) and, when inputs carry
 * groups, for the mean curve of each group's inputs.
 */
import { meanSkippingNull } from '../../metrics/average';
import { METRICS, toleranceMetrics, type MetricName, type MetricsByClass } from '../../metrics/types';
import { foregroundClasses } from './classes';
import { failsAtBaselineText } from './baselineCheck';
import { summarizeCurve, type CurvePoint, type CurveSummary } from './curve';
import { toleranceSentence } from './sentence';
import { rangeText, rangeWithin, VOLUME_CHANGE_METRICS, type ValueRange, type VolumeChangeMetric } from './volumeRange';

export interface SeriesSummary extends CurveSummary {
  /** Index of the model the rows came from. */
  model: number;
  /** Input index, or 'mean' for the curve averaged over inputs (all of them, or one group's). */
  input: number | 'mean';
  /** Set on a 'mean' summary over the inputs of this group only. */
  group?: string;
  metric: MetricName;
  className: string;
  sentence: string;
  /** The summaries worth printing first, per model: first metric, foreground classes, pooled when pooled exists. */
  headline: boolean;
  /**
   * Set when the class fails at baseline over this summary's inputs (baselineCheck.ts): then
   * threshold, tolerance, breakdown and nAUC are null, whatever the metric.
   */
  failsAtBaseline?: { dice: number };
  /**
   * With volume-change metrics in the run (dvol, dvol_baseline): their smallest and largest value
   * among the evaluated points inside this summary's tolerance interval (volumeRange.ts).
   */
  volumeChange?: Partial<Record<VolumeChangeMetric, ValueRange>>;
}

export interface SummaryContext {
  classes: readonly string[];
  metrics: readonly MetricName[];
  /** Tolerance fraction τ. */
  tau: number;
  /** Models in the run: sentences name the model when there is more than one. */
  modelCount: number;
  /** Display names of the models (index = model); default "model <index>". */
  modelLabels?: readonly string[];
  groupOf: (input: number) => string | undefined;
  /** The baseline Dice when the class fails at baseline over these inputs (see baselineCheck.ts), else undefined. */
  failsAtBaseline?: (model: number, inputs: readonly number[], className: string) => number | undefined;
}

/** The fields of a results row this module reads. */
export interface SummaryRow {
  model: number;
  input: number;
  value: number;
  metrics: MetricsByClass;
  /** A value added by adaptive refinement (refine.ts reads the mark; mean curves take a value only where every input has it). */
  refined?: true;
}

/** The fields of a baseline (metrics of a model on an untransformed input) this module reads. */
export interface SummaryBaseline {
  model: number;
  input: number;
  metrics: MetricsByClass;
}

/** The fields of a series' description this module reads. */
export interface SummarySeriesInfo {
  /** Transform name as shown in sentences. */
  name: string;
  unit: string;
  scale: 'linear' | 'log';
  /** Identity value per input. */
  identity: readonly number[];
}

function metricOf(metrics: MetricsByClass, metric: MetricName, className: string): number | null {
  return metrics[metric]?.[className] ?? null;
}

function curveOf(rows: readonly SummaryRow[], metric: MetricName, className: string): CurvePoint[] {
  return rows.map((row) => ({ value: row.value, metric: metricOf(row.metrics, metric, className) }));
}

/**
 * Mean over `inputs` at every value that all of them evaluated (nulls skipped). A value only some
 * inputs have (an input-size-dependent sweep, or a value refined for one input's own curve) is
 * left out: every point of the mean curve is exact. Refinement evaluates the values the mean
 * curve's own breaking points need on every input (refineMean.ts), so they are shared.
 * `refined` marks a value that any input evaluated as a refined row.
 */
export function meanCurve(
  rows: readonly SummaryRow[],
  inputs: readonly number[],
  metric: MetricName,
  className: string,
): Array<CurvePoint & { refined: boolean }> {
  const byValue = new Map<number, { metrics: Array<number | null>; refined: boolean }>();
  for (const row of rows) {
    if (!inputs.includes(row.input)) continue;
    const entry = byValue.get(row.value) ?? { metrics: [], refined: false };
    entry.metrics.push(metricOf(row.metrics, metric, className));
    entry.refined ||= row.refined === true;
    byValue.set(row.value, entry);
  }
  return [...byValue.entries()]
    .filter(([, entry]) => entry.metrics.length === inputs.length)
    .map(([value, entry]) => ({ value, metric: meanSkippingNull(entry.metrics).mean, refined: entry.refined }));
}

/** A set of inputs summarised as one curve: a single input, all inputs, or one group's. */
interface Subject {
  input: number | 'mean';
  group?: string;
  inputs: number[];
}

function describeSubject(
  subject: Subject,
  className: string,
  modelName: string | undefined,
  inputCount: number,
): string {
  const count = `${subject.inputs.length} ${subject.inputs.length === 1 ? 'input' : 'inputs'}`;
  const which =
    subject.input !== 'mean'
      ? inputCount > 1
        ? `input ${subject.input}`
        : undefined
      : subject.group !== undefined
        ? `mean of ${count} in group ${subject.group}`
        : `mean of ${count}`;
  const qualifiers = [modelName, which].filter((part): part is string => part !== undefined);
  return qualifiers.length > 0 ? `${className} (${qualifiers.join(', ')})` : className;
}

/** Summaries of one model's rows. */
function summarizeModel(
  info: SummarySeriesInfo,
  model: number,
  rows: readonly SummaryRow[],
  baselines: readonly SummaryBaseline[],
  context: SummaryContext,
): SeriesSummary[] {
  const modelBaselines = baselines.filter((b) => b.model === model);
  const inputs = [...new Set(rows.map((row) => row.input))]
    .filter((i) => modelBaselines.some((b) => b.input === i))
    .sort((a, b) => a - b);
  const pooled = inputs.length > 1;
  const groups = [...new Set(inputs.map(context.groupOf).filter((g): g is string => g !== undefined))].sort();
  const subjects: Subject[] = [
    ...inputs.map((input) => ({ input, inputs: [input] })),
    ...(pooled ? [{ input: 'mean' as const, inputs }] : []),
    ...groups.map((group) => ({
      input: 'mean' as const,
      group,
      inputs: inputs.filter((i) => context.groupOf(i) === group),
    })),
  ];
  const modelName = context.modelCount > 1 ? (context.modelLabels?.[model] ?? `model ${model}`) : undefined;
  const foreground = new Set(foregroundClasses(context.classes));
  const baselineOf = (subject: Subject, metric: MetricName, className: string): number | null =>
    meanSkippingNull(
      subject.inputs.map((i) => metricOf(modelBaselines.find((b) => b.input === i)!.metrics, metric, className)),
    ).mean;

  const curveFor = (subject: Subject, metric: MetricName, className: string): CurvePoint[] =>
    subject.input === 'mean'
      ? meanCurve(rows, subject.inputs, metric, className)
      : curveOf(
          rows.filter((row) => row.input === subject.input),
          metric,
          className,
        );

  const summaries: SeriesSummary[] = [];
  // Volumes and volume change get no tolerance summaries (MetricInfo.tolerance; see volumeRange.ts).
  const metrics = toleranceMetrics(context.metrics);
  for (const metric of metrics) {
    for (const className of context.classes) {
      for (const subject of subjects) {
        // Inputs share the identity unless it depends on the input's size (resize): no mean curve then.
        const identities = new Set(subject.inputs.map((i) => info.identity[i]));
        if (identities.size !== 1) continue;
        const points = curveFor(subject, metric, className);
        if (points.length === 0) continue;
        const summary = summarizeCurve(points, {
          identity: info.identity[subject.inputs[0]],
          baseline: baselineOf(subject, metric, className),
          tau: context.tau,
          higherIsBetter: METRICS[metric].higherIsBetter,
          scale: info.scale,
        });
        const subjectText = describeSubject(subject, className, modelName, inputs.length);
        // ΔVolume% over the interval, read off the same subject's curve of each volume-change metric.
        const volumeChange: SeriesSummary['volumeChange'] = {};
        for (const change of VOLUME_CHANGE_METRICS) {
          if (!context.metrics.includes(change) || !summary.tolerance) continue;
          const range = rangeWithin(curveFor(subject, change, className), summary.tolerance);
          if (range) volumeChange[change] = range;
        }
        const volumeText = Object.entries(volumeChange).map(([change, range]) =>
          rangeText(METRICS[change as MetricName].label, range),
        );
        // Tolerance relative to a failing baseline means nothing: none is reported.
        const failingDice = context.failsAtBaseline?.(model, subject.inputs, className);
        const failing = failingDice !== undefined;
        summaries.push({
          ...summary,
          ...(failing ? { threshold: null, tolerance: null, breakdown: { below: null, above: null }, nauc: null } : {}),
          model,
          input: subject.input,
          ...(subject.group !== undefined ? { group: subject.group } : {}),
          metric,
          className,
          sentence: failing
            ? `${subjectText}: ${failsAtBaselineText(failingDice)}; no tolerance computed`
            : [
                toleranceSentence({
                  className: subjectText,
                  metric: METRICS[metric].label,
                  transform: info.name,
                  unit: info.unit,
                  summary,
                }),
                ...volumeText,
              ].join('; '),
          ...(failing ? { failsAtBaseline: { dice: failingDice } } : {}),
          ...(!failing && volumeText.length > 0 ? { volumeChange } : {}),
          headline:
            metric === metrics[0] &&
            foreground.has(className) &&
            subject.group === undefined &&
            (subject.input === 'mean' || !pooled),
        });
      }
    }
  }
  return summaries;
}

/**
 * Summaries of one series for every model with rows, in model order; within a model by metric,
 * class, then inputs, the mean over all inputs and the group means. Inputs without a baseline
 * for the model (cancelled before it) are left out.
 */
export function summarizeSeries(
  info: SummarySeriesInfo,
  rows: readonly SummaryRow[],
  baselines: readonly SummaryBaseline[],
  context: SummaryContext,
): SeriesSummary[] {
  const models = [...new Set(rows.map((row) => row.model))].sort((a, b) => a - b);
  return models.flatMap((model) =>
    summarizeModel(
      info,
      model,
      rows.filter((row) => row.model === model),
      baselines,
      context,
    ),
  );
}
