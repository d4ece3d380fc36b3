/**
 * The sweep runner: for every input, series and parameter value, transform the image (and for
 * spatial transforms the truth), predict, score, and stream one row per step.
 *
 * Speed rules (see docs/ARCHITECTURE.md): the untransformed input is predicted once per input
 * and serves every series' identity value; steps are stacked into batches of the model's
 * maxBatch; transforms and scoring are kept cheap (`npm run bench`).
 *
 * onnxruntime-node runs a batch synchronously on this thread (inside a setImmediate), so the
 * next batch is transformed before or after the model's run, never during it. Transforming it
 * meanwhile in a worker thread was tried (one shared worker_threads worker, one batch ahead,
 * identical rows) and measured on the 2-core machine with the example rotate sweep (medians of
 * 12 alternating runs): onnxruntime at 2 threads 1.97 s with the worker against 2.01 s without
 * (within the noise); at 1 thread 2.52 s against 2.62 s, still slower than 2 threads without
 * it. Transforms are ~10% of a step and the worker takes its core from onnxruntime: not kept.
 */
import { MisasInputError } from '../errors';
import type { MetricName } from '../metrics/types';
import type { SegmentationModel } from '../model';
import { defaultValuesFor, getTransform } from '../transforms/registry';
import { rememberFillValues } from '../transforms/spatial/common';
import type { TransformSpec } from '../transforms/types';
import type { Volume } from '../volume';
import type { ResolvedExperiment, ResolvedSeries } from './experiment';
import { loadInput, type LoadedInput } from './inputs';
import { scoreAgainstTruth } from './score';
import { transformStep } from './stepTransform';

export interface RunRow {
  series: string;
  /** Index into the run's loaded inputs (see the `input` events). */
  input: number;
  value: number;
  /** This row is the identity value, i.e. the untransformed input: its metric is the baseline. */
  baseline: boolean;
  /** metric → class name → value; null where undefined (e.g. precision with nothing predicted). */
  metrics: Partial<Record<MetricName, Record<string, number | null>>>;
  /** Classes absent from both prediction and truth (Dice/IoU = 1 by convention). */
  empty: string[];
}

export interface RunInputInfo {
  input: number;
  label: string;
  imagePath: string;
  maskPath?: string;
  slice?: { axis: number; index: number };
  dims: number[];
  spacing: number[];
  pseudoTruth: boolean;
}

export interface RunSeriesInfo {
  name: string;
  transform: string;
  options: ResolvedSeries['options'];
  unit: string;
  scale: 'linear' | 'log';
  kind: TransformSpec['kind'];
  /** Sweep values per input (they differ only where a default depends on the input size). */
  values: number[][];
  identity: number[];
}

/** Metrics of the untransformed input: the baseline D0 of every series' summaries. */
export interface InputBaseline {
  input: number;
  metrics: RunRow['metrics'];
  empty: string[];
}

export type RunEvent =
  | { type: 'start'; total: number; classes: string[]; inputs: RunInputInfo[]; series: RunSeriesInfo[] }
  | { type: 'baseline'; baseline: InputBaseline }
  | { type: 'row'; row: RunRow }
  | { type: 'progress'; done: number; total: number; series: string; input: number };

export interface RunOptions {
  /** Only the series with these names (all when empty or absent). */
  seriesFilter?: readonly string[];
  signal?: AbortSignal;
  /** Called for every prediction when predictions are kept. */
  onPrediction?: (info: { series: string; input: number; value: number; prediction: Volume }) => void | Promise<void>;
}

interface Step {
  seriesIndex: number;
  series: ResolvedSeries;
  value: number;
  baseline: boolean;
  image?: Volume;
  truth: Volume;
}

function identityOf(spec: TransformSpec, dims: readonly number[]): number {
  return spec.identityFor ? spec.identityFor(dims) : spec.identity;
}

/** The series' values for one input, with the identity added (it is free: the untransformed prediction). */
function valuesOf(series: ResolvedSeries, spec: TransformSpec, dims: readonly number[]): number[] {
  const values = series.values.length > 0 ? series.values : defaultValuesFor(spec, dims);
  const identity = identityOf(spec, dims);
  const all = values.includes(identity) || spec.identityChangesInput ? [...values] : [...values, identity];
  return all.sort((a, b) => a - b);
}

/** Runs an experiment's sweeps with a loaded model; yields a start event, rows and progress. */
export async function* runSweeps(
  experiment: ResolvedExperiment,
  model: SegmentationModel,
  options: RunOptions = {},
): AsyncGenerator<RunEvent> {
  const { signal } = options;
  const filter = options.seriesFilter?.length ? new Set(options.seriesFilter) : undefined;
  if (filter) {
    const unknown = [...filter].filter((name) => !experiment.series.some((s) => s.name === name));
    if (unknown.length) {
      throw new MisasInputError(experiment.file, `no series named ${unknown.map((n) => `"${n}"`).join(', ')}; series are: ${experiment.series.map((s) => s.name).join(', ')}`);
    }
  }
  const seriesList = experiment.series.filter((s) => !filter || filter.has(s.name));
  const specs = seriesList.map((s) => getTransform(s.transform));
  const classes = experiment.experiment.classes ?? model.classNames;

  const loaded: LoadedInput[] = [];
  for (const [index, entry] of experiment.inputs.entries()) {
    signal?.throwIfAborted();
    loaded.push(...(await loadInput(entry, index, model.card.sliceAxis ?? 2)));
  }
  // The loaded inputs are the runner's own and never written: their fill values are computed once.
  for (const input of loaded) rememberFillValues(input.image);
  const valuesPerInput = loaded.map((input) => seriesList.map((s, i) => valuesOf(s, specs[i], input.image.dims)));
  const total = valuesPerInput.reduce((sum, perSeries) => sum + perSeries.reduce((n, values) => n + values.length, 0), 0);

  yield {
    type: 'start',
    total,
    classes,
    inputs: loaded.map((input, i) => ({
      input: i,
      label: input.label,
      imagePath: input.imagePath,
      ...(input.maskPath ? { maskPath: input.maskPath } : {}),
      ...(input.slice ? { slice: input.slice } : {}),
      dims: input.image.dims,
      spacing: input.image.spacing,
      pseudoTruth: !input.mask,
    })),
    series: seriesList.map((s, i) => ({
      name: s.name,
      transform: s.transform,
      options: s.options,
      unit: specs[i].parameter.unit,
      scale: specs[i].parameter.scale,
      kind: specs[i].kind,
      values: valuesPerInput.map((perSeries) => perSeries[i]),
      identity: loaded.map((input) => identityOf(specs[i], input.image.dims)),
    })),
  };

  let done = 0;
  for (const [inputIndex, input] of loaded.entries()) {
    signal?.throwIfAborted();
    const [original] = await model.predict([input.image], signal);
    const truth = input.mask ?? original;
    const score = (prediction: Volume, stepTruth: Volume) => scoreAgainstTruth(prediction, stepTruth, classes, experiment.metrics);
    yield { type: 'baseline', baseline: { input: inputIndex, ...score(original, truth) } };

    // Prepares steps lazily, batch by batch: the next batch is transformed right after this one
    // went to the model (whose run starts in a later turn of the event loop).
    function* steps(): Generator<Step> {
      for (const [seriesIndex, series] of seriesList.entries()) {
        const spec = specs[seriesIndex];
        const identity = identityOf(spec, input.image.dims);
        for (const value of valuesPerInput[inputIndex][seriesIndex]) {
          if (value === identity && !spec.identityChangesInput) {
            yield { seriesIndex, series, value, baseline: true, truth };
            continue;
          }
          const seed = { experiment: experiment.seed, series: seriesIndex, input: input.index };
          const transformed = transformStep(spec, series.options, value, input.image, truth, seed);
          yield { seriesIndex, series, value, baseline: false, image: transformed.image, truth: transformed.label ?? truth };
        }
      }
    }

    const pending = steps();
    const takeBatch = (): Step[] => {
      const batch: Step[] = [];
      // Baseline steps need no model call; they ride along with the batch without taking a slot.
      while (batch.filter((s) => s.image).length < model.maxBatch) {
        const next = pending.next();
        if (next.done) break;
        batch.push(next.value);
      }
      return batch;
    };

    let batch = takeBatch();
    while (batch.length > 0) {
      const toPredict = batch.filter((s) => s.image);
      const predicting = toPredict.length ? model.predict(toPredict.map((s) => s.image!), signal) : Promise.resolve([]);
      // Swallow a rejection until awaited below, so it is not reported as unhandled meanwhile.
      predicting.catch(() => undefined);
      const nextBatch = takeBatch();
      const predictions = await predicting;
      let p = 0;
      for (const step of batch) {
        const prediction = step.image ? predictions[p++] : original;
        const { metrics, empty } = score(prediction, step.truth);
        if (options.onPrediction) {
          await options.onPrediction({ series: step.series.name, input: inputIndex, value: step.value, prediction });
        }
        yield { type: 'row', row: { series: step.series.name, input: inputIndex, value: step.value, baseline: step.baseline, metrics, empty } };
        done++;
      }
      yield { type: 'progress', done, total, series: batch.at(-1)!.series.name, input: inputIndex };
      batch = nextBatch;
    }
  }
}
