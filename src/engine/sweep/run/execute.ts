/**
 * One complete run: sweeps → rows → summaries → a run folder with results.json and
 * results.csv. Used by the CLI and the engine host process alike.
 */
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import type { InputProblem } from '../../dataset/types';
import { writeNifti } from '../../io';
import type { SegmentationModel } from '../../model';
import {
  RESULTS_FORMAT,
  RESULTS_FORMAT_VERSION,
  type ResultsInput,
  type ResultsModel,
  type ResultsRow,
  type RunResults,
} from '../../report/results';
import { sha256Input } from '../../io/inputDigest';
import { outputError, sha256File } from '../../report/files';
import { claimRunFolder, PREDICTIONS_FOLDER, writeRunResults } from '../../report/runFolder';
import { resolveInside } from '../../paths';
import { checkWorkSize, type RunLimits } from '../../limits';
import { ENGINE_VERSION } from '../../version';
import { assembleSeries } from '../../report/assemble';
import type { ResolvedExperiment } from '../experiment/types';
import type { InputBaseline, RunEvent } from '../rows';
import { runSweeps } from './runner';
import { defaultRunDir, safeSegment } from './runPaths';
import type { Shard } from './workPlan';

export interface ExecuteOptions {
  /** The run folder; default `<experiment folder>/.misas/runs/<experiment name>/<timestamp>/`. */
  outDir?: string;
  seriesFilter?: readonly string[];
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** Keep every prediction as NIfTI in `<run>/predictions/` (default: the experiment's keepPredictions). */
  keepPredictions?: boolean;
  /** Run only this shard of the work (`misas merge` combines the shards' folders). */
  shard?: Shard;
  memoryBudgetBytes?: number;
  /** Refusals before any work (total steps); default DEFAULT_LIMITS. */
  limits?: Partial<RunLimits>;
  /** Write into an `outDir` that already holds files (its results are replaced). */
  overwrite?: boolean;
  now?: () => Date;
}

export interface ExecuteResult {
  runDir: string;
  results: RunResults;
}

function isAbort(thrown: unknown): boolean {
  return (
    thrown instanceof Error && (thrown.name === 'AbortError' || (thrown as { code?: string }).code === 'ABORT_ERR')
  );
}

/** The models as results.json records them: paths relative to the experiment, hashes, cards. */
export async function describeModels(
  experiment: ResolvedExperiment,
  models: readonly SegmentationModel[],
): Promise<ResultsModel[]> {
  const base = dirname(experiment.file);
  return Promise.all(
    models.map(async (model, index) => ({
      index,
      label: experiment.models[index].label,
      path: relative(base, model.path),
      sha256: await sha256File(model.path),
      classNames: [...model.classNames],
      card: model.card,
    })),
  );
}

/**
 * Runs the experiment on its models (in the experiment's order) and writes its folder. A
 * cancelled run writes results with status "cancelled" holding the steps that finished; a
 * failed run writes no results.json and throws, so a folder without one is an incomplete run.
 * Files are written atomically.
 */
/** The call's choice, else the experiment's: whether every prediction is kept as NIfTI. */
function keepsPredictions(experiment: ResolvedExperiment, options: { keepPredictions?: boolean }): boolean {
  return options.keepPredictions ?? experiment.experiment.keepPredictions ?? false;
}

export async function executeRun(
  experiment: ResolvedExperiment,
  models: readonly SegmentationModel[],
  options: ExecuteOptions = {},
): Promise<ExecuteResult> {
  checkWorkSize(experiment, models.length, {
    ...(options.seriesFilter ? { seriesFilter: options.seriesFilter } : {}),
    ...(options.shard ? { shardCount: options.shard.count } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  const now = options.now ?? (() => new Date());
  const started = now();
  const base = dirname(experiment.file);
  // The default folder lies inside the experiment's, so it is bounded like every other path
  // (a `.misas` that is a symbolic link out of the workspace is refused); an explicit one is the user's choice.
  const runDir =
    options.outDir ??
    resolveInside(experiment.root, base, defaultRunDir(experiment, started), experiment.file, 'the run folder');
  const keepPredictions = keepsPredictions(experiment, options);
  const folder = await claimRunFolder(runDir, {
    overwrite: options.overwrite ?? false,
    subfolders: keepPredictions ? [PREDICTIONS_FOLDER] : [],
  });
  let finished = false;
  try {
    const results = await runAndCollect(experiment, models, options, runDir, started, now);
    finished = true;
    return { runDir, results };
  } finally {
    // A run that failed before writing anything leaves no empty folder behind.
    await folder.release({ discard: !finished });
  }
}

async function runAndCollect(
  experiment: ResolvedExperiment,
  models: readonly SegmentationModel[],
  options: ExecuteOptions,
  runDir: string,
  started: Date,
  now: () => Date,
): Promise<RunResults> {
  const keepPredictions = keepsPredictions(experiment, options);
  const base = dirname(experiment.file);
  const predictionsDir = join(runDir, PREDICTIONS_FOLDER);
  if (keepPredictions) {
    try {
      await mkdir(predictionsDir, { recursive: true });
    } catch (thrown) {
      throw outputError(predictionsDir, 'cannot create the predictions folder', thrown);
    }
  }

  let start: Extract<RunEvent, { type: 'start' }> | undefined;
  const rowsBySeries = new Map<string, ResultsRow[]>();
  const baselines: InputBaseline[] = [];
  const problems: InputProblem[] = [];
  const processed = new Set<number>();
  let rowCount = 0;
  let cancelled = false;
  try {
    const events = runSweeps(experiment, models, {
      ...(options.seriesFilter ? { seriesFilter: options.seriesFilter } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.shard ? { shard: options.shard } : {}),
      ...(options.memoryBudgetBytes ? { memoryBudgetBytes: options.memoryBudgetBytes } : {}),
      ...(keepPredictions
        ? {
            onPrediction: async ({ series, model, input, value, prediction }) => {
              const modelPart = models.length > 1 ? `_model${model}` : '';
              const name = `${safeSegment(series)}${modelPart}_input${input}_${String(value).replace('-', 'm')}.nii.gz`;
              await writeNifti(join(predictionsDir, name), prediction);
            },
          }
        : {}),
    });
    for await (const event of events) {
      if (event.type === 'start') {
        start = event;
        problems.push(...event.problems);
      }
      if (event.type === 'baseline') {
        baselines.push(event.baseline);
        processed.add(event.baseline.input);
      }
      if (event.type === 'problem') problems.push(event.problem);
      if (event.type === 'row') {
        const { series, ...row } = event.row;
        if (!rowsBySeries.has(series)) rowsBySeries.set(series, []);
        rowsBySeries.get(series)!.push(row);
        rowCount++;
      }
      options.onEvent?.(event);
    }
  } catch (thrown) {
    if (!isAbort(thrown) || !start) throw thrown;
    cancelled = true;
  }
  if (!start) throw new Error('the run ended before it started');
  const skipped = problems.filter((problem) => problem.action === 'skipped');
  if (!cancelled && rowCount === 0 && processed.size === 0 && skipped.length > 0) {
    // Nothing was measured: "completed" with no rows would read as a success.
    throw new RunFailedError(
      `${experiment.file}: every input was skipped, nothing was measured:\n${skipped.map((p) => `  ${p.file}: ${p.problem}`).join('\n')}`,
      skipped,
    );
  }

  // Only the inputs this run read are hashed: a shard does not read the others.
  const inputs: ResultsInput[] = await Promise.all(
    start.inputs.map(async (input) => ({
      ...input,
      imagePath: relative(base, input.imagePath),
      ...(input.maskPath ? { maskPath: relative(base, input.maskPath) } : {}),
      ...(processed.has(input.input) ? { imageSha256: await sha256Input(input.imagePath) } : {}),
      ...(processed.has(input.input) && input.maskPath ? { maskSha256: await sha256Input(input.maskPath) } : {}),
    })),
  );
  const assembled = assembleSeries(
    { inputs, series: start.series, rowsBySeries, baselines, problems },
    {
      classes: start.classes,
      metrics: experiment.metrics,
      tau: experiment.tolerance,
      modelLabels: start.models.map((m) => m.label),
      referenceModel: experiment.referenceModel,
    },
  );
  const finishedAt = now();
  const results: RunResults = {
    format: RESULTS_FORMAT,
    formatVersion: RESULTS_FORMAT_VERSION,
    status: cancelled ? 'cancelled' : 'completed',
    engineVersion: ENGINE_VERSION,
    experiment: { file: basename(experiment.file), content: experiment.experiment },
    models: await describeModels(experiment, models),
    inputs: assembled.inputs,
    baselines: assembled.baselines,
    problems: assembled.problems,
    ...(options.shard ? { shard: { ...options.shard } } : {}),
    pseudoTruth: assembled.inputs.some((input) => input.pseudoTruth && !input.problem),
    classes: start.classes,
    metrics: [...experiment.metrics],
    seed: experiment.seed,
    tolerance: experiment.tolerance,
    timing: {
      startedAt: started.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - started.getTime(),
    },
    series: assembled.series,
    baselineChecks: assembled.baselineChecks,
    ...(assembled.benchmark ? { benchmark: assembled.benchmark } : {}),
  };
  await writeRunResults(runDir, results);
  return results;
}

/** A run that ended without measuring anything; `problems` says why, input by input. */
export class RunFailedError extends Error {
  override readonly name = 'RunFailedError';
  constructor(
    message: string,
    readonly problems: readonly InputProblem[],
  ) {
    super(message);
  }
}
