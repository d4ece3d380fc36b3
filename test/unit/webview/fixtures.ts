/** Small hand-built runs for the data-shaping tests, and the real fixture run of the report test. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricName } from '../../../src/engine/metrics/types';
import {
  resultsFromJson,
  type ResultsInput,
  type ResultsSeries,
  type RunResults,
} from '../../../src/engine/report/results';
import { assembleSeries } from '../../../src/engine/report/assemble';
import type { SeriesSummary } from '../../../src/engine/sweep/analysis/seriesSummary';

export const FIXTURES = join(import.meta.dirname, '..', '..', 'report', 'fixtures');

/** two-inputs and one-input: results format 1 (read through the upgrade); dataset: format 2, two models, four inputs in two groups, a skipped input. */
export function realRun(name: 'two-inputs' | 'one-input' | 'dataset'): RunResults {
  return resultsFromJson(readFileSync(join(FIXTURES, name, 'results.json'), 'utf8'));
}

type Scores = Record<string, number | null>;

/** A row: metric → class → value. */
export function row(
  input: number,
  value: number,
  metrics: Partial<Record<MetricName, Scores>>,
  baseline = false,
  model = 0,
): ResultsSeries['rows'][number] {
  return { model, input, value, baseline, metrics, empty: [] };
}

export function summary(
  input: number | 'mean',
  metric: MetricName,
  className: string,
  tolerance: [number, number] | null,
  extra: Partial<SeriesSummary> = {},
): SeriesSummary {
  return {
    model: 0,
    identity: 0,
    baseline: 0.9,
    tau: 0.9,
    higherIsBetter: metric !== 'hd95',
    threshold: 0.81,
    tolerance,
    breakdown: { below: null, above: null },
    nauc: 0.8,
    skipped: [],
    input,
    metric,
    className,
    sentence: `${className} ${metric} ${String(input)}`,
    headline: true,
    ...extra,
  };
}

export function series(name: string, rows: ResultsSeries['rows'], extra: Partial<ResultsSeries> = {}): ResultsSeries {
  const count = Math.max(-1, ...rows.map((r) => r.input)) + 1;
  return {
    name,
    transform: name,
    options: {},
    unit: '°',
    scale: 'linear',
    kind: 'spatial',
    values: Array.from({ length: count }, (_, i) =>
      [...new Set(rows.filter((r) => r.input === i).map((r) => r.value))].sort((a, b) => a - b),
    ),
    identity: Array.from({ length: count }, () => 0),
    rows,
    summaries: [],
    aggregates: [],
    ...extra,
  } as ResultsSeries;
}

/**
 * A format-2 run with several models and inputs: rows made here, summaries and aggregates by the
 * engine's own assembly (as a real run gets them), baselines from the identity rows.
 */
export function assembledRun(
  seriesList: ResultsSeries[],
  options: { models: string[]; groups: Array<string | undefined>; extra?: Partial<RunResults> },
): RunResults {
  const base = run([], options.extra);
  const inputs: ResultsInput[] = options.groups.map((group, input) => ({
    input,
    entry: input,
    label: `case${input}.nii.gz`,
    imagePath: `data/case${input}.nii.gz`,
    pseudoTruth: false,
    ...(group !== undefined ? { group } : {}),
  }));
  const rows = seriesList.flatMap((s) => s.rows);
  const baselines = [
    ...new Map(
      rows
        .filter((r) => r.baseline)
        .map((r) => [`${r.model}:${r.input}`, { model: r.model, input: r.input, metrics: r.metrics, empty: r.empty }]),
    ).values(),
  ];
  const assembled = assembleSeries(
    {
      inputs,
      series: seriesList.map(({ rows: _rows, summaries: _summaries, aggregates: _aggregates, ...info }) => info),
      rowsBySeries: new Map(seriesList.map((s) => [s.name, s.rows])),
      baselines,
      problems: [],
    },
    { classes: base.classes, metrics: base.metrics, tau: base.tolerance, modelLabels: options.models },
  );
  return {
    ...base,
    models: options.models.map((label, index) => ({
      index,
      label,
      path: `models/${label}.onnx`,
      sha256: `${index}`.repeat(64),
      classNames: base.classes,
      card: {},
    })),
    ...assembled,
    ...options.extra,
  };
}

export function run(seriesList: ResultsSeries[], extra: Partial<RunResults> = {}): RunResults {
  return {
    format: 'misas-results',
    formatVersion: 2,
    status: 'completed',
    engineVersion: '0.0.0',
    experiment: {
      file: 'exp.misas.json',
      content: {
        name: 'exp',
        model: 'm.onnx',
        inputs: [],
        series: [],
      } as unknown as RunResults['experiment']['content'],
    },
    models: [
      {
        index: 0,
        label: 'm.onnx',
        path: 'models/m.onnx',
        sha256: 'abcdef0123456789'.repeat(4),
        classNames: ['background', 'lv', 'myo'],
        card: {},
      },
    ],
    inputs: [],
    baselines: [],
    problems: [],
    pseudoTruth: false,
    classes: ['background', 'lv', 'myo'],
    metrics: ['dice', 'hd95'],
    seed: 1,
    tolerance: 0.9,
    timing: { startedAt: '2025-03-04T05:06:07.000Z', finishedAt: '2025-03-04T05:06:08.000Z', durationMs: 1000 },
    series: seriesList,
    ...extra,
  };
}
