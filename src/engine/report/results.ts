/**
 * The run folder's files: results.json (everything needed to reproduce and plot a run) and
 * results.csv (one row per series × input × value × class × metric, for spreadsheets and R).
 */
import type { InputProblem } from '../dataset/types';
import type { Experiment } from '../sweep/experiment/types';
import type { InputBaseline, RunInputInfo, RunRow, RunSeriesInfo } from '../sweep/rows';
import { decodeMetricValue, encodeMetricValue } from '../metrics/json';
import type { MetricName } from '../metrics/types';
import type { BenchmarkResults } from '../sweep/analysis/benchmark';
import type { SeriesAggregate } from '../sweep/analysis/aggregate';
import type { SeriesSummary } from '../sweep/analysis/seriesSummary';
import { findBaselineChecks, failsAtBaselineText, type BaselineCheck } from '../sweep/analysis/baselineCheck';

export const RESULTS_FORMAT = 'misas-results';
export const RESULTS_FORMAT_VERSION = 2;

export interface ResultsModel {
  /** Index of the model in the experiment's models (rows, baselines and summaries refer to it). */
  index: number;
  /** Short display name (the experiment's `name` for it, else the file name). */
  label: string;
  /** Relative to the experiment's folder. */
  path: string;
  sha256: string;
  classNames: string[];
  card: unknown;
}

export interface ResultsInput extends RunInputInfo {
  /** Absent when the file could not be read (see `problem`). A DICOM series folder or glob: see sha256Input (io/inputDigest.ts). */
  imageSha256?: string;
  maskSha256?: string;
}

export type ResultsRow = Omit<RunRow, 'series'>;

export interface ResultsSeries extends RunSeriesInfo {
  /** Sorted by model, input and value in the series' order (the user's: a descending sweep stays descending; `sweepOrder.ts`). */
  rows: ResultsRow[];
  summaries: SeriesSummary[];
  /** Spread over inputs per model (and per group) at every value: mean ± SD, median, IQR. */
  aggregates: SeriesAggregate[];
  /** Transformed inputs sent to the model for the sweep's own values and for refined ones. Absent in older results. */
  modelCalls?: ModelCalls;
}

export interface ModelCalls {
  sweep: number;
  refinement: number;
}

export interface RunResults {
  format: typeof RESULTS_FORMAT;
  formatVersion: typeof RESULTS_FORMAT_VERSION;
  /** completed: every step ran; cancelled: stopped by the user, rows hold the steps that finished. */
  status: 'completed' | 'cancelled';
  engineVersion: string;
  experiment: { file: string; content: Experiment };
  models: ResultsModel[];
  /** Index = input index of rows; inputs that failed are listed with their `problem`. */
  inputs: ResultsInput[];
  /** Metrics of each model on each untransformed input: the D0 of every series' summaries. */
  baselines: InputBaseline[];
  /** Inputs skipped or run with pseudo-truth, and files that could not be read: the run went on without them. */
  problems: InputProblem[];
  /** Set on a shard's results (`misas run --shard index/count`); `misas merge` combines shards into one run. */
  shard?: { index: number; count: number };
  /**
   * Classes that fail at baseline and spatial values that beat the identity (docs/ALGORITHMS.md,
   * "Baseline sanity"); shown before everything else. Absent in files written before the check
   * existed: `resultsFromJson` derives it.
   */
  baselineChecks?: BaselineCheck[];
  /** True when some input had no ground truth: its prediction on the untransformed image was the truth. */
  pseudoTruth: boolean;
  classes: string[];
  metrics: MetricName[];
  seed: number;
  tolerance: number;
  timing: { startedAt: string; finishedAt: string; durationMs: number };
  series: ResultsSeries[];
  /** ROOD-MRI robustness and corruption error of the series given as severity levels (analysis/benchmark.ts). Absent without such series. */
  benchmark?: BenchmarkResults;
}

/**
 * JSON cannot hold Infinity (a surface distance to a missing class): non-finite numbers are
 * written with the metrics' encoding ("inf", "-inf", "nan") and read back as numbers.
 */
export function resultsToJson(results: RunResults): string {
  return (
    JSON.stringify(
      results,
      (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? encodeMetricValue(value) : value),
      2,
    ) + '\n'
  );
}

export function resultsFromJson(text: string): RunResults {
  const parsed = JSON.parse(text, (_key, value) =>
    value === 'inf' || value === '-inf' || value === 'nan' ? decodeMetricValue(value) : value,
  ) as RunResults | ResultsV1;
  return withBaselineChecks(parsed.formatVersion === 1 ? upgradeFromV1(parsed) : parsed);
}

/** Partial files (tests, tools) are read as they are; the check needs these. */
function hasWhatChecksRead(results: RunResults): boolean {
  const arrays = [results.baselines, results.inputs, results.classes, results.models, results.series] as unknown[];
  return (
    arrays.every(Array.isArray) && results.series.every((s) => Array.isArray(s.rows) && Array.isArray(s.summaries))
  );
}

/**
 * Results written before the baseline check existed get it here, so an old run whose model
 * failed at baseline says so too: the checks are derived from its baselines and rows, and the
 * summaries of a failing class lose their tolerance interval like a new run's.
 */
function withBaselineChecks(results: RunResults): RunResults {
  if (results.baselineChecks || !hasWhatChecksRead(results)) return results;
  const series = results.series.map((s) => ({ ...s, kind: s.kind ?? 'intensity' }));
  const context = {
    inputs: results.inputs,
    baselines: results.baselines,
    classes: results.classes,
    modelLabels: results.models.map((m) => m.label),
    series,
  };
  const baselineChecks = findBaselineChecks(context, series);
  const failing = (summary: SeriesSummary) =>
    baselineChecks.find(
      (c) =>
        c.kind === 'fails-at-baseline' &&
        c.model === summary.model &&
        c.className === summary.className &&
        c.input === summary.input &&
        c.group === summary.group,
    );
  const marked = results.series.map((s) => ({
    ...s,
    summaries: s.summaries.map((summary): SeriesSummary => {
      const check = failing(summary);
      if (!check) return summary;
      // The sentence starts with "class" or "class (qualifiers)"; keep that, replace the rest.
      const qualified = summary.sentence.startsWith(`${summary.className} (`);
      const subject = qualified
        ? summary.sentence.slice(0, summary.sentence.indexOf('): ', summary.className.length) + 1)
        : summary.className;
      return {
        ...summary,
        threshold: null,
        tolerance: null,
        breakdown: { below: null, above: null },
        nauc: null,
        sentence: `${subject}: ${failsAtBaselineText(check.dice)}; no tolerance computed`,
        failsAtBaseline: { dice: check.dice },
      };
    }),
  }));
  return { ...results, series: marked, baselineChecks };
}

/** results.json as engine 0.1 wrote it before datasets and several models (format version 1). */
interface ResultsV1 extends Omit<
  RunResults,
  'formatVersion' | 'models' | 'baselines' | 'problems' | 'inputs' | 'series'
> {
  formatVersion: 1;
  model: Omit<ResultsModel, 'index' | 'label'>;
  inputs: Array<Omit<ResultsInput, 'entry'> & { baseline?: { metrics: RunRow['metrics']; empty: string[] } }>;
  series: Array<
    Omit<ResultsSeries, 'rows' | 'aggregates' | 'summaries'> & {
      rows: Array<Omit<ResultsRow, 'model'>>;
      summaries: Array<Omit<SeriesSummary, 'model'>>;
    }
  >;
}

/** Older run folders stay readable: one model (index 0), baselines moved out of the inputs, no aggregates. */
function upgradeFromV1(v1: ResultsV1): RunResults {
  const { model, inputs, series, formatVersion: _version, ...rest } = v1;
  const label = model.path.split(/[\\/]/).at(-1) ?? model.path;
  return {
    ...rest,
    formatVersion: RESULTS_FORMAT_VERSION,
    models: [{ index: 0, label, ...model }],
    inputs: inputs.map(({ baseline: _baseline, ...input }) => ({ ...input, entry: input.input })),
    baselines: inputs.flatMap((input) => (input.baseline ? [{ model: 0, input: input.input, ...input.baseline }] : [])),
    problems: [],
    series: series.map((s) => ({
      ...s,
      rows: s.rows.map((row) => ({ ...row, model: 0 })),
      summaries: s.summaries.map((summary) => ({ ...summary, model: 0 })),
      aggregates: [],
    })),
  };
}

/**
 * Spreadsheets run a cell that starts with = + - @ (or tab / carriage return) as a formula, so a
 * name from an experiment or a file (series, model, input label, group, class) is prefixed with
 * ' there (OWASP's rule for CSV injection). Numbers are written by the engine as numbers and
 * stay numeric: a negative value such as -10 is never text, so it is never prefixed.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number')
    return Number.isFinite(value) ? String(value) : value > 0 ? 'Inf' : Number.isNaN(value) ? 'NaN' : '-Inf';
  const raw = String(value);
  const text = typeof value === 'string' && FORMULA_START.test(raw) ? `'${raw}` : raw;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_COLUMNS = [
  'series',
  'transform',
  'model',
  'input',
  'image',
  'group',
  'value',
  'baseline',
  'slice',
  'class',
  'metric',
  'score',
  'severity',
] as const;

/**
 * One line per series × model × input × value × metric × class; with per-slice metrics, also one
 * per slice (the `slice` column set; empty on whole-input lines). `severity` (last, so that
 * older readers' columns stay put) is the value's level in a series given as severity levels
 * (0 = unchanged), empty in swept series.
 */
export function resultsToCsv(results: RunResults): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const series of results.series) {
    for (const row of series.rows) {
      const input = results.inputs[row.input];
      const model = results.models[row.model]?.label ?? String(row.model);
      const scored: Array<[number | null, RunRow['metrics']]> = [
        [null, row.metrics],
        ...(row.slices ?? []).map((slice, index): [number, RunRow['metrics']] => [index, slice.metrics]),
      ];
      for (const [slice, metrics] of scored) {
        for (const metric of results.metrics) {
          const perClass = metrics[metric] ?? {};
          for (const className of results.classes) {
            const fields = [
              series.name,
              series.transform,
              model,
              row.input,
              input?.label ?? String(row.input),
              input?.group ?? null,
              row.value,
              row.baseline,
              slice,
              className,
              metric,
              perClass[className] ?? null,
              row.severity ?? null,
            ];
            lines.push(fields.map(csvField).join(','));
          }
        }
      }
    }
  }
  return lines.join('\n') + '\n';
}
