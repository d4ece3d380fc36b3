/**
 * One complete run: sweeps → rows → summaries → a run folder with results.json and
 * results.csv. Used by the CLI and the engine host process alike.
 */
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { writeNifti } from '../io';
import type { SegmentationModel } from '../model';
import { RESULTS_FORMAT, RESULTS_FORMAT_VERSION, resultsToCsv, resultsToJson, type ResultsSeries, type RunResults } from '../report/results';
import { sha256File, writeFileAtomic } from '../report/files';
import { ENGINE_VERSION } from '../version';
import type { ResolvedExperiment } from './experiment';
import { runSweeps, type InputBaseline, type RunEvent, type RunInputInfo } from './runner';
import { defaultRunDir, safeSegment } from './runPaths';
import { summarizeSeries } from './summarize';

export interface ExecuteOptions {
  /** The run folder; default `<experiment folder>/.misas/runs/<experiment name>/<timestamp>/`. */
  outDir?: string;
  seriesFilter?: readonly string[];
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** Keep every prediction as NIfTI in `<run>/predictions/` (default: the experiment's keepPredictions). */
  keepPredictions?: boolean;
  now?: () => Date;
}

export interface ExecuteResult {
  runDir: string;
  results: RunResults;
}

function isAbort(thrown: unknown): boolean {
  return thrown instanceof Error && (thrown.name === 'AbortError' || (thrown as { code?: string }).code === 'ABORT_ERR');
}

/**
 * Runs the experiment and writes its folder. A cancelled run writes results with status
 * "cancelled" holding the steps that finished; a failed run writes no results.json and throws,
 * so a folder without one is an incomplete run. Files are written atomically.
 */
export async function executeRun(experiment: ResolvedExperiment, model: SegmentationModel, options: ExecuteOptions = {}): Promise<ExecuteResult> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const runDir = options.outDir ?? defaultRunDir(experiment, started);
  await mkdir(runDir, { recursive: true });
  const keepPredictions = options.keepPredictions ?? experiment.experiment.keepPredictions ?? false;
  const base = dirname(experiment.file);

  let start: Extract<RunEvent, { type: 'start' }> | undefined;
  const rowsBySeries = new Map<string, ResultsSeries['rows']>();
  const baselines = new Map<number, InputBaseline>();
  let cancelled = false;
  try {
    const events = runSweeps(experiment, model, {
      ...(options.seriesFilter ? { seriesFilter: options.seriesFilter } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(keepPredictions
        ? {
            onPrediction: async ({ series, input, value, prediction }) => {
              const name = `${safeSegment(series)}_input${input}_${String(value).replace('-', 'm')}.nii.gz`;
              await writeNifti(join(runDir, 'predictions', name), prediction);
            },
          }
        : {}),
    });
    for await (const event of events) {
      if (event.type === 'start') start = event;
      if (event.type === 'baseline') baselines.set(event.baseline.input, event.baseline);
      if (event.type === 'row') {
        const { series, ...row } = event.row;
        if (!rowsBySeries.has(series)) rowsBySeries.set(series, []);
        rowsBySeries.get(series)!.push(row);
      }
      options.onEvent?.(event);
    }
  } catch (thrown) {
    if (!isAbort(thrown) || !start) throw thrown;
    cancelled = true;
  }
  if (!start) throw new Error('the run ended before it started');

  const inputs = await Promise.all(
    start.inputs.map(async (input: RunInputInfo) => ({
      ...input,
      ...(baselines.has(input.input) ? { baseline: { metrics: baselines.get(input.input)!.metrics, empty: baselines.get(input.input)!.empty } } : {}),
      imagePath: relative(base, input.imagePath),
      ...(input.maskPath ? { maskPath: relative(base, input.maskPath) } : {}),
      imageSha256: await sha256File(input.imagePath),
      ...(input.maskPath ? { maskSha256: await sha256File(input.maskPath) } : {}),
    })),
  );
  const series: ResultsSeries[] = start.series.map((info) => {
    const rows = (rowsBySeries.get(info.name) ?? []).sort((a, b) => a.input - b.input || a.value - b.value);
    return { ...info, rows, summaries: summarizeSeries(info, rows, [...baselines.values()], start!.classes, experiment.metrics, experiment.tolerance) };
  });
  const finished = now();
  const results: RunResults = {
    format: RESULTS_FORMAT,
    formatVersion: RESULTS_FORMAT_VERSION,
    status: cancelled ? 'cancelled' : 'completed',
    engineVersion: ENGINE_VERSION,
    experiment: { file: basename(experiment.file), content: experiment.experiment },
    model: { path: relative(base, model.path), sha256: await sha256File(model.path), classNames: [...model.classNames], card: model.card },
    inputs,
    pseudoTruth: inputs.some((input) => input.pseudoTruth),
    classes: start.classes,
    metrics: [...experiment.metrics],
    seed: experiment.seed,
    tolerance: experiment.tolerance,
    timing: { startedAt: started.toISOString(), finishedAt: finished.toISOString(), durationMs: finished.getTime() - started.getTime() },
    series,
  };
  // CSV first: results.json is what marks a run folder as finished.
  await writeFileAtomic(join(runDir, 'results.csv'), resultsToCsv(results));
  await writeFileAtomic(join(runDir, 'results.json'), resultsToJson(results));
  return { runDir, results };
}
