/** Small hand-built runs for the data-shaping tests, and the real fixture run of the report test. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricName } from '../../../src/engine/metrics/types';
import { resultsFromJson, type ResultsSeries, type RunResults } from '../../../src/engine/report/results';
import type { SeriesSummary } from '../../../src/engine/sweep/summarize';

export const FIXTURES = join(import.meta.dirname, '..', '..', 'report', 'fixtures');

export function realRun(name: 'two-inputs' | 'one-input'): RunResults {
  return resultsFromJson(readFileSync(join(FIXTURES, name, 'results.json'), 'utf8'));
}

type Scores = Record<string, number | null>;

/** A row: metric → class → value. */
export function row(input: number, value: number, metrics: Partial<Record<MetricName, Scores>>, baseline = false): ResultsSeries['rows'][number] {
  return { input, value, baseline, metrics, empty: [] };
}

export function summary(input: number | 'mean', metric: MetricName, className: string, tolerance: [number, number] | null): SeriesSummary {
  return {
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
  };
}

export function series(name: string, rows: ResultsSeries['rows'], extra: Partial<ResultsSeries> = {}): ResultsSeries {
  const inputs = [...new Set(rows.map((r) => r.input))];
  return {
    name,
    transform: name,
    options: {},
    unit: '°',
    scale: 'linear',
    kind: 'spatial',
    values: inputs.map((i) => rows.filter((r) => r.input === i).map((r) => r.value)),
    identity: inputs.map(() => 0),
    rows,
    summaries: [],
    ...extra,
  } as ResultsSeries;
}

export function run(seriesList: ResultsSeries[], extra: Partial<RunResults> = {}): RunResults {
  return {
    format: 'misas-results',
    formatVersion: 1,
    status: 'completed',
    engineVersion: '0.0.0',
    experiment: { file: 'exp.misas.json', content: { name: 'exp', model: 'm.onnx', inputs: [], series: [] } as unknown as RunResults['experiment']['content'] },
    model: { path: 'models/m.onnx', sha256: 'abcdef0123456789'.repeat(4), classNames: ['background', 'lv', 'myo'], card: {} },
    inputs: [],
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
