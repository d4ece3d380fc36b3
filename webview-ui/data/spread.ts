/**
 * The spread of a series over a dataset's inputs, as the chart draws it: a band around a centre
 * line (mean ± SD, or median with the interquartile range) and box plots per sweep value
 * (median, Q1–Q3 box, whiskers min–max), both read from the engine's aggregates. Runs written
 * before aggregates existed (results format 1) get them computed here with the engine's code.
 */
import type { MetricName } from '../../src/engine/metrics/types';
import type { ResultsSeries, RunResults } from '../../src/engine/report/results';
import { aggregateSeries, type AggregatePoint, type SeriesAggregate } from '../../src/engine/sweep/analysis/aggregate';
import { seriesValueOrder } from '../../src/engine/report/sweepOrder';

/** Band statistic: mean ± sample SD, or median with Q1–Q3. */
export type SpreadMode = 'sd' | 'iqr';

export const SPREAD_LABELS: Record<SpreadMode, string> = { sd: 'Mean ± SD', iqr: 'Median + IQR' };

const computed = new WeakMap<ResultsSeries, SeriesAggregate[]>();

/** The series' aggregates: the engine's, or computed from the rows when the run has none. */
export function seriesAggregates(results: RunResults, series: ResultsSeries): SeriesAggregate[] {
  if (series.aggregates?.length) return series.aggregates;
  let aggregates = computed.get(series);
  if (!aggregates) {
    aggregates = aggregateSeries(
      series.rows,
      {
        classes: results.classes,
        metrics: results.metrics,
        modelCount: results.models.length,
        groupOf: (input) => results.inputs[input]?.group,
      },
      seriesValueOrder(series.values),
    );
    computed.set(series, aggregates);
  }
  return aggregates;
}

/** The aggregate of one model, metric and class over all inputs (`group` undefined) or one group's. */
export function findAggregate(
  aggregates: readonly SeriesAggregate[],
  model: number,
  metric: MetricName,
  className: string,
  group?: string,
): SeriesAggregate | undefined {
  return aggregates.find(
    (a) => a.model === model && a.metric === metric && a.className === className && a.group === group,
  );
}

export interface BandPoint {
  x: number;
  /** Mean or median; null where no input has a defined value. */
  centre: number | null;
  /** Band edges; null where the spread is undefined (SD of one value, ∞ − ∞). */
  lo: number | null;
  hi: number | null;
  /** Inputs with a defined value here. */
  n: number;
}

export function bandPoints(points: readonly AggregatePoint[], mode: SpreadMode): BandPoint[] {
  return points.map((p) => {
    if (mode === 'iqr') return { x: p.value, centre: p.median, lo: p.q1, hi: p.q3, n: p.n };
    const defined = p.mean !== null && p.sd !== null && Number.isFinite(p.mean);
    return {
      x: p.value,
      centre: p.mean,
      lo: defined ? p.mean! - p.sd! : null,
      hi: defined ? p.mean! + p.sd! : null,
      n: p.n,
    };
  });
}

export interface BoxPoint {
  x: number;
  median: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
  n: number;
}

/** One box per value with any defined input (statistics may be ∞ for distances: the chart clamps them). */
export function boxPoints(points: readonly AggregatePoint[]): BoxPoint[] {
  const boxes: BoxPoint[] = [];
  for (const p of points) {
    if (p.median === null || p.q1 === null || p.q3 === null || p.min === null || p.max === null) continue;
    boxes.push({ x: p.value, median: p.median, q1: p.q1, q3: p.q3, min: p.min, max: p.max, n: p.n });
  }
  return boxes;
}
