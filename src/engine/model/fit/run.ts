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
import { channelAxis, labelSpatialAxes, spatialAxes } from '../card';
import { modelGridFor, padCropCentred, resizeLinear, sameDims } from '../geometry';
import { firstNonFinite, labelsOnGrid, newLabelArray, sampleScores, type LabelArray } from '../postprocess';
import { batchTensorDims, insertSlice, itemGridInput, packInto, planItems, prepareImage, type PreparedImage, type WorkItem } from '../preprocess';
import type { FitOutput, FitTrial } from './candidates';
import { newTally, tallySample, type ConfidenceTally } from './labelFree';
import { orientedDims, orientPlane, unorientLabels } from './orientation';

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
    normalization: { ...trial.normalization, statistics: trial.normalization.statistics ?? base.normalization.statistics },
    output: { ...base.output, kind, ...(kind === 'sigmoid' ? { threshold: base.output.threshold ?? 0.5, sigmoidApplied: output.sigmoidApplied ?? false } : {}) },
  };
}

interface Job {
  trial: number;
  item: WorkItem;
  /** The item's grid after orientation (the labels come back on it). */
  orientedDims: number[];
  modelDims: number[];
}

/** The model-grid input of a job: normalised, oriented, resized or padded. */
function jobInput(job: Job, trial: FitTrial, prepared: PreparedImage, card: ModelCard, volume: Volume): Float32Array {
  const grid = itemGridInput(job.item, prepared, card, volume.dims);
  const oriented = orientPlane(grid.data, job.item.gridDims, grid.channels, trial.orientation);
  if (sameDims(job.orientedDims, job.modelDims)) return oriented === prepared.planes[0] ? oriented.slice() : oriented;
  if (card.geometry.policy === 'resize') return resizeLinear(oriented, job.orientedDims, grid.channels, job.modelDims);
  return padCropCentred(oriented, job.orientedDims, grid.channels, job.modelDims, [grid.padValue]);
}

/**
 * Runs `trials` on one input and scores every output reading. Batches mix trials; a trial's
 * labels are scored and dropped as soon as its last work item is done.
 */
export async function runTrials(fit: FitSession, base: ModelCard, trials: readonly number[], allTrials: readonly FitTrial[], outputs: readonly FitOutput[],
  input: FitImage, onBatch: () => void, signal?: AbortSignal): Promise<TrialOutcome[]> {
  if (base.geometry.policy === 'sliding-window') {
    throw new MisasInputError(fit.path, 'the fit check does not support sliding-window models yet; state the conventions in the model card');
  }
  const volume = input.image;
  const items = planItems([volume], base, fit.path);
  const jobs: Job[] = trials.flatMap((trial) => items.map((item) => {
    const dims = base.spatialDims === 2 ? orientedDims(allTrials[trial].orientation, item.gridDims) : item.gridDims;
    return { trial, item, orientedDims: dims, modelDims: modelGridFor(base.geometry, dims) };
  }));
  const classCount = base.classes.length;
  const cards = new Map<number, ModelCard[]>();
  const cardsOf = (trial: number) => {
    let list = cards.get(trial);
    if (!list) cards.set(trial, (list = outputs.map((output) => trialCard(base, allTrials[trial], output))));
    return list;
  };
  // Normalised images by normalisation: orientations of one normalisation share one.
  const prepared = new Map<string, PreparedImage>();
  const preparedFor = (trial: number) => {
    const key = JSON.stringify(allTrials[trial].normalization);
    let value = prepared.get(key);
    if (!value) prepared.set(key, (value = prepareImage(volume, cardsOf(trial)[0])));
    return value;
  };
  const pending = new Map<number, { left: number; labels: (LabelArray | undefined)[]; tallies: ConfidenceTally[] }>();
  for (const trial of trials) pending.set(trial, { left: items.length, labels: outputs.map(() => undefined), tallies: outputs.map(() => newTally(classCount)) });
  const outcomes: TrialOutcome[] = [];

  for (let start = 0; start < jobs.length;) {
    signal?.throwIfAborted();
    // A batch holds jobs of one model grid, at most maxBatch of them, in order.
    const key = jobs[start].modelDims.join('x');
    let end = start + 1;
    while (end < jobs.length && end - start < fit.maxBatch && jobs[end].modelDims.join('x') === key) end++;
    const batch = jobs.slice(start, end);
    start = end;
    const inputs = batch.map((job) => jobInput(job, allTrials[job.trial], preparedFor(job.trial), cardsOf(job.trial)[0], volume));
    const output = await runBatch(fit, base, inputs, batch[0].modelDims);
    onBatch();
    batch.forEach((job, index) => {
      const state = pending.get(job.trial)!;
      const sample = readSample(fit, base, output, index, job.modelDims);
      const modelVoxels = voxelCount(job.modelDims);
      cardsOf(job.trial).forEach((card, o) => {
        tallySample(state.tallies[o], sample.scores, sample.planes, modelVoxels, outputs[o], card.output.threshold);
        const oriented = labelsOnGrid(sample, card, job.modelDims, job.orientedDims);
        const plane = base.spatialDims === 2 ? unorientLabels(oriented, job.item.gridDims, allTrials[job.trial].orientation) : oriented;
        if (job.item.slice === undefined) state.labels[o] = plane;
        else insertSlice((state.labels[o] ??= newLabelArray(classCount, voxelCount(volume.dims))), volume.dims, base.sliceAxis ?? 2, job.item.slice, plane);
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
  const prediction: Volume = { data: labels, dims: [...image.dims], spacing: [...image.spacing], affine: image.affine, channels: 1 };
  const result = computeMetrics(prediction, mask, { classes: classCount, metrics: ['dice'] });
  return Array.from({ length: classCount }, (_, c) => (result.values.dice?.[c] as number | null) ?? 0);
}

async function runBatch(fit: FitSession, card: ModelCard, inputs: Float32Array[], modelDims: readonly number[]): Promise<ort.Tensor> {
  const size = fit.fixedBatch ?? inputs.length;
  const perItem = voxelCount(modelDims) * card.channels;
  const data = fit.inputIsDouble ? new Float64Array(size * perItem) : new Float32Array(size * perItem);
  inputs.forEach((input, index) => packInto(data, index, input, card.channels, isChannelsLast(card.layout)));
  const feed = new ort.Tensor(fit.inputIsDouble ? 'float64' : 'float32', data, batchTensorDims(card, size, modelDims));
  try {
    const results = await fit.session.run({ [fit.inputName]: feed }, [card.output.name]);
    return results[card.output.name] as ort.Tensor;
  } catch (thrown) {
    throw new MisasInputError(fit.path, `onnxruntime failed on an input of shape [${feed.dims.join(', ')}]: ${(thrown as Error).message ?? String(thrown)}`, { cause: thrown });
  }
}

/** One sample's planar scores, checked for shape and finiteness like a run checks them. */
function readSample(fit: FitSession, card: ModelCard, output: ort.Tensor, index: number, modelDims: readonly number[]) {
  const dims = output.dims;
  const labelMap = dims.length === card.spatialDims + 1;
  const spatial = (labelMap ? labelSpatialAxes(dims.length) : spatialAxes(card.output.layout)).map((axis) => dims[axis]);
  if (!sameDims(spatial, modelDims)) {
    throw new MisasInputError(fit.path, `returned output "${card.output.name}" of shape [${dims.join(', ')}] for an input of spatial size [${modelDims.join(', ')}]; misas needs one label per input pixel`);
  }
  if (typeof output.data === 'string' || output.type === 'float16' || output.type === 'bool') {
    throw new MisasInputError(fit.path, `returned output of type ${output.type}, which misas cannot read`);
  }
  const planes = labelMap ? 1 : dims[channelAxis(card.output.layout)];
  const sample = sampleScores(output.data as ArrayLike<number | bigint>, index, voxelCount(modelDims), planes, !labelMap && isChannelsLast(card.output.layout));
  const bad = firstNonFinite(sample.scores);
  if (bad >= 0) throw new MisasInputError(fit.path, `returned ${sample.scores[bad]} in its output "${card.output.name}"`);
  return sample;
}
