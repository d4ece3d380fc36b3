/**
 * The sweep runner: for every input, series and parameter value, transform the image (and for
 * spatial transforms the truth), predict, score, and stream one row per step.
 *
 * Speed rules (see docs/ARCHITECTURE.md): the untransformed input is predicted once per input
 * and serves every series' identity value; steps are stacked into batches of the model's
 * maxBatch; transforms and scoring are kept cheap (`npm run bench`).
 *
 * When the model runs in inference worker threads (src/engine/model/inference), the runner keeps
 * `model.callsAhead` batches started: it transforms the next batches and scores the last one
 * while the workers run the model (docs/PERFORMANCE.md). A model on this thread runs each batch
 * synchronously, so nothing is started ahead.
 */
import { totalmem } from 'node:os';
import { dirname, relative } from 'node:path';
import type { InputProblem } from '../../dataset/types';
import { MisasInputError } from '../../errors';
import type { SegmentationModel } from '../../model';
import { defaultValuesFor, getTransform, isSlabLocal } from '../../transforms/registry';
import { channelMinima } from '../../transforms/spatial/common';
import type { TransformSpec } from '../../transforms/types';
import type { Volume } from '../../volume';
import type { ResolvedExperiment, ResolvedSeries } from '../experiment/types';
import type { RunEvent, RunRow } from '../rows';
import {
  dropInput,
  keepForAcrossInputs,
  ownRefinementValues,
  refineAcrossInputs,
  type AcrossInputs,
} from './refineAcrossInputs';
import { withValueInOrder } from '../../report/sweepOrder';
import { severityLevelsPerInput, severityOfValue, severitySteps } from './severitySteps';
import { planInputs } from './inputPlan';
import { inputEstimator, type InputEstimate } from './memoryPlan';
import type { LoadedInput } from './loadInput';
import { classesInTruth } from './score';
import { inputEvaluation } from './inputEvaluation';
import { transformStep } from './stepTransform';
import { itemsOfShard, planWork, type Shard, type WorkItem } from './workPlan';

export interface RunOptions {
  /** Only the series with these names (all when empty or absent). */
  seriesFilter?: readonly string[];
  signal?: AbortSignal;
  /** Run only this shard of the work items. */
  shard?: Shard;
  /** Inputs that would need more memory are refused before work starts (default: half the machine's memory). */
  memoryBudgetBytes?: number;
  /** Told each input's memory estimate before it is read (for `npm run bench`, which compares it with the measured peak). */
  onMemoryEstimate?: (entry: string, estimate: InputEstimate) => void;
  /** Called for every prediction when predictions are kept. */
  onPrediction?: (info: {
    series: string;
    model: number;
    input: number;
    value: number;
    prediction: Volume;
  }) => void | Promise<void>;
}

export interface Step {
  value: number;
  baseline: boolean;
  image?: Volume;
  truth: Volume;
}

function identityOf(spec: TransformSpec, dims: readonly number[]): number {
  return spec.identityFor ? spec.identityFor(dims) : spec.identity;
}

/** The series' values for one input in the user's order, with the identity added (it is free: the untransformed prediction). */
function valuesOf(series: ResolvedSeries, spec: TransformSpec, dims: readonly number[]): number[] {
  if (series.severities) return severitySteps(series, spec, dims).values;
  const values = series.values.length > 0 ? series.values : defaultValuesFor(spec, dims, series.options);
  return spec.identityChangesInput ? [...values] : withValueInOrder(values, identityOf(spec, dims));
}

/**
 * Transformed images per model call. A volume with a 2D model already fills the model's batches
 * with its own slices, so one step at a time keeps one transformed volume (plus the next) in
 * memory instead of two batches of them.
 */
function stepsPerCall(model: SegmentationModel, dims: readonly number[]): number {
  return dims.length === 3 && model.card.spatialDims === 2 ? 1 : model.maxBatch;
}

/** The run's class names; every model must predict as many classes. */
function classesOf(experiment: ResolvedExperiment, models: readonly SegmentationModel[]): string[] {
  const classes = experiment.experiment.classes ?? models[0].classNames;
  for (const model of models) {
    if (model.classNames.length !== classes.length) {
      throw new MisasInputError(
        model.path,
        `predicts ${model.classNames.length} classes (${model.classNames.join(', ')}), but the run compares ${classes.length} (${classes.join(', ')}); models compared in one experiment must share their classes`,
      );
    }
  }
  return classes;
}

function checkSeriesFilter(experiment: ResolvedExperiment, filter: ReadonlySet<string> | undefined): void {
  const unknown = filter ? [...filter].filter((name) => !experiment.series.some((s) => s.name === name)) : [];
  if (unknown.length) {
    throw new MisasInputError(
      experiment.file,
      `no series named ${unknown.map((n) => `"${n}"`).join(', ')}; series are: ${experiment.series.map((s) => s.name).join(', ')}`,
    );
  }
}

/** One work item's sweep: the transform, its options, the input's values and the item's random seed. */
export interface ItemSweep {
  spec: TransformSpec;
  options: ResolvedSeries['options'];
  values: readonly number[];
  seed: { experiment: number; series: number; input: number };
  /** The input's channel minima (the 'min' fill), computed once per input for its spatial series. */
  imageMinima?: readonly number[];
}

/**
 * The steps of one item in batches for the model: each batch is transformed when it is pulled.
 * Batches stay inside one item, so a shard forms exactly the batches a single run forms
 * (identical floating-point results). The identity step needs no model call: it rides along
 * with a batch without taking a slot and gets the untransformed prediction.
 */
function* stepBatches(sweep: ItemSweep, image: Volume, truth: Volume, perCall: number): Generator<Step[]> {
  const identity = identityOf(sweep.spec, image.dims);
  let batch: Step[] = [];
  let toPredict = 0;
  for (const value of sweep.values) {
    if (value === identity && !sweep.spec.identityChangesInput) {
      batch.push({ value, baseline: true, truth });
      continue;
    }
    if (toPredict === perCall) {
      yield batch;
      batch = [];
      toPredict = 0;
    }
    const transformed = transformStep(sweep.spec, sweep.options, value, image, truth, sweep.seed, sweep.imageMinima);
    batch.push({ value, baseline: false, image: transformed.image, truth: transformed.label ?? truth });
    toPredict++;
  }
  if (batch.length > 0) yield batch;
}

/** One series' sweep of an input with a model; `refined` for a refinement round's values. */
export interface SeriesSweep {
  series: ResolvedSeries;
  sweep: ItemSweep;
  refined: boolean;
}

/** One batch of an item's steps with their predictions. */
export interface PredictedBatch<Item> {
  item: Item;
  steps: Array<{ step: Step; prediction: Volume }>;
}

/**
 * The batches of several items, each sent to the model as it is pulled (see runAhead): with
 * the model's calls in worker threads, the next batches are transformed and the last ones
 * scored while the model runs.
 */
export function* predictedBatches<Item extends { sweep: ItemSweep }>(
  items: readonly Item[],
  model: SegmentationModel,
  image: Volume,
  truth: Volume,
  original: Volume,
  signal: AbortSignal | undefined,
): Generator<Promise<PredictedBatch<Item>>> {
  const perCall = stepsPerCall(model, image.dims);
  for (const item of items) {
    for (const batch of stepBatches(item.sweep, image, truth, perCall)) {
      const images = batch.flatMap((step) => (step.image ? [step.image] : []));
      const predicting = images.length ? model.predict(images, signal) : Promise.resolve([]);
      yield predicting.then((predictions) => {
        let p = 0;
        return { item, steps: batch.map((step) => ({ step, prediction: step.image ? predictions[p++] : original })) };
      });
    }
  }
}

/**
 * Runs an experiment's sweeps with its loaded models (in the experiment's order); yields a
 * start event, then per input the baselines, rows and progress. Inputs are read one at a time
 * and dropped when their items are done, so memory holds one input in flight. A file that fails
 * to load becomes a `problem` event and the run goes on.
 */
export async function* runSweeps(
  experiment: ResolvedExperiment,
  models: readonly SegmentationModel[],
  options: RunOptions = {},
): AsyncGenerator<RunEvent> {
  const { signal } = options;
  // Problems name files as results name inputs: relative to the experiment's folder.
  const nameRelative = (problem: InputProblem): InputProblem => ({
    ...problem,
    file: relative(dirname(experiment.file), problem.file),
  });
  const filter = options.seriesFilter?.length ? new Set(options.seriesFilter) : undefined;
  checkSeriesFilter(experiment, filter);
  const seriesList = experiment.series.filter((s) => !filter || filter.has(s.name));
  const specs = seriesList.map((s) => getTransform(s.transform));
  const classes = classesOf(experiment, models);
  // Inputs are sliced for the first model; models compared on picked slices share the slice axis.
  const sliceAxis = models[0].card.sliceAxis ?? 2;

  const estimate = inputEstimator(models);
  const wholeVolumeTransform = specs.some((spec) => !isSlabLocal(spec));
  const planned = await planInputs(experiment, {
    sliceAxis,
    estimateBytes: async (header, entry) => {
      const bytes = await estimate(header, (model) => ({
        modelBatch: model.maxBatch,
        // A volume's steps go one at a time (runAhead of 0, below); images go a batch and the batches started ahead.
        stepsInFlight: header.dims.length === 3 ? 1 : stepsPerCall(model, header.dims) * (1 + model.callsAhead),
        wholeVolumeTransform,
        mask: entry.mask !== undefined,
      }));
      options.onMemoryEstimate?.(entry.image, bytes);
      return bytes;
    },
    memoryBudgetBytes: options.memoryBudgetBytes ?? totalmem() / 2,
  });
  const infos = planned.inputs;
  const valuesPerInput = infos.map((info) =>
    seriesList.map((s, i) => (info.dims ? valuesOf(s, specs[i], info.dims) : [])),
  );
  const severitiesPerInput = seriesList.map((s, i) => severityLevelsPerInput(s, specs[i], infos));
  const runnable = infos.filter((info) => !info.problem).map((info) => info.input);
  if (runnable.length === 0) {
    // A run without a single readable input would "complete" with nothing in it: say why instead.
    const reasons = [...experiment.problems, ...planned.problems].slice(0, 3).map((p) => `${p.file}: ${p.problem}`);
    throw new MisasInputError(
      experiment.file,
      `${infos.length === 1 ? 'the only input cannot' : `none of the ${infos.length} inputs can`} be run: ${reasons.join('; ')}`,
    );
  }
  const items = itemsOfShard(planWork(runnable, models.length, seriesList.length), options.shard);
  const stepsOf = (item: WorkItem) => valuesPerInput[item.input][item.series].length;
  // Refinement steps are not known up front: each round adds its values to the total as it starts.
  const total = items.reduce((sum, item) => sum + stepsOf(item), 0);

  yield {
    type: 'start',
    total,
    classes,
    models: experiment.models.map((m, index) => ({ index, label: m.label, path: m.path })),
    inputs: infos,
    series: seriesList.map((s, i) => ({
      name: s.name,
      transform: s.transform,
      options: s.options,
      unit: specs[i].parameter.unit,
      scale: specs[i].parameter.scale,
      kind: specs[i].kind,
      values: valuesPerInput.map((perSeries) => perSeries[i]),
      identity: infos.map((info) => (info.dims ? identityOf(specs[i], info.dims) : NaN)),
      ...(s.refine ? { refine: s.refine } : {}),
      ...(s.severities ? { severities: severitiesPerInput[i] } : {}),
    })),
    problems: [...experiment.problems, ...planned.problems].map(nameRelative),
  };

  const progress = { done: 0, total };
  // A severity series' rows carry the level of their value (levels in pixels depend on the input's size).
  const severityOf = (series: ResolvedSeries, input: number, value: number) => {
    const at = seriesList.indexOf(series);
    return severityOfValue(valuesPerInput[input][at], severitiesPerInput[at][input], value);
  };
  const { load, loadShowingProgress, scorerFor, evaluateRound } = inputEvaluation(
    { experiment, infos, classes, sliceAxis, signal, onPrediction: options.onPrediction, progress, severityOf },
    predictedBatches,
  );
  // Per model and refined series, per input: what refinement across inputs reads (see below).
  const acrossInputs: AcrossInputs = new Map();
  const acrossContext = { experiment, classes, groupOf: (input: number) => infos[input].group };

  for (const input of new Set(items.map((item) => item.input))) {
    signal?.throwIfAborted();
    const info = infos[input];
    const inputItems = items.filter((item) => item.input === input);
    let loaded: LoadedInput;
    try {
      loaded = yield* loadShowingProgress(input, seriesList[inputItems[0].series].name);
    } catch (thrown) {
      if (!(thrown instanceof MisasInputError)) throw thrown;
      yield {
        type: 'problem',
        problem: nameRelative({ file: thrown.file, problem: thrown.problem, action: 'skipped', input }),
      };
      progress.done += inputItems.reduce((sum, item) => sum + stepsOf(item), 0);
      const series = seriesList[inputItems[0].series].name;
      yield { type: 'progress', done: progress.done, total: progress.total, series, input };
      continue;
    }
    let minima: number[] | undefined;
    const imageMinima = () => (minima ??= channelMinima(loaded.image));
    for (const modelIndex of new Set(inputItems.map((item) => item.model))) {
      const model = models[modelIndex];
      const [original] = await model.predict([loaded.image], signal);
      const truth = loaded.mask ?? original;
      const scoreStep = scorerFor(model, loaded, original);
      const baseline = scoreStep(original, truth);
      const inTruth = classesInTruth(truth, classes);
      yield { type: 'baseline', baseline: { model: modelIndex, input, ...baseline, inTruth } };

      const sweeps = inputItems
        .filter((candidate) => candidate.model === modelIndex)
        .map((item): SeriesSweep => {
          const spec = specs[item.series];
          const sweep: ItemSweep = {
            spec,
            options: seriesList[item.series].options,
            values: valuesPerInput[input][item.series],
            seed: { experiment: experiment.seed, series: item.series, input: info.entry },
            imageMinima: spec.kind === 'spatial' ? imageMinima() : undefined,
          };
          return { series: seriesList[item.series], sweep, refined: false };
        });
      // What each series scored on this input with this model: the curves refinement reads.
      const scoredRows = new Map<string, RunRow[]>();
      const step = { model, modelIndex, input, loaded, truth, original, baseline, scoreStep };
      let round = sweeps;
      for (;;) {
        for await (const event of evaluateRound(round, step, scoredRows)) yield event;
        // Adaptive refinement: the midpoints of brackets where a class crosses the threshold, until none is left.
        round = sweeps.flatMap((sweep): SeriesSweep[] => {
          const state = { sweep, baseline, inTruth, identity: identityOf(sweep.sweep.spec, loaded.image.dims) };
          const values = ownRefinementValues(state, scoredRows.get(sweep.series.name) ?? [], acrossContext);
          return values.length ? [{ ...sweep, sweep: { ...sweep.sweep, values }, refined: true }] : [];
        });
        if (round.length === 0) break;
        progress.total += round.reduce((sum, sweep) => sum + sweep.sweep.values.length, 0);
      }
      keepForAcrossInputs(
        acrossInputs,
        modelIndex,
        input,
        sweeps.map((sweep) => ({
          sweep,
          rows: scoredRows.get(sweep.series.name),
          baseline,
          inTruth,
          identity: identityOf(sweep.sweep.spec, loaded.image.dims),
        })),
      );
    }
  }

  // Refinement across inputs (refineAcrossInputs.ts): every refined value on every input of the
  // series, and the mean curves' own breaking points. Inputs are read again, one at a time.
  yield* refineAcrossInputs(acrossInputs, {
    ...acrossContext,
    addToTotal: (steps) => (progress.total += steps),
    evaluate: async function* (input, rounds) {
      signal?.throwIfAborted();
      let loaded: LoadedInput;
      try {
        loaded = await load(input);
      } catch (thrown) {
        if (!(thrown instanceof MisasInputError)) throw thrown;
        yield {
          type: 'problem',
          problem: nameRelative({ file: thrown.file, problem: thrown.problem, action: 'skipped', input }),
        };
        dropInput(acrossInputs, input);
        return;
      }
      for (const [modelIndex, round] of rounds) {
        const model = models[modelIndex];
        // The untransformed prediction again: the truth of a pseudo-truth input (memory holds one input at a time).
        const [original] = await model.predict([loaded.image], signal);
        const stateOf = (sweep: SeriesSweep) => acrossInputs.get(`${modelIndex}/${sweep.series.name}`)!.get(input)!;
        const scoredRows = new Map(round.map((sweep) => [sweep.series.name, stateOf(sweep).rows]));
        const truth = loaded.mask ?? original;
        const scoreStep = scorerFor(model, loaded, original);
        const step = {
          model,
          modelIndex,
          input,
          loaded,
          truth,
          original,
          baseline: stateOf(round[0]).baseline,
          scoreStep,
        };
        yield* evaluateRound(round, step, scoredRows);
      }
    },
  });
}
