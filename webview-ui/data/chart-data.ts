/**
 * Series → chart data: what one card plots for one metric, independent of the DOM. Several
 * inputs give a mean line per class (at the values all inputs share, nulls skipped — the same
 * pooling as the engine's summaries) plus faint per-input lines; one input gives its own line.
 */
import { METRICS, type MetricName } from '../../src/engine/metrics/types';
import type { ResultsSeries, RunResults } from '../../src/engine/report/results';
import { categoricalAxis, type Category } from './categories';
import { isBackgroundClass } from './palette';
import { toleranceBands, type ToleranceBand } from './tolerance';

export interface ChartPoint {
  x: number;
  /** Plotted value; null where the metric is undefined or infinite (a gap in the line). */
  y: number | null;
  /** The metric as measured (Infinity for a surface distance to a missing class). */
  raw: number | null;
}

export interface ChartLine {
  /** Unique within a chart: run, input and class. */
  key: string;
  className: string;
  classIndex: number;
  /** 0 for the run being shown, 1… for compared runs (their line style). */
  run: number;
  input: number | 'mean';
  /** main: the mean (or the single input); detail: one input's faint line under the mean. */
  role: 'main' | 'detail';
  points: ChartPoint[];
}

export interface ChartAxisX {
  scale: 'linear' | 'log' | 'categorical';
  label: string;
  unit: string;
  /** Smallest and largest value plotted. */
  domain: [number, number];
  /** Named values of a categorical axis (dihedral k). */
  categories?: Category[];
}

export interface ChartData {
  series: string;
  transform: string;
  kind: string;
  metric: MetricName;
  metricLabel: string;
  yUnit: string;
  higherIsBetter: boolean;
  x: ChartAxisX;
  yDomain: [number, number];
  /** The parameter value that leaves the input unchanged; null when inputs disagree. */
  identity: number | null;
  inputCount: number;
  lines: ChartLine[];
  tolerance: ToleranceBand[];
  /** The engine's summary sentences for this metric (foreground classes, pooled when pooled). */
  sentences: Array<{ className: string; classIndex: number; text: string }>;
}

type Row = ResultsSeries['rows'][number];

function metricOf(row: Row, metric: MetricName, className: string): number | null {
  return row.metrics[metric]?.[className] ?? null;
}

function point(x: number, raw: number | null): ChartPoint {
  return { x, raw, y: raw !== null && Number.isFinite(raw) ? raw : null };
}

/** Inputs that have rows in this series, in order. */
export function inputsOf(series: ResultsSeries): number[] {
  return [...new Set(series.rows.map((row) => row.input))].sort((a, b) => a - b);
}

/** Mean over inputs at each value every input has (nulls skipped; all null → null; any ∞ → ∞). */
export function meanPoints(rows: readonly Row[], inputs: readonly number[], metric: MetricName, className: string): ChartPoint[] {
  const byValue = new Map<number, Array<number | null>>();
  for (const row of rows) {
    if (!inputs.includes(row.input)) continue;
    const list = byValue.get(row.value) ?? [];
    list.push(metricOf(row, metric, className));
    byValue.set(row.value, list);
  }
  return [...byValue.entries()]
    .filter(([, values]) => values.length === inputs.length)
    .sort(([a], [b]) => a - b)
    .map(([value, values]) => {
      const defined = values.filter((v): v is number => v !== null);
      return point(value, defined.length === 0 ? null : defined.reduce((sum, v) => sum + v, 0) / defined.length);
    });
}

function inputPoints(rows: readonly Row[], input: number, metric: MetricName, className: string): ChartPoint[] {
  return rows
    .filter((row) => row.input === input)
    .sort((a, b) => a.value - b.value)
    .map((row) => point(row.value, metricOf(row, metric, className)));
}

function commonIdentity(series: ResultsSeries, inputs: readonly number[]): number | null {
  const identities = inputs.map((input) => series.identity[input]).filter((v) => v !== undefined);
  return identities.length > 0 && identities.every((v) => v === identities[0]) ? identities[0] : null;
}

/** Ratio metrics always span [0, 1]; distances span 0 to their largest finite value. */
export function yDomainOf(metric: MetricName, lines: readonly ChartLine[]): [number, number] {
  if (METRICS[metric].unit === '') return [0, 1];
  let max = 0;
  for (const line of lines) for (const p of line.points) if (p.y !== null && p.y > max) max = p.y;
  return [0, max > 0 ? max * 1.05 : 1];
}

export function xDomainOf(lines: readonly ChartLine[], identity: number | null, positiveOnly: boolean): [number, number] {
  const xs = lines.flatMap((line) => line.points.map((p) => p.x));
  if (identity !== null) xs.push(identity);
  const usable = positiveOnly ? xs.filter((x) => x > 0) : xs;
  if (usable.length === 0) return positiveOnly ? [1, 10] : [0, 1];
  return [Math.min(...usable), Math.max(...usable)];
}

/** Lines of one run's series (run index `run`); the caller decides which roles to keep. */
export function seriesLines(results: RunResults, series: ResultsSeries, metric: MetricName, run = 0): ChartLine[] {
  const inputs = inputsOf(series);
  const lines: ChartLine[] = [];
  results.classes.forEach((className, classIndex) => {
    const base = { className, classIndex, run };
    if (inputs.length === 1) {
      lines.push({ ...base, key: `${run}:${inputs[0]}:${classIndex}`, input: inputs[0], role: 'main', points: inputPoints(series.rows, inputs[0], metric, className) });
      return;
    }
    for (const input of inputs) {
      lines.push({ ...base, key: `${run}:${input}:${classIndex}`, input, role: 'detail', points: inputPoints(series.rows, input, metric, className) });
    }
    if (inputs.length > 1) {
      lines.push({ ...base, key: `${run}:mean:${classIndex}`, input: 'mean', role: 'main', points: meanPoints(series.rows, inputs, metric, className) });
    }
  });
  return lines;
}

function axisLabel(series: ResultsSeries): string {
  return series.unit ? `${series.transform} (${series.unit})` : series.transform;
}

export function chartData(results: RunResults, seriesIndex: number, metric: MetricName): ChartData {
  const series = results.series[seriesIndex];
  const info = METRICS[metric];
  const inputs = inputsOf(series);
  const identity = commonIdentity(series, inputs);
  const lines = seriesLines(results, series, metric);
  const categorical = categoricalAxis(series.transform);
  const scale = categorical ? 'categorical' : series.scale;
  const pooled: number | 'mean' = inputs.length > 1 ? 'mean' : (inputs[0] ?? 0);
  const summaries = series.summaries.filter((s) => s.metric === metric && s.input === pooled);
  const classIndexOf = (name: string) => results.classes.indexOf(name);
  return {
    series: series.name,
    transform: series.transform,
    kind: series.kind,
    metric,
    metricLabel: info.label,
    yUnit: info.unit,
    higherIsBetter: info.higherIsBetter,
    x: {
      scale,
      label: axisLabel(series),
      unit: series.unit,
      domain: xDomainOf(lines, identity, scale === 'log'),
      ...(categorical ? { categories: categorical } : {}),
    },
    yDomain: yDomainOf(metric, lines),
    identity,
    inputCount: inputs.length,
    lines,
    tolerance: toleranceBands(summaries, results.classes),
    sentences: summaries
      .filter((s) => !isBackgroundClass(classIndexOf(s.className), results.classes.length))
      .map((s) => ({ className: s.className, classIndex: classIndexOf(s.className), text: s.sentence })),
  };
}
