/**
 * Compare: several curves of the same experiment on one chart — the models of a run with
 * several models, and other runs of the experiment (another model, another date). Each run is
 * split into one view per model; every view keeps the class colours and gets its own dash
 * pattern, and only the view in focus draws its band, per-input lines and boxes: the others add
 * their centre line (mean or median, or the single input), to keep the chart readable.
 */
import type { MetricName } from '../../src/engine/metrics/types';
import type { ResultsModel, RunResults } from '../../src/engine/report/results';
import { centreLines, xDomainOf, yDomainOf, type ChartData } from './chart-data';
import type { SpreadMode } from './spread';

/** SVG stroke-dasharray per view index: solid for the first, then distinct patterns. */
export const RUN_DASHES: readonly string[] = ['', '7 4', '2 3', '10 3 2 3', '4 2 4 6 1 6'];

export function dashFor(view: number): string {
  return RUN_DASHES[view % RUN_DASHES.length];
}

function shortDate(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

/** A model as the legends name it: its label and short hash. */
export function modelLabel(model: Pick<ResultsModel, 'label' | 'sha256'>): string {
  return `${model.label} · ${model.sha256.slice(0, 8)}`;
}

/** How a run is named in legends: its models (label, short hash), start time. */
export function runLabel(results: RunResults): string {
  return `${results.models.map(modelLabel).join(' + ')} · ${shortDate(results.timing.startedAt)}`;
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
      selection.skipped.push({
        label: runLabel(other),
        reason: `experiment "${other.experiment.content.name}" is not "${name}"`,
      });
    } else {
      selection.runs.push(other);
    }
  }
  return selection;
}

/** One model of one run: a set of curves with its own line style. */
export interface ModelView {
  /** 0 for the run shown, 1… for compared runs. */
  run: number;
  results: RunResults;
  /** Index into `results.models`. */
  model: number;
  /** Full name for the legend. */
  label: string;
  /** Short name for tooltips and exported captions. */
  short: string;
}

/**
 * The views of the run shown (its models in order) followed by those of the compared runs.
 * The index of a view in this list is its line style (dashFor).
 */
export function modelViews(primary: RunResults, compared: readonly RunResults[] = []): ModelView[] {
  const runs = [primary, ...compared];
  const several = runs.length > 1;
  return runs.flatMap((results, run) =>
    results.models.map((model, index) => {
      const date = several ? ` · ${shortDate(results.timing.startedAt)}` : '';
      const prefix = several ? `run ${run + 1}: ` : '';
      const short = several
        ? results.models.length > 1
          ? `run ${run + 1} · ${model.label}`
          : `run ${run + 1}`
        : model.label;
      return {
        run,
        results,
        model: index,
        label: `${prefix}${modelLabel(model)}${date}${results.pseudoTruth ? ' (pseudo-truth)' : ''}`,
        short,
      };
    }),
  );
}

/**
 * `data` (the chart of the view in focus, `data.view`) with the centre lines of the same series
 * in every other view added. Other runs' series are matched by name and transform, classes by
 * name; a view without the series, the metric or the group adds its all-inputs curve or nothing.
 */
export function mergeCompare(
  data: ChartData,
  classes: readonly string[],
  views: readonly ModelView[],
  metric: MetricName,
  options: { group?: string | null; spread?: SpreadMode } = {},
): ChartData {
  const added = views.flatMap((view, index) => {
    if (index === data.view) return [];
    const series = view.results.series.find((s) => s.name === data.series && s.transform === data.transform);
    if (!series || !view.results.metrics.includes(metric)) return [];
    return centreLines(view.results, series, metric, {
      model: view.model,
      group: options.group ?? null,
      spread: options.spread ?? 'sd',
      view: index,
    })
      .filter((line) => classes.includes(line.className))
      .map((line) => ({ ...line, classIndex: classes.indexOf(line.className) }));
  });
  if (added.length === 0) return data;
  const lines = [...data.lines, ...added];
  return {
    ...data,
    lines,
    x: {
      ...data.x,
      domain: xDomainOf(lines, data.identity, data.x.scale === 'log', data.x.domain[0] > data.x.domain[1]),
    },
    yDomain: yDomainOf(metric, lines, data.bands, data.boxes),
  };
}
