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
import type { ModelCard } from './cardTypes';
import { padCropCentred, resizeLinear, sameDims } from './geometry';

export type LabelArray = Uint8Array | Uint16Array;

/** The output values of one sample as planar per-class scores (or one plane of labels). */
export interface SampleScores {
  scores: Float32Array;
  /** Planes in `scores`: output channels, or 1 for a label map. */
  planes: number;
}

export function newLabelArray(classCount: number, length: number): LabelArray {
  return classCount <= 256 ? new Uint8Array(length) : new Uint16Array(length);
}

/**
 * Copies sample `index` out of a batch output as planar float planes, transposing
 * channels-last outputs. `planes` is the size of the output's channel axis (1 without one).
 */
export function sampleScores(data: ArrayLike<number | bigint>, index: number, voxels: number, planes: number, channelsLast: boolean): SampleScores {
  const scores = new Float32Array(voxels * planes);
  const offset = index * voxels * planes;
  if (!channelsLast && data instanceof Float32Array) {
    scores.set(data.subarray(offset, offset + voxels * planes));
    return { scores, planes };
  }
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
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/** A label map as one-hot planes (class c = plane c), so that it can be resampled linearly. */
function oneHot(labels: Float32Array, classes: number, voxels: number): Float32Array {
  const planes = new Float32Array(voxels * classes);
  for (let v = 0; v < voxels; v++) planes[labels[v] * voxels + v] = 1;
  return planes;
}

/**
 * Labels from per-class planes of the model's raw output. logits/probabilities (and one-hot
 * labels): argmax, the first maximum wins like numpy/torch. sigmoid: the highest plane at or
 * above the threshold gives label plane + 1, none gives 0; for raw scores the threshold is
 * compared in logit space (sigmoid is monotonic), so no sigmoid is ever computed.
 */
function decideLabels(scores: Float32Array, planes: number, voxels: number, card: ModelCard): LabelArray {
  const labels = newLabelArray(card.classes.length, voxels);
  if (card.output.kind === 'sigmoid') {
    const t = card.output.threshold ?? 0.5;
    const threshold = card.output.sigmoidApplied ? t : Math.log(t / (1 - t));
    for (let v = 0; v < voxels; v++) {
      let label = 0, best = -Infinity;
      for (let c = 0; c < planes; c++) {
        const s = scores[c * voxels + v];
        if (s >= threshold && s > best) {
          best = s;
          label = c + 1;
        }
      }
      labels[v] = label;
    }
    return labels;
  }
  // Plane by plane; a later plane must be strictly greater to win, so the first maximum wins.
  const best = scores.slice(0, voxels);
  for (let c = 1; c < planes; c++) {
    const plane = scores.subarray(c * voxels, (c + 1) * voxels);
    for (let v = 0; v < voxels; v++) {
      if (plane[v] > best[v]) {
        best[v] = plane[v];
        labels[v] = c;
      }
    }
  }
  return labels;
}

/** The label map of one sample on its item's grid (modelDims → gridDims, inverse geometry). */
export function labelsOnGrid(sample: SampleScores, card: ModelCard, modelDims: readonly number[], gridDims: readonly number[]): LabelArray {
  const modelVoxels = sample.scores.length / sample.planes;
  const gridVoxels = gridDims.reduce((p, n) => p * n, 1);
  if (card.geometry.policy === 'resize' && !sameDims(modelDims, gridDims)) {
    const isLabels = card.output.kind === 'labels';
    const planes = isLabels ? card.classes.length : sample.planes;
    const scores = isLabels ? oneHot(sample.scores, planes, modelVoxels) : sample.scores;
    return decideLabels(resizeLinear(scores, modelDims, planes, gridDims), planes, gridVoxels, card);
  }
  const labels = card.output.kind === 'labels'
    ? newLabelArray(card.classes.length, modelVoxels).map((_, v) => sample.scores[v])
    : decideLabels(sample.scores, sample.planes, modelVoxels, card);
  return sameDims(modelDims, gridDims) ? labels : padCropCentred(labels, modelDims, 1, gridDims, [0]);
}

/** The first value of a label-map output that is not a class index, or undefined. */
export function invalidLabel(sample: SampleScores, classCount: number): number | undefined {
  for (const v of sample.scores) if (!(Number.isInteger(v) && v >= 0 && v < classCount)) return v;
  return undefined;
}
