/** What the export buttons write: the run as CSV/JSON (the run folder's formats) and one chart's points. */
import { resultsToCsv, resultsToJson, type RunResults } from '../../src/engine/report/results';
import type { ChartData } from './chart-data';

export { resultsToCsv as runCsv, resultsToJson as runJson };

function csvNumber(value: number | null): string {
  if (value === null) return '';
  if (Number.isNaN(value)) return 'NaN';
  return Number.isFinite(value) ? String(value) : value > 0 ? 'Inf' : '-Inf';
}

function csvText(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CHART_CSV_COLUMNS = [
  'series',
  'metric',
  'model',
  'input',
  'class',
  'value',
  'score',
  'low',
  'high',
  'n',
] as const;

/**
 * One row per plotted point of one chart. `model` names the view (model, and run when runs are
 * compared); centre lines over several inputs have input "mean" or "median" and carry the band's
 * edges (low, high) and the number of inputs with a value (n).
 */
export function chartCsv(data: ChartData, viewLabels: readonly string[]): string {
  const lines = [CHART_CSV_COLUMNS.join(',')];
  for (const line of data.lines) {
    for (const p of line.points) {
      const spread =
        p.n !== undefined ? [csvNumber(p.low ?? null), csvNumber(p.high ?? null), String(p.n)] : ['', '', ''];
      const fields = [
        csvText(data.series),
        data.metric,
        csvText(viewLabels[line.view] ?? String(line.view)),
        String(line.input),
        csvText(line.className),
        csvNumber(p.x),
        csvNumber(p.raw),
        ...spread,
      ];
      lines.push(fields.join(','));
    }
  }
  return lines.join('\n') + '\n';
}

/** A file name the extension accepts (see SAFE_FILE_NAME in src/protocol/webview.ts). */
export function exportFileName(results: RunResults, parts: readonly string[], extension: string): string {
  const stem = [results.experiment.content.name, ...parts]
    .map((part) => part.replace(/[^\w+]+/g, '-').replace(/^-+|-+$/g, ''))
    .filter((part) => part.length > 0)
    .join('-')
    .slice(0, 100);
  return `${stem || 'misas'}.${extension}`;
}
