/**
 * "Tolerance intervals by model": for a run with several models, one row per series and
 * foreground class, one cell per model holding the tolerance interval of its pooled curve (the
 * mean over all inputs, or the single input's curve) for one metric. The widest interval of a
 * row is the most robust model there; on a log axis width is a ratio, so it is measured in logs.
 */
import type { MetricName } from '../../src/engine/metrics/types';
import type { ResultsSeries, RunResults } from '../../src/engine/report/results';
import { foregroundClasses } from '../../src/engine/sweep/analysis/classes';
import type { SeriesSummary } from '../../src/engine/sweep/analysis/seriesSummary';
import { inputsOf } from './chart-data';
import { formatParameter } from './format';

export interface ToleranceCell {
  model: number;
  /** null: not even the identity is tolerated, or the model has no summary here. */
  interval: [number, number] | null;
  /** Whether the model has a summary for this series and class at all. */
  measured: boolean;
  /** The class fails at baseline for this model (no interval: it would mean nothing). */
  failsAtBaseline: boolean;
  text: string;
  /** Widest interval of the row (ties all count). */
  best: boolean;
}

export interface ToleranceRow {
  seriesIndex: number;
  series: string;
  className: string;
  classIndex: number;
  cells: ToleranceCell[];
}

/** The summary of a model's pooled curve: 'mean' over all inputs, or its single input's. */
export function pooledSummary(
  series: ResultsSeries,
  model: number,
  metric: MetricName,
  className: string,
): SeriesSummary | undefined {
  const ofModel = series.summaries.filter(
    (s) => (s.model ?? 0) === model && s.metric === metric && s.className === className,
  );
  const pooled = ofModel.find((s) => s.input === 'mean' && s.group === undefined);
  if (pooled) return pooled;
  const inputs = inputsOf(series, model);
  return inputs.length === 1 ? ofModel.find((s) => s.input === inputs[0]) : undefined;
}

/** "−20° … +25°": signed values when the identity is 0 (an amount either way), the unit after each. */
export function formatInterval(interval: [number, number], unit: string, signed: boolean): string {
  const suffix = unit === '' ? '' : unit === '°' ? '°' : ` ${unit}`;
  const one = (v: number) => `${signed && v > 0 ? '+' : ''}${formatParameter(v)}${suffix}`;
  return interval[0] === interval[1] ? `${one(interval[0])} only` : `${one(interval[0])} … ${one(interval[1])}`;
}

/** How wide an interval is on the series' axis: a difference, or a log ratio on log axes. */
export function intervalWidth([lo, hi]: [number, number], scale: ResultsSeries['scale']): number {
  return scale === 'log' && lo > 0 ? Math.log(hi / lo) : hi - lo;
}

export function toleranceTable(results: RunResults, metric: MetricName): ToleranceRow[] {
  const rows: ToleranceRow[] = [];
  const foreground = foregroundClasses(results.classes);
  results.series.forEach((series, seriesIndex) => {
    for (const className of foreground) {
      const cells = results.models.map((_, model): ToleranceCell => {
        const summary = pooledSummary(series, model, metric, className);
        const interval = summary?.tolerance ?? null;
        const text = !summary
          ? '—'
          : summary.failsAtBaseline
            ? `fails at baseline (Dice ${summary.failsAtBaseline.dice.toFixed(2)})`
            : interval
              ? formatInterval(interval, series.unit, summary.identity === 0)
              : 'none';
        return {
          model,
          interval,
          measured: summary !== undefined,
          failsAtBaseline: summary?.failsAtBaseline !== undefined,
          text,
          best: false,
        };
      });
      const widths = cells.map((cell) => (cell.interval ? intervalWidth(cell.interval, series.scale) : -Infinity));
      const widest = Math.max(...widths);
      if (widest > -Infinity) cells.forEach((cell, i) => (cell.best = widths[i] === widest));
      rows.push({ seriesIndex, series: series.name, className, classIndex: results.classes.indexOf(className), cells });
    }
  });
  return rows;
}
