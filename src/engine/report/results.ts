/**
 * The run folder's files: results.json (everything needed to reproduce and plot a run) and
 * results.csv (one row per series × input × value × class × metric, for spreadsheets and R).
 */
import type { Experiment } from '../sweep/experiment';
import type { RunInputInfo, RunRow, RunSeriesInfo } from '../sweep/runner';
import { decodeMetricValue, encodeMetricValue } from '../metrics/json';
import type { MetricName } from '../metrics/types';
import type { SeriesSummary } from '../sweep/summarize';

export const RESULTS_FORMAT = 'misas-results';
export const RESULTS_FORMAT_VERSION = 1;

export interface ResultsInput extends RunInputInfo {
  imageSha256: string;
  maskSha256?: string;
  /** Metrics of the untransformed input (the baseline of every series); absent if cancelled before it. */
  baseline?: { metrics: RunRow['metrics']; empty: string[] };
}

export interface ResultsSeries extends RunSeriesInfo {
  rows: Array<Omit<RunRow, 'series'>>;
  summaries: SeriesSummary[];
}

export interface RunResults {
  format: typeof RESULTS_FORMAT;
  formatVersion: typeof RESULTS_FORMAT_VERSION;
  /** completed: every step ran; cancelled: stopped by the user, rows hold the steps that finished. */
  status: 'completed' | 'cancelled';
  engineVersion: string;
  experiment: { file: string; content: Experiment };
  model: { path: string; sha256: string; classNames: string[]; card: unknown };
  inputs: ResultsInput[];
  /** True when some input had no ground truth: its prediction on the untransformed image was the truth. */
  pseudoTruth: boolean;
  classes: string[];
  metrics: MetricName[];
  seed: number;
  tolerance: number;
  timing: { startedAt: string; finishedAt: string; durationMs: number };
  series: ResultsSeries[];
}

/**
 * JSON cannot hold Infinity (a surface distance to a missing class): non-finite numbers are
 * written with the metrics' encoding ("inf", "-inf", "nan") and read back as numbers.
 */
export function resultsToJson(results: RunResults): string {
  return JSON.stringify(results, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? encodeMetricValue(value) : value), 2) + '\n';
}

export function resultsFromJson(text: string): RunResults {
  return JSON.parse(text, (_key, value) => (value === 'inf' || value === '-inf' || value === 'nan' ? decodeMetricValue(value) : value)) as RunResults;
}

function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : value > 0 ? 'Inf' : Number.isNaN(value) ? 'NaN' : '-Inf';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_COLUMNS = ['series', 'transform', 'input', 'image', 'value', 'baseline', 'class', 'metric', 'score'] as const;

export function resultsToCsv(results: RunResults): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const series of results.series) {
    for (const row of series.rows) {
      const image = results.inputs[row.input]?.label ?? String(row.input);
      for (const metric of results.metrics) {
        const perClass = row.metrics[metric] ?? {};
        for (const className of results.classes) {
          const fields = [series.name, series.transform, row.input, image, row.value, row.baseline, className, metric, perClass[className] ?? null];
          lines.push(fields.map(csvField).join(','));
        }
      }
    }
  }
  return lines.join('\n') + '\n';
}
