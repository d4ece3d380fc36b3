/**
 * The label-free score of a convention (no mask to compare with): how sure the model is of
 * the foreground it predicts (mean probability of the predicted class over the pixels it
 * calls foreground; 0 when it predicts no foreground). The share of foreground classes it
 * predicts is reported beside it but not multiplied in: a slice that lacks a class would
 * punish the right convention and reward one that hallucinates every class.
 * ALGORITHMS.md ("Fit check") says why this is a reasonable proxy and where it fails.
 */
import type { FitOutput } from './candidates';

/** A class counts as predicted when it covers at least this share of the pixels. */
export const MIN_CLASS_SHARE = 0.001;

export interface ConfidenceTally {
  /** Σ over foreground pixels of the predicted class's probability. */
  foregroundConfidence: number;
  foregroundPixels: number;
  pixels: number;
  /** Pixels per predicted class (index = label). */
  classPixels: number[];
  /** Every pixel's scores so far lay in [0, 1] and summed to 1: the output is probabilities, not logits. */
  probabilityLike: boolean;
}

export function newTally(classCount: number): ConfidenceTally {
  return {
    foregroundConfidence: 0,
    foregroundPixels: 0,
    pixels: 0,
    classPixels: Array<number>(classCount).fill(0),
    probabilityLike: true,
  };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Adds one sample's planar scores (model grid) to the tally, read as `output` says. */
export function tallySample(
  tally: ConfidenceTally,
  scores: Float32Array,
  planes: number,
  voxels: number,
  output: FitOutput,
  threshold = 0.5,
): void {
  tally.pixels += voxels;
  for (let v = 0; v < voxels; v++) {
    let label = 0;
    let confidence = 1;
    if (output.kind === 'labels') {
      label = scores[v];
    } else if (output.kind === 'sigmoid') {
      let best = -Infinity;
      for (let c = 0; c < planes; c++) {
        const p = output.sigmoidApplied ? scores[c * voxels + v] : sigmoid(scores[c * voxels + v]);
        if (p > best) {
          best = p;
          if (p >= threshold) label = c + 1;
        }
      }
      confidence = label > 0 ? best : 1 - best;
    } else {
      let max = -Infinity,
        sum = 0,
        inUnit = true;
      for (let c = 0; c < planes; c++) {
        const s = scores[c * voxels + v];
        if (s > max) {
          max = s;
          label = c;
        }
        sum += s;
        if (s < 0 || s > 1) inUnit = false;
      }
      if (tally.probabilityLike && !(inUnit && Math.abs(sum - 1) < 1e-3)) tally.probabilityLike = false;
      // Softmax's largest probability is 1 / Σ exp(s − max); probabilities are read as they are.
      if (tally.probabilityLike) {
        confidence = max;
      } else {
        let denominator = 0;
        for (let c = 0; c < planes; c++) denominator += Math.exp(scores[c * voxels + v] - max);
        confidence = 1 / denominator;
      }
    }
    tally.classPixels[label] = (tally.classPixels[label] ?? 0) + 1;
    if (label > 0) {
      tally.foregroundPixels++;
      tally.foregroundConfidence += confidence;
    }
  }
}

export interface LabelFreeScore {
  /** Mean probability of the predicted class over predicted-foreground pixels (0 without foreground). */
  confidence: number;
  /** Share of the foreground classes predicted on at least MIN_CLASS_SHARE of the pixels (reported, not scored). */
  classShare: number;
  score: number;
}

export function labelFreeScore(tally: ConfidenceTally): LabelFreeScore {
  const foregroundClasses = tally.classPixels.length - 1;
  const confidence = tally.foregroundPixels ? tally.foregroundConfidence / tally.foregroundPixels : 0;
  const present = tally.classPixels.slice(1).filter((n) => n >= MIN_CLASS_SHARE * tally.pixels).length;
  const classShare = foregroundClasses > 0 ? present / foregroundClasses : 0;
  return { confidence, classShare, score: confidence };
}
