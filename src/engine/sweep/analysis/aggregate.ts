/**
 * The spread of a series' metric over a dataset's inputs at every sweep value (per model, and
 * per group of inputs), and the ranking of inputs from the least to the most robust.
 * Definitions (docs/ALGORITHMS.md, "Aggregates over inputs"):
 * - n counts the defined values; null (undefined metric) and absent entries are left out.
 * - mean, sample SD (ddof = 1, null when n < 2), median, q1, q3 (numpy's default 'linear'
 *   percentile), min, max; every statistic is null when n = 0.
 * - Infinity (a surface distance with a class missing) is a value like any other: the mean is
 *   Infinity (as numpy), the SD is null (numpy gives NaN: ∞ − ∞), and percentiles take the
 *   limit of the linear rule (a rank that lands exactly on a finite order statistic is that
 *   value; interpolating towards Infinity gives Infinity). numpy.percentile itself returns NaN
 *   there (0·∞ in its interpolation), so the goldens replace Infinity by a huge finite number.
 */
import { percentileOfSorted } from '../../metrics/percentile';
import { METRICS, type MetricName, type MetricsByClass } from '../../metrics/types';
import { foregroundClasses } from './classes';
import type { SeriesSummary, SummaryContext } from './seriesSummary';
import type { ValueOrder } from '../../report/sweepOrder';

/** The fields of a results row this module reads. */
export interface AggregateRow {
  model: number;
  input: number;
  value: number;
  metrics: MetricsByClass;
}

export interface AggregatePoint {
  value: number;
  /** How many inputs had a defined value here. */
  n: number;
  mean: number | null;
  /** Sample standard deviation (ddof = 1). */
  sd: number | null;
  median: number | null;
  q1: number | null;
  q3: number | null;
  min: number | null;
  max: number | null;
}

export interface SeriesAggregate {
  model: number;
  /** Absent: all inputs of the model; set: only the inputs of that group. */
  group?: string;
  metric: MetricName;
  className: string;
  /** Sorted by value. */
  points: AggregatePoint[];
}

/** NaN (e.g. ∞ − ∞) is not a statistic anyone can read: report it as null. */
function orNull(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}

/** The statistics of the defined values at one sweep value. */
export function describeValues(value: number, values: readonly (number | null | undefined)[]): AggregatePoint {
  const defined = values.filter((v): v is number => v !== null && v !== undefined).sort((a, b) => a - b);
  const n = defined.length;
  if (n === 0) return { value, n, mean: null, sd: null, median: null, q1: null, q3: null, min: null, max: null };
  const mean = defined.reduce((sum, v) => sum + v, 0) / n;
  let sd: number | null = null;
  if (n >= 2 && Number.isFinite(mean)) {
    const squares = defined.reduce((sum, v) => sum + (v - mean) ** 2, 0);
    sd = Math.sqrt(squares / (n - 1));
  }
  return {
    value,
    n,
    mean: orNull(mean),
    sd,
    median: orNull(percentileOfSorted(defined, 50)),
    q1: orNull(percentileOfSorted(defined, 25)),
    q3: orNull(percentileOfSorted(defined, 75)),
    min: defined[0],
    max: defined[n - 1],
  };
}

function pointsOf(
  rows: readonly AggregateRow[],
  metric: MetricName,
  className: string,
  valueOrder: ValueOrder,
): AggregatePoint[] {
  const byValue = new Map<number, Array<number | null | undefined>>();
  for (const row of rows) {
    const list = byValue.get(row.value) ?? [];
    list.push(row.metrics[metric]?.[className]);
    byValue.set(row.value, list);
  }
  return [...byValue.entries()]
    .sort(([a], [b]) => valueOrder(a, b))
    .map(([value, values]) => describeValues(value, values));
}

/** Distinct groups among the inputs, sorted; empty when no input has a group. */
function groupsOf(inputs: Iterable<number>, groupOf: (input: number) => string | undefined): string[] {
  const groups = new Set<string>();
  for (const input of inputs) {
    const group = groupOf(input);
    if (group !== undefined) groups.add(group);
  }
  return [...groups].sort();
}

/**
 * Per model (those with rows), per group (first all inputs, then each distinct group when any
 * input has one), per metric and class: the statistics over inputs at every value any of those
 * inputs has. A value only some inputs have (input-size-dependent sweeps) aggregates over those.
 */
/** `valueOrder` orders the points (the series' order, `seriesValueOrder`; ascending by default). */
export function aggregateSeries(
  rows: readonly AggregateRow[],
  context: Omit<SummaryContext, 'tau'>,
  valueOrder: ValueOrder = (a, b) => a - b,
): SeriesAggregate[] {
  const aggregates: SeriesAggregate[] = [];
  const models = [...new Set(rows.map((row) => row.model))].sort((a, b) => a - b);
  for (const model of models) {
    const modelRows = rows.filter((row) => row.model === model);
    const groups = groupsOf(new Set(modelRows.map((row) => row.input)), context.groupOf);
    const subsets: Array<{ group?: string; rows: AggregateRow[] }> = [
      { rows: modelRows },
      ...groups.map((group) => ({ group, rows: modelRows.filter((row) => context.groupOf(row.input) === group) })),
    ];
    for (const subset of subsets) {
      for (const metric of context.metrics) {
        for (const className of context.classes) {
          aggregates.push({
            model,
            ...(subset.group !== undefined ? { group: subset.group } : {}),
            metric,
            className,
            points: pointsOf(subset.rows, metric, className, valueOrder),
          });
        }
      }
    }
  }
  return aggregates;
}

export interface InputRank {
  input: number;
  /** Mean nAUC over series and foreground classes; null when no summary has one. */
  score: number | null;
}

/**
 * The inputs of one model from the least to the most robust for one metric. An input's score is
 * the mean of its per-input nAUC over every series and foreground class that has one. nAUC is
 * the mean metric over the sweep relative to the input's own baseline, so a low score is worst
 * for higher-is-better metrics (Dice) and a high score is worst for lower-is-better ones (HD95:
 * the score is kept as it is, > 1 means distances grew, and sorted the other way). Ties keep
 * input order; inputs with summaries but no defined nAUC come last with score null.
 */
export function rankInputs(
  summaries: readonly (readonly SeriesSummary[])[],
  options: { model: number; metric: MetricName; classes: readonly string[] },
): InputRank[] {
  const foreground = new Set(foregroundClasses(options.classes));
  const naucs = new Map<number, number[]>();
  for (const seriesSummaries of summaries) {
    for (const summary of seriesSummaries) {
      if (summary.model !== options.model || summary.input === 'mean') continue;
      const list = naucs.get(summary.input) ?? [];
      naucs.set(summary.input, list);
      if (summary.metric === options.metric && foreground.has(summary.className) && summary.nauc !== null)
        list.push(summary.nauc);
    }
  }
  const worstFirst = METRICS[options.metric].higherIsBetter ? 1 : -1;
  const ranks: InputRank[] = [...naucs.entries()].map(([input, list]) => ({
    input,
    score: list.length > 0 ? list.reduce((sum, v) => sum + v, 0) / list.length : null,
  }));
  return ranks.sort((a, b) => {
    if (a.score === null || b.score === null)
      return a.score === b.score ? a.input - b.input : a.score === null ? 1 : -1;
    // Compared, not subtracted: two Infinity scores are a tie, not NaN.
    const order = a.score < b.score ? -1 : a.score > b.score ? 1 : 0;
    return order * worstFirst || a.input - b.input;
  });
}
