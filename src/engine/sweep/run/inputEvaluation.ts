/**
 * Evaluating sweeps on one input with one model, for the runner (runner.ts): reading the input
 * (the picked slices of one volume share one read), scoring its steps (stepScorer.ts), and a
 * round of sweeps turned into rows and progress events. The runner calls it for the series' own
 * values, each input's refinement rounds and the rounds across inputs (refineAcrossInputs.ts).
 */
import type { SegmentationModel } from '../../model';
import { runAhead } from '../../runAhead';
import type { Volume } from '../../volume';
import type { ResolvedExperiment, ResolvedSeries } from '../experiment/types';
import type { RunEvent, RunInputInfo, RunRow } from '../rows';
import { loadInput, type LoadedInput } from './loadInput';
import type { predictedBatches, RunOptions, SeriesSweep } from './runner';
import type { ScoredStep } from './score';
import { stepScorer, type StepScorer } from './stepScorer';

/** One input with one model, ready to evaluate sweeps on. */
export interface EvaluationContext {
  model: SegmentationModel;
  modelIndex: number;
  input: number;
  loaded: LoadedInput;
  truth: Volume;
  original: Volume;
  baseline: ScoredStep;
  scoreStep: StepScorer;
}

/** The runner's batching (runner.ts): an item's steps transformed, batched and predicted as they are pulled. */
type PredictedBatches = typeof predictedBatches;

export function inputEvaluation(
  run: {
    experiment: ResolvedExperiment;
    infos: readonly RunInputInfo[];
    classes: readonly string[];
    sliceAxis: number;
    signal: AbortSignal | undefined;
    onPrediction: RunOptions['onPrediction'];
    /** Steps done and expected so far, shared with the runner. */
    progress: { done: number; total: number };
    /** The severity level of a value of a severity series (undefined for other series). */
    severityOf: (series: ResolvedSeries, input: number, value: number) => number | undefined;
  },
  predictedBatches: PredictedBatches,
) {
  const { experiment, infos, classes, sliceAxis, signal, onPrediction, progress, severityOf } = run;
  // The last entry read: the picked slices of one volume are consecutive inputs.
  let lastEntry: { entry: number; inputs: Promise<LoadedInput[]> } | undefined;
  const load = async (input: number, onReadProgress?: (done: number, total: number) => void): Promise<LoadedInput> => {
    const info = infos[input];
    if (lastEntry?.entry !== info.entry) {
      const inputs = loadInput(experiment.inputs[info.entry], info.entry, sliceAxis, onReadProgress);
      lastEntry = { entry: info.entry, inputs };
    }
    const entryInputs = await lastEntry.inputs;
    return info.slice ? entryInputs.find((candidate) => candidate.slice?.index === info.slice!.index)! : entryInputs[0];
  };
  /**
   * `load`, yielding progress events while the input is read (a DICOM series says how many of
   * its files are read: a large one takes a while), then the input.
   */
  async function* loadShowingProgress(input: number, series: string): AsyncGenerator<RunEvent, LoadedInput> {
    let latest: { done: number; total: number } | undefined;
    let settled = false;
    let wake = () => {};
    const loading = load(input, (done, total) => {
      latest = { done, total };
      wake();
    });
    const finish = () => {
      settled = true;
      wake();
    };
    loading.then(finish, finish);
    while (!settled) {
      // Checked inside the executor: a report or the end that came before this wait still wakes it.
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (settled || latest) resolve();
      });
      if (latest)
        yield { type: 'progress', done: progress.done, total: progress.total, series, input, reading: latest };
      latest = undefined;
    }
    return loading;
  }
  /** Scores a step's prediction; `original` (the untransformed prediction) is the reference of dvol_baseline. */
  const scorerFor = (model: SegmentationModel, loaded: LoadedInput, original: Volume): StepScorer => {
    const perSlice =
      experiment.experiment.perSlice === true && loaded.image.dims.length === 3 && model.card.spatialDims === 2;
    return stepScorer({
      classes,
      metrics: experiment.metrics,
      original,
      perSliceAxis: perSlice ? sliceAxis : undefined,
    });
  };
  /** Evaluates one round of sweeps of an input with a model: yields its rows and progress, and keeps the rows in `scoredRows`. */
  async function* evaluateRound(
    round: readonly SeriesSweep[],
    context: EvaluationContext,
    scoredRows: Map<string, RunRow[]>,
  ): AsyncGenerator<RunEvent> {
    const { model, modelIndex, input, loaded, truth, original, baseline, scoreStep } = context;
    // A volume's predict call pipelines its own slices or windows; calls for more volumes ahead would only hold memory.
    const ahead = loaded.image.dims.length === 3 ? 0 : model.callsAhead;
    const batches = predictedBatches(round, model, loaded.image, truth, original, signal);
    for await (const { item, steps } of runAhead(batches, ahead)) {
      const series = item.series;
      for (const { step, prediction } of steps) {
        const scored = step.baseline ? baseline : scoreStep(prediction, step.truth);
        if (onPrediction) {
          await onPrediction({ series: series.name, model: modelIndex, input, value: step.value, prediction });
        }
        const severity = series.severities ? severityOf(series, input, step.value) : undefined;
        const row: RunRow = {
          series: series.name,
          model: modelIndex,
          input,
          value: step.value,
          baseline: step.baseline,
          ...(severity !== undefined ? { severity } : {}),
          ...(item.refined ? { refined: true } : {}),
          ...scored,
        };
        if (!scoredRows.has(series.name)) scoredRows.set(series.name, []);
        scoredRows.get(series.name)!.push(row);
        yield { type: 'row', row };
        progress.done++;
      }
      yield { type: 'progress', done: progress.done, total: progress.total, series: series.name, input };
    }
  }
  return { load, loadShowingProgress, scorerFor, evaluateRound };
}
