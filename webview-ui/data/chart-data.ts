/**
 * Series → chart data: what one card plots for one metric and one model, independent of the
 * DOM. Several inputs give a centre line per class (mean or median over the inputs, from the
 * engine's aggregates) with a band (± SD or Q1–Q3) and box plots per value, plus a faint line
 * per input; one input gives its own line. A group narrows all of it to that group's inputs.
 */
import { METRICS, type MetricName } from '../../src/engine/metrics/types';
import type { ResultsSeries, RunResults } from '../../src/engine/report/results';
import { isDescendingSeries } from '../../src/engine/report/sweepOrder';
import type { SeriesSummary } from '../../src/engine/sweep/analysis/seriesSummary';
import { categoricalAxis, type Category } from './categories';
import { isBackgroundClass } from './palette';
import {
  bandPoints,
  boxPoints,
  findAggregate,
  seriesAggregates,
  type BandPoint,
  type BoxPoint,
  type SpreadMode,
} from './spread';
import { toleranceBands, type ToleranceBand } from './tolerance';

export interface ChartPoint {
  x: number;
  /** Plotted value; null where the metric is undefined or infinite (a gap in the line). */
  y: number | null;
  /** The metric as measured (Infinity for a surface distance to a missing class). */
  raw: number | null;
  /** Centre lines over several inputs: the band's edges there and how many inputs had a value. */
  low?: number | null;
  high?: number | null;
  n?: number;
  /** A value added by adaptive refinement (drawn as a smaller dot). */
  refined?: true;
}

export interface ChartLine {
  /** Unique within a chart: view, role, input and class. */
  key: string;
  className: string;
  classIndex: number;
  /** Which model of which run (see modelViews): the line style. */
  view: number;
  /** An input, or the statistic a centre line over several inputs shows. */
  input: number | 'mean' | 'median';
  /** main: the centre line (or the single input); detail: one input's faint line; focus: the input picked in the input list. */
  role: 'main' | 'detail' | 'focus';
  points: ChartPoint[];
}

export interface ChartBand {
  className: string;
  classIndex: number;
  points: BandPoint[];
}

export interface ChartBoxes {
  className: string;
  classIndex: number;
  points: BoxPoint[];
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
  /** The model shown and its view (line style). */
  model: number;
  view: number;
  /** The group the curves are narrowed to; null for all inputs. */
  group: string | null;
  /** Inputs the curves are over (the model's, in the group). */
  inputCount: number;
  /** The band's statistic; null with a single input (no band). */
  spread: SpreadMode | null;
  lines: ChartLine[];
  /** Spread bands and box plots of the model shown, one per class (several inputs only). */
  bands: ChartBand[];
  boxes: ChartBoxes[];
  tolerance: ToleranceBand[];
  /** The engine's summary sentences for this metric (foreground classes, pooled when pooled). */
  sentences: Array<{ className: string; classIndex: number; text: string }>;
}

export interface ChartDataOptions {
  /** Model index (default 0). */
  model?: number;
  /** Only the inputs of this group (null or absent: all inputs). */
  group?: string | null;
  spread?: SpreadMode;
  /** Input highlighted on every chart (its own line, drawn whatever the per-input setting). */
  focusInput?: number | null;
  /** Line style of this model's lines (default: the model index). */
  view?: number;
}

type Row = ResultsSeries['rows'][number];

function metricOf(row: Row, metric: MetricName, className: string): number | null {
  return row.metrics[metric]?.[className] ?? null;
}

function point(x: number, raw: number | null): ChartPoint {
  return { x, raw, y: raw !== null && Number.isFinite(raw) ? raw : null };
}

/** Inputs that have rows in this series (for one model when given), in order. */
export function inputsOf(series: ResultsSeries, model?: number): number[] {
  return [
    ...new Set(series.rows.filter((row) => model === undefined || row.model === model).map((row) => row.input)),
  ].sort((a, b) => a - b);
}

/**
 * The inputs a model's curves are over, and the group actually applied: a group none of the
 * model's inputs has (a compared run without it) falls back to all inputs.
 */
export function scopeOf(
  results: RunResults,
  series: ResultsSeries,
  model: number,
  group: string | null,
): { inputs: number[]; group: string | undefined } {
  const inputs = inputsOf(series, model);
  if (group === null) return { inputs, group: undefined };
  const inGroup = inputs.filter((input) => results.inputs[input]?.group === group);
  return inGroup.length > 0 ? { inputs: inGroup, group } : { inputs, group: undefined };
}

function inputPoints(
  rows: readonly Row[],
  model: number,
  input: number,
  metric: MetricName,
  className: string,
): ChartPoint[] {
  return rows
    .filter((row) => row.input === input && row.model === model)
    .sort((a, b) => a.value - b.value)
    .map((row) => ({
      ...point(row.value, metricOf(row, metric, className)),
      ...(row.refined ? { refined: true } : {}),
    }));
}

/**
 * The aggregate points a centre line, band and boxes show: as the mean curves of summaries
 * (seriesSummary.ts), only values every input has. Refinement evaluates refined values on every
 * input, but a cancelled or sharded run may hold a value only some inputs have: it is left out
 * there (the line would zig-zag between some inputs and all); each input's own line shows it.
 */
export function plottedAggregatePoints<P extends { value: number }>(
  series: ResultsSeries,
  model: number,
  inputs: readonly number[],
  points: readonly P[],
): P[] {
  if (!series.refine) return [...points];
  const count = new Map<number, Set<number>>();
  for (const row of series.rows) {
    if (row.model !== model || !inputs.includes(row.input)) continue;
    const seen = count.get(row.value) ?? new Set<number>();
    seen.add(row.input);
    count.set(row.value, seen);
  }
  return points.filter((p) => (count.get(p.value)?.size ?? 0) === inputs.length);
}

function commonIdentity(series: ResultsSeries, inputs: readonly number[]): number | null {
  const identities = inputs.map((input) => series.identity[input]).filter((v) => v !== undefined && v !== null);
  return identities.length > 0 && identities.every((v) => v === identities[0]) ? identities[0] : null;
}

/**
 * Ratio metrics always span [0, 1]; distances and volumes span 0 to their largest finite value
 * among the lines, band edges and box whiskers; volume change (%) spans its smallest to its
 * largest value, 0 included.
 */
export function yDomainOf(
  metric: MetricName,
  lines: readonly ChartLine[],
  bands: readonly ChartBand[] = [],
  boxes: readonly ChartBoxes[] = [],
): [number, number] {
  if (METRICS[metric].unit === '') return [0, 1];
  let max = 0;
  let min = 0;
  const consider = (v: number | null | undefined) => {
    if (v === null || v === undefined || !Number.isFinite(v)) return;
    if (v > max) max = v;
    if (v < min) min = v;
  };
  for (const line of lines) for (const p of line.points) consider(p.y);
  for (const band of bands) for (const p of band.points) [p.lo, p.hi].forEach(consider);
  for (const box of boxes) for (const p of box.points) [p.min, p.max].forEach(consider);
  // A signed change (ΔVolume%) spans below 0 too; 0 stays in view as the reference.
  if (METRICS[metric].unit === '%') return min === 0 && max === 0 ? [-1, 1] : [min * 1.05, max * 1.05];
  return [0, max > 0 ? max * 1.05 : 1];
}

/** The x range, left to right: high to low for a descending sweep, so the plot reads in the sweep's order. */
export function xDomainOf(
  lines: readonly ChartLine[],
  identity: number | null,
  positiveOnly: boolean,
  descending = false,
): [number, number] {
  const xs = lines.flatMap((line) => line.points.map((p) => p.x));
  if (identity !== null) xs.push(identity);
  const usable = positiveOnly ? xs.filter((x) => x > 0) : xs;
  if (usable.length === 0) return positiveOnly ? [1, 10] : [0, 1];
  const [lo, hi] = [Math.min(...usable), Math.max(...usable)];
  return descending ? [hi, lo] : [lo, hi];
}

interface CentreOptions {
  model: number;
  group: string | null;
  spread: SpreadMode;
  view: number;
}

/**
 * The main line per class of one model's series: the single input's curve, or the centre of
 * the aggregate over the inputs in scope (mean or median, per `spread`) with the band's edges.
 */
export function centreLines(
  results: RunResults,
  series: ResultsSeries,
  metric: MetricName,
  options: CentreOptions,
): ChartLine[] {
  const { inputs, group } = scopeOf(results, series, options.model, options.group);
  if (inputs.length === 0) return [];
  const aggregates = inputs.length > 1 ? seriesAggregates(results, series) : [];
  const statistic = options.spread === 'iqr' ? 'median' : 'mean';
  return results.classes.flatMap((className, classIndex): ChartLine[] => {
    const base = { className, classIndex, view: options.view, role: 'main' as const };
    if (inputs.length === 1) {
      return [
        {
          ...base,
          key: `${options.view}:main:${inputs[0]}:${classIndex}`,
          input: inputs[0],
          points: inputPoints(series.rows, options.model, inputs[0], metric, className),
        },
      ];
    }
    const aggregate = findAggregate(aggregates, options.model, metric, className, group);
    if (!aggregate) return [];
    const shown = plottedAggregatePoints(series, options.model, inputs, aggregate.points);
    const points = bandPoints(shown, options.spread).map((p) => ({
      ...point(p.x, p.centre),
      low: p.lo,
      high: p.hi,
      n: p.n,
    }));
    return [{ ...base, key: `${options.view}:main:${statistic}:${classIndex}`, input: statistic, points }];
  });
}

/** The summaries the chart's tolerance strips and sentences come from: the pooled curve of the scope. */
function scopeSummaries(
  series: ResultsSeries,
  metric: MetricName,
  model: number,
  inputs: readonly number[],
  group: string | undefined,
): SeriesSummary[] {
  const ofModel = series.summaries.filter((s) => s.metric === metric && (s.model ?? 0) === model);
  if (inputs.length > 1) return ofModel.filter((s) => s.input === 'mean' && s.group === group);
  return ofModel.filter((s) => s.input === inputs[0]);
}

function axisLabel(series: ResultsSeries): string {
  if (series.severities) return `${series.transform} severity level`;
  return series.unit ? `${series.transform} (${series.unit})` : series.transform;
}

export function chartData(
  results: RunResults,
  seriesIndex: number,
  metric: MetricName,
  options: ChartDataOptions = {},
): ChartData {
  const series = results.series[seriesIndex];
  const info = METRICS[metric];
  const model = options.model ?? 0;
  const view = options.view ?? model;
  const spread = options.spread ?? 'sd';
  const focus = options.focusInput ?? null;
  const scope = scopeOf(results, series, model, options.group ?? null);
  const several = scope.inputs.length > 1;
  const identity = commonIdentity(series, scope.inputs);

  const lines = centreLines(results, series, metric, { model, group: options.group ?? null, spread, view });
  const bands: ChartBand[] = [];
  const boxes: ChartBoxes[] = [];
  const aggregates = several ? seriesAggregates(results, series) : [];
  const hasFocus =
    focus !== null &&
    inputsOf(series, model).includes(focus) &&
    !(scope.inputs.length === 1 && scope.inputs[0] === focus);
  results.classes.forEach((className, classIndex) => {
    const base = { className, classIndex, view };
    if (several) {
      for (const input of scope.inputs) {
        if (hasFocus && input === focus) continue;
        lines.push({
          ...base,
          key: `${view}:detail:${input}:${classIndex}`,
          input,
          role: 'detail',
          points: inputPoints(series.rows, model, input, metric, className),
        });
      }
      const aggregate = findAggregate(aggregates, model, metric, className, scope.group);
      if (aggregate) {
        const shown = plottedAggregatePoints(series, model, scope.inputs, aggregate.points);
        bands.push({ className, classIndex, points: bandPoints(shown, spread) });
        boxes.push({ className, classIndex, points: boxPoints(shown) });
      }
    }
    if (hasFocus)
      lines.push({
        ...base,
        key: `${view}:focus:${focus}:${classIndex}`,
        input: focus,
        role: 'focus',
        points: inputPoints(series.rows, model, focus, metric, className),
      });
  });

  const categorical = categoricalAxis(series);
  const scale = categorical ? 'categorical' : series.scale;
  const summaries = scopeSummaries(series, metric, model, scope.inputs, scope.group);
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
      domain: xDomainOf(lines, identity, scale === 'log', isDescendingSeries(series.values)),
      ...(categorical ? { categories: categorical } : {}),
    },
    yDomain: yDomainOf(metric, lines, bands, boxes),
    identity,
    model,
    view,
    group: scope.group ?? null,
    inputCount: scope.inputs.length,
    spread: several ? spread : null,
    lines,
    bands,
    boxes,
    tolerance: toleranceBands(summaries, results.classes),
    sentences: summaries
      .filter((s) => !isBackgroundClass(classIndexOf(s.className), results.classes.length))
      .map((s) => ({ className: s.className, classIndex: classIndexOf(s.className), text: s.sentence })),
  };
}
