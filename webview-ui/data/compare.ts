/**
 * Compare: curves of other runs of the same experiment (another model, another date) on the
 * axes of the run being shown. Each run keeps the class colours and gets its own dash pattern;
 * only their main lines (mean or single input) are added, to keep the chart readable.
 */
import type { MetricName } from '../../src/engine/metrics/types';
import type { RunResults } from '../../src/engine/report/results';
import { seriesLines, xDomainOf, yDomainOf, type ChartData } from './chart-data';

/** SVG stroke-dasharray per run index: solid for the run shown, then distinct patterns. */
export const RUN_DASHES: readonly string[] = ['', '7 4', '2 3', '10 3 2 3', '4 2 4 6 1 6'];

export function dashFor(run: number): string {
  return RUN_DASHES[run % RUN_DASHES.length];
}

function shortDate(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

/** How a run is named in legends: model file, short hash, start time. */
export function runLabel(results: RunResults): string {
  const model = results.model.path.split(/[\\/]/).at(-1) ?? results.model.path;
  return `${model} · ${results.model.sha256.slice(0, 8)} · ${shortDate(results.timing.startedAt)}`;
}

export interface CompareSelection {
  runs: RunResults[];
  skipped: Array<{ label: string; reason: string }>;
}

/** Keeps the runs of the same experiment (by name) as `primary`; says why the others were left out. */
export function compatibleRuns(primary: RunResults, others: readonly RunResults[]): CompareSelection {
  const name = primary.experiment.content.name;
  const selection: CompareSelection = { runs: [], skipped: [] };
  for (const other of others) {
    if (other.experiment.content.name !== name) {
      selection.skipped.push({ label: runLabel(other), reason: `experiment "${other.experiment.content.name}" is not "${name}"` });
    } else {
      selection.runs.push(other);
    }
  }
  return selection;
}

/**
 * `data` (run 0's chart) with the main lines of the same series in `others` added as runs 1….
 * Classes are matched by name; a run without the series or the metric adds nothing.
 */
export function mergeCompare(data: ChartData, classes: readonly string[], others: readonly RunResults[], metric: MetricName): ChartData {
  const added = others.flatMap((other, i) => {
    const series = other.series.find((s) => s.name === data.series && s.transform === data.transform);
    if (!series || !other.metrics.includes(metric)) return [];
    return seriesLines(other, series, metric, i + 1)
      .filter((line) => line.role === 'main' && classes.includes(line.className))
      .map((line) => ({ ...line, classIndex: classes.indexOf(line.className) }));
  });
  if (added.length === 0) return data;
  const lines = [...data.lines, ...added];
  return {
    ...data,
    lines,
    x: { ...data.x, domain: xDomainOf(lines, data.identity, data.x.scale === 'log') },
    yDomain: yDomainOf(metric, lines),
  };
}
