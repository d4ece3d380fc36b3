/**
 * Running fit-check trials: every (orientation, normalisation) trial of one input goes through
 * one onnxruntime session in shared batches; each sample is read in every output reading, its
 * labels mapped back onto the input's grid and scored.
 */
import * as ort from 'onnxruntime-node';
import { MisasInputError } from '../../errors';
import { computeMetrics } from '../../metrics';
import { voxelCount, type Volume } from '../../volume';
import { isChannelsLast, type ModelCard } from '../cardTypes';
import { channelAxis, labelSpatialAxes, spatialAxes } from '../axes';
import { sameDims } from '../geometry';
import {
  firstNonFinite,
  labelsInStoredOrientation,
  labelsOnGrid,
  newLabelArray,
  sampleScores,
  type LabelArray,
} from '../postprocess';
import {
  batchTensorDims,
  insertSlice,
  itemInput,
  packInto,
  planItems,
  prepareImage,
  type PreparedImage,
  type WorkItem,
} from '../preprocess';
import type { FitOutput, FitTrial } from './candidates';
import { newTally, tallySample, type ConfidenceTally } from './labelFree';

export interface FitSession {
  session: ort.InferenceSession;
  path: string;
  inputName: string;
  fixedBatch?: number;
  inputIsDouble: boolean;
  maxBatch: number;
}

export interface FitImage {
  image: Volume;
  mask?: Volume;
}

/** What one trial read one way gave on one input. */
export interface TrialOutcome {
  trial: number;
  output: number;
  /** Dice per class (index = label) against the mask, or undefined without one. */
  dice?: number[];
  tally: ConfidenceTally;
}

/** The card a trial and output reading make of the base card. */
export function trialCard(base: ModelCard, trial: FitTrial, output: FitOutput): ModelCard {
  const kind = output.kind;
  return {
    ...base,
    orientation: trial.orientation,
    normalization: {
      ...trial.normalization,
      statistics: trial.normalization.statistics ?? base.normalization.statistics,
    },
    output: {
      ...base.output,
      kind,
      ...(kind === 'sigmoid'
        ? { threshold: base.output.threshold ?? 0.5, sigmoidApplied: output.sigmoidApplied ?? false }
        : {}),
    },
  };
}

interface Job {
  trial: number;
  /** The work item as the trial's card plans it (its orientation decides orientedDims and modelDims). */
  item: WorkItem;
}

/**
 * Runs `trials` on one input and scores every output reading. Batches mix trials; a trial's
 * labels are scored and dropped as soon as its last work item is done.
 */
export async function runTrials(
  fit: FitSession,
  base: ModelCard,
  trials: readonly number[],
  allTrials: readonly FitTrial[],
  outputs: readonly FitOutput[],
  input: FitImage,
  onBatch: () => void,
  signal?: AbortSignal,
): Promise<TrialOutcome[]> {
  if (base.geometry.policy === 'sliding-window') {
    throw new MisasInputError(
      fit.path,
      'the fit check does not support sliding-window models yet; state the conventions in the model card',
    );
  }
  const volume = input.image;
  const classCount = base.classes.length;
  const cards = new Map<number, ModelCard[]>();
  const cardsOf = (trial: number) => {
    let list = cards.get(trial);
    if (!list) cards.set(trial, (list = outputs.map((output) => trialCard(base, allTrials[trial], output))));
    return list;
  };
  const jobs: Job[] = trials.flatMap((trial) =>
    planItems([volume], cardsOf(trial)[0], fit.path).map((item) => ({ trial, item })),
  );
  const itemsPerTrial = jobs.length / Math.max(1, trials.length);
  // Normalised images by normalisation: orientations of one normalisation share one.
  const prepared = new Map<string, PreparedImage>();
  const preparedFor = (trial: number) => {
    const key = JSON.stringify(allTrials[trial].normalization);
    let value = prepared.get(key);
    if (!value) prepared.set(key, (value = prepareImage(volume, cardsOf(trial)[0])));
    return value;
  };
  const pending = new Map<number, { left: number; labels: (LabelArray | undefined)[]; tallies: ConfidenceTally[] }>();
  for (const trial of trials)
    pending.set(trial, {
      left: itemsPerTrial,
      labels: outputs.map(() => undefined),
      tallies: outputs.map(() => newTally(classCount)),
    });
  const outcomes: TrialOutcome[] = [];

  for (let start = 0; start < jobs.length;) {
    signal?.throwIfAborted();
    // A batch holds jobs of one model grid, at most maxBatch of them, in order.
    const key = jobs[start].item.modelDims.join('x');
    let end = start + 1;
    while (end < jobs.length && end - start < fit.maxBatch && jobs[end].item.modelDims.join('x') === key) end++;
    const batch = jobs.slice(start, end);
    start = end;
    const inputs = batch.map((job) => itemInput(job.item, preparedFor(job.trial), cardsOf(job.trial)[0], volume.dims));
    const output = await runBatch(fit, base, inputs, batch[0].item.modelDims);
    onBatch();
    batch.forEach((job, index) => {
      const state = pending.get(job.trial)!;
      const { item } = job;
      const sample = readSample(fit, base, output, index, item.modelDims);
      const modelVoxels = voxelCount(item.modelDims);
      cardsOf(job.trial).forEach((card, o) => {
        tallySample(state.tallies[o], sample.scores, sample.planes, modelVoxels, outputs[o], card.output.threshold);
        const plane = labelsInStoredOrientation(
          labelsOnGrid(sample, card, item.modelDims, item.orientedDims),
          card,
          item.gridDims,
        );
        if (item.slice === undefined) state.labels[o] = plane;
        else
          insertSlice(
            (state.labels[o] ??= newLabelArray(classCount, voxelCount(volume.dims))),
            volume.dims,
            base.sliceAxis ?? 2,
            item.slice,
            plane,
          );
      });
      if (--state.left > 0) return;
      pending.delete(job.trial);
      state.labels.forEach((labels, o) => {
        const dice = input.mask ? diceOf(labels!, volume, input.mask, classCount) : undefined;
        outcomes.push({ trial: job.trial, output: o, tally: state.tallies[o], ...(dice ? { dice } : {}) });
      });
    });
  }
  return outcomes;
}

function diceOf(labels: LabelArray, image: Volume, mask: Volume, classCount: number): number[] {
  const prediction: Volume = {
    data: labels,
    dims: [...image.dims],
    spacing: [...image.spacing],
    affine: image.affine,
    channels: 1,
  };
  const result = computeMetrics(prediction, mask, { classes: classCount, metrics: ['dice'] });
  return Array.from({ length: classCount }, (_, c) => (result.values.dice?.[c] as number | null) ?? 0);
}

async function runBatch(
  fit: FitSession,
  card: ModelCard,
  inputs: Float32Array[],
  modelDims: readonly number[],
): Promise<ort.Tensor> {
  const size = fit.fixedBatch ?? inputs.length;
  const perItem = voxelCount(modelDims) * card.channels;
  const data = fit.inputIsDouble ? new Float64Array(size * perItem) : new Float32Array(size * perItem);
  inputs.forEach((input, index) => packInto(data, index, input, card.channels, isChannelsLast(card.layout)));
  const feed = new ort.Tensor(fit.inputIsDouble ? 'float64' : 'float32', data, batchTensorDims(card, size, modelDims));
  try {
    const results = await fit.session.run({ [fit.inputName]: feed }, [card.output.name]);
    return results[card.output.name] as ort.Tensor;
  } catch (thrown) {
    throw new MisasInputError(
      fit.path,
      `onnxruntime failed on an input of shape [${feed.dims.join(', ')}]: ${(thrown as Error).message ?? String(thrown)}`,
      { cause: thrown },
    );
  }
}

/** One sample's planar scores, checked for shape and finiteness like a run checks them. */
function readSample(fit: FitSession, card: ModelCard, output: ort.Tensor, index: number, modelDims: readonly number[]) {
  const dims = output.dims;
  const labelMap = dims.length === card.spatialDims + 1;
  const spatial = (labelMap ? labelSpatialAxes(dims.length) : spatialAxes(card.output.layout)).map(
    (axis) => dims[axis],
  );
  if (!sameDims(spatial, modelDims)) {
    throw new MisasInputError(
      fit.path,
      `returned output "${card.output.name}" of shape [${dims.join(', ')}] for an input of spatial size [${modelDims.join(', ')}]; misas needs one label per input pixel`,
    );
  }
  if (typeof output.data === 'string' || output.type === 'float16' || output.type === 'bool') {
    throw new MisasInputError(fit.path, `returned output of type ${output.type}, which misas cannot read`);
  }
  const planes = labelMap ? 1 : dims[channelAxis(card.output.layout)];
  const sample = sampleScores(
    output.data as ArrayLike<number | bigint>,
    index,
    voxelCount(modelDims),
    planes,
    !labelMap && isChannelsLast(card.output.layout),
  );
  const bad = firstNonFinite(sample.scores);
  if (bad >= 0)
    throw new MisasInputError(fit.path, `returned ${sample.scores[bad]} in its output "${card.output.name}"`);
  return sample;
}
