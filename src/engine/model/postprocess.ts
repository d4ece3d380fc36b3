/**
 * From the model's output tensor to label maps on the images' own grids.
 *
 * Without resampling (pad-crop, pad-to-multiple, or resize to the same size) labels are
 * decided on the model grid from the raw output (argmax of logits = argmax of softmax) and
 * then cropped/padded back; pixels the model never saw are background (0).
 * With resize, the raw per-class output (logits, probabilities or sigmoid scores; one-hot
 * planes for label outputs) is resampled bilinearly back to the image grid and the labels
 * are decided there: smoother borders than resampling labels, and the rule of torch's
 * `interpolate(logits) → argmax` and nnU-Net v2.
 */
import type { PlaneArgmax } from './argmaxPass';
import type { ModelCard } from './cardTypes';
import { decideInto, newLabelArray, type LabelArray } from './decide';
import { padCropCentred, resizeLinear, sameDims } from './geometry';
import { invertOrientation, isIdentityOrientation, orientationMap } from './orientation';
import { resampledLabels2d } from './resampleLabels';

export { newLabelArray, type LabelArray };

/** The output values of one sample as planar per-class scores (or one plane of labels). */
export interface SampleScores {
  scores: Float32Array;
  /** Planes in `scores`: output channels, or 1 for a label map. */
  planes: number;
  /**
   * The scores' argmax pass (logits and probabilities), made with their finite check; its arrays
   * are reused by the next pass, so it is read by labelsOnGrid right after sampleOf.
   */
  argmax?: PlaneArgmax;
}

/**
 * Sample `index` of a batch output as planar float planes: a view of a planar float32 output,
 * a copy otherwise (transposing channels-last outputs). `planes` is the size of the output's
 * channel axis (1 without one).
 */
export function sampleScores(
  data: ArrayLike<number | bigint>,
  index: number,
  voxels: number,
  planes: number,
  channelsLast: boolean,
): SampleScores {
  const offset = index * voxels * planes;
  // Nothing downstream writes to the scores, so a view is enough.
  if (!channelsLast && data instanceof Float32Array)
    return { scores: data.subarray(offset, offset + voxels * planes), planes };
  const scores = new Float32Array(voxels * planes);
  for (let c = 0; c < planes; c++) {
    for (let v = 0; v < voxels; v++) {
      const at = offset + (channelsLast ? v * planes + c : c * voxels + v);
      scores[c * voxels + v] = Number(data[at]);
    }
  }
  return { scores, planes };
}

/** Index of the first NaN or ±Infinity, or -1. */
export function firstNonFinite(values: Float32Array): number {
  // v − v is 0 for every finite v and NaN for NaN and ±Infinity; cheaper than a call per value.
  for (let i = 0; i < values.length; i++) if (values[i] - values[i] !== 0) return i;
  return -1;
}

/** A label map as one-hot planes (class c = plane c), so that it can be resampled linearly or blended. */
export function oneHot(labels: Float32Array, classes: number, voxels: number): Float32Array {
  const planes = new Float32Array(voxels * classes);
  for (let v = 0; v < voxels; v++) planes[labels[v] * voxels + v] = 1;
  return planes;
}

export function decideLabels(scores: Float32Array, planes: number, voxels: number, card: ModelCard): LabelArray {
  const labels = newLabelArray(card.classes.length, voxels);
  decideInto(scores, planes, voxels, card, labels, 0);
  return labels;
}

/** The label map of one sample on its item's grid (modelDims → gridDims, inverse geometry). */
export function labelsOnGrid(
  sample: SampleScores,
  card: ModelCard,
  modelDims: readonly number[],
  gridDims: readonly number[],
): LabelArray {
  const modelVoxels = sample.scores.length / sample.planes;
  const gridVoxels = gridDims.reduce((p, n) => p * n, 1);
  if (card.geometry.policy === 'resize' && !sameDims(modelDims, gridDims)) {
    const isLabels = card.output.kind === 'labels';
    const planes = isLabels ? card.classes.length : sample.planes;
    const scores = isLabels ? oneHot(sample.scores, planes, modelVoxels) : sample.scores;
    if (modelDims.length === 2) return resampledLabels2d(scores, planes, modelDims, gridDims, card, sample.argmax);
    return decideLabels(resizeLinear(scores, modelDims, planes, gridDims), planes, gridVoxels, card);
  }
  let labels: LabelArray;
  if (card.output.kind === 'labels') {
    labels = newLabelArray(card.classes.length, modelVoxels);
    for (let v = 0; v < modelVoxels; v++) labels[v] = sample.scores[v];
  } else if (sample.argmax) {
    labels = newLabelArray(card.classes.length, modelVoxels);
    labels.set(sample.argmax.labels.subarray(0, modelVoxels));
  } else {
    labels = decideLabels(sample.scores, sample.planes, modelVoxels, card);
  }
  return sameDims(modelDims, gridDims) ? labels : padCropCentred(labels, modelDims, 1, gridDims, [0]);
}

/** A label map in the model's orientation (on orientedDims) brought back onto the stored grid `gridDims`. */
export function labelsInStoredOrientation(
  labels: LabelArray,
  card: ModelCard,
  gridDims: readonly number[],
): LabelArray {
  const orientation = orientationMap(card.orientation, card.spatialDims)!;
  return isIdentityOrientation(orientation) ? labels : invertOrientation(labels, gridDims, 1, orientation);
}

/** The first value of a label-map output that is not a class index, or undefined. */
export function invalidLabel(sample: SampleScores, classCount: number): number | undefined {
  for (const v of sample.scores) if (!(Number.isInteger(v) && v >= 0 && v < classCount)) return v;
  return undefined;
}
