/**
 * Turns a series' rows into summaries: per input, metric and class a tolerance interval,
 * breakdown values and nAUC with its sentence; with several inputs also the same for the
 * mean curve over inputs (the sentence a user reads first).
 */
import { meanSkippingNull } from '../metrics/average';
import { METRICS, type MetricName } from '../metrics/types';
import { summarizeCurve, toleranceSentence, type CurvePoint, type CurveSummary } from './summary';
import type { InputBaseline, RunRow, RunSeriesInfo } from './runner';

export interface SeriesSummary extends CurveSummary {
  /** Input index, or 'mean' for the curve averaged over inputs. */
  input: number | 'mean';
  metric: MetricName;
  className: string;
  sentence: string;
  /** The summaries worth printing first: foreground classes, first metric, pooled when pooled exists. */
  headline: boolean;
}

type Row = Omit<RunRow, 'series'>;

function curveOf(rows: readonly Row[], metric: MetricName, className: string): CurvePoint[] {
  return rows.map((row) => ({ value: row.value, metric: row.metrics[metric]?.[className] ?? null }));
}

/** Mean over inputs at every value that all inputs share (nulls skipped). */
function meanCurve(rows: readonly Row[], inputs: number[], metric: MetricName, className: string): CurvePoint[] {
  const byValue = new Map<number, Array<number | null>>();
  for (const row of rows) {
    const list = byValue.get(row.value) ?? [];
    list.push(row.metrics[metric]?.[className] ?? null);
    byValue.set(row.value, list);
  }
  return [...byValue.entries()]
    .filter(([, values]) => values.length === inputs.length)
    .map(([value, values]) => ({ value, metric: meanSkippingNull(values).mean }));
}

export function summarizeSeries(
  info: RunSeriesInfo,
  rows: readonly Row[],
  baselines: readonly InputBaseline[],
  classes: readonly string[],
  metrics: readonly MetricName[],
  tau: number,
): SeriesSummary[] {
  const inputs = [...new Set(rows.map((row) => row.input))].filter((i) => baselines.some((b) => b.input === i)).sort((a, b) => a - b);
  const baselineOf = (input: number | 'mean', metric: MetricName, className: string): number | null => {
    const of = (i: number) => baselines.find((b) => b.input === i)?.metrics[metric]?.[className] ?? null;
    return input === 'mean' ? meanSkippingNull(inputs.map(of)).mean : of(input);
  };
  const pooled = inputs.length > 1;
  const summaries: SeriesSummary[] = [];
  const add = (input: number | 'mean', identity: number, points: CurvePoint[], metric: MetricName, className: string, classIndex: number) => {
    if (points.length === 0) return;
    const baseline = baselineOf(input, metric, className);
    const summary = summarizeCurve(points, { identity, baseline, tau, higherIsBetter: METRICS[metric].higherIsBetter, scale: info.scale });
    const subject = input === 'mean' ? `${className} (mean of ${inputs.length} inputs)` : inputs.length > 1 ? `${className} (input ${input})` : className;
    summaries.push({
      ...summary,
      input,
      metric,
      className,
      sentence: toleranceSentence({ className: subject, metric: METRICS[metric].label, transform: info.name, unit: info.unit, summary }),
      headline: metric === metrics[0] && (classes.length === 1 || classIndex > 0) && (input === 'mean' || !pooled),
    });
  };
  for (const metric of metrics) {
    for (const [classIndex, className] of classes.entries()) {
      for (const input of inputs) {
        add(input, info.identity[input], curveOf(rows.filter((row) => row.input === input), metric, className), metric, className, classIndex);
      }
      // Inputs share the identity unless it depends on the input's size (resize): no pooled curve then.
      if (pooled && new Set(inputs.map((i) => info.identity[i])).size === 1) {
        add('mean', info.identity[inputs[0]], meanCurve(rows.filter((row) => inputs.includes(row.input)), inputs, metric, className), metric, className, classIndex);
      }
    }
  }
  return summaries;
}
