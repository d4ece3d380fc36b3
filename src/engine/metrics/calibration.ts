/**
 * Confidence and calibration of a prediction (issue 14 item 3): does the model know when it is
 * failing? Computed from the per-class probabilities of the model's output and the labels it
 * decided, per class over the pixels predicted as that class:
 * - confidence: mean probability of the predicted label;
 * - entropy: mean normalised entropy −Σ p·ln p / ln K (0 = certain, 1 = all K classes equally likely);
 * - confidently wrong: share of those pixels whose truth is another class although the model gave
 *   its label a probability above 0.9;
 * and against the truth, expected calibration errors over 15 equal-width bins (Guo et al. 2017):
 * top-label ECE over all pixels, and per class the classwise ECE of p_c against [truth = c].
 *
 * An accumulator, so that a volume's slices (or a batch's samples) are reduced as they are scored
 * and no step keeps its probabilities: memory is K·15 bins and a few sums per class.
 */
import type { OutputKind } from '../model/cardTypes';

export const ECE_BINS = 15;
/** "Confidently wrong": wrong although the predicted label's probability is above this. */
export const CONFIDENTLY_WRONG_PROBABILITY = 0.9;

export interface ClassCalibration {
  /** Mean probability of the predicted label over the pixels predicted as this class; NaN when none is. */
  confidence: number;
  /** Mean normalised entropy over the same pixels, in [0, 1]; NaN when none is. */
  entropy: number;
  /** Share of the pixels predicted as this class that are wrong with probability > 0.9; NaN without truth or pixels. */
  confidentlyWrong: number;
  /** Classwise ECE of p_c against [truth = c] over all pixels; NaN without truth. */
  ece: number;
}

export interface Calibration {
  classes: ClassCalibration[];
  /** Top-label ECE: the predicted label's probability against [prediction = truth], over all pixels; NaN without truth. */
  ece: number;
  /** Share of all pixels that are wrong with probability > 0.9; NaN without truth. */
  confidentlyWrong: number;
}

/**
 * The bin of a probability: bins are (m/15, (m+1)/15], the first also holds 0. Compared with
 * the edges rather than trusting ceil(p·15), whose rounding may disagree at an edge.
 */
export function eceBin(p: number): number {
  let bin = Math.min(ECE_BINS - 1, Math.max(0, Math.ceil(p * ECE_BINS) - 1));
  while (bin > 0 && p <= bin / ECE_BINS) bin--;
  while (bin < ECE_BINS - 1 && p > (bin + 1) / ECE_BINS) bin++;
  return bin;
}

/** Per-bin sums for one reliability diagram. */
class ReliabilityBins {
  readonly count = new Float64Array(ECE_BINS);
  readonly probability = new Float64Array(ECE_BINS);
  readonly hits = new Float64Array(ECE_BINS);

  add(p: number, hit: boolean): void {
    const bin = eceBin(p);
    this.count[bin]++;
    this.probability[bin] += p;
    if (hit) this.hits[bin]++;
  }

  /** Σ_b (n_b / N)·|accuracy_b − confidence_b| = Σ_b |hits_b − Σp_b| / N. */
  ece(): number {
    let total = 0,
      gap = 0;
    for (let b = 0; b < ECE_BINS; b++) {
      total += this.count[b];
      gap += Math.abs(this.hits[b] - this.probability[b]);
    }
    return total === 0 ? NaN : gap / total;
  }
}

export class CalibrationAccumulator {
  private readonly predicted: Float64Array;
  private readonly confidenceSum: Float64Array;
  private readonly entropySum: Float64Array;
  private readonly wrongAndSure: Float64Array;
  private readonly topLabel = new ReliabilityBins();
  private readonly classwise: ReliabilityBins[];
  private readonly logClasses: number;
  private pixels = 0;
  private withTruth = 0;

  constructor(readonly classCount: number) {
    if (classCount < 2) throw new Error(`calibration needs at least 2 classes, got ${classCount}`);
    this.predicted = new Float64Array(classCount);
    this.confidenceSum = new Float64Array(classCount);
    this.entropySum = new Float64Array(classCount);
    this.wrongAndSure = new Float64Array(classCount);
    this.classwise = Array.from({ length: classCount }, () => new ReliabilityBins());
    this.logClasses = Math.log(classCount);
  }

  /**
   * Adds `voxels` pixels: planar probabilities (plane c holds probabilities[c·voxels + v]), the
   * labels the model decided for them and, when known, the truth, both read from index `at`.
   * Truth labels outside the classes count as wrong and as 0 for every class.
   */
  add(probabilities: Float32Array, voxels: number, labels: ArrayLike<number>, truth?: ArrayLike<number>, at = 0): void {
    const k = this.classCount;
    if (probabilities.length !== k * voxels) {
      throw new Error(`calibration: ${probabilities.length} probabilities for ${k} classes × ${voxels} pixels`);
    }
    for (let v = 0; v < voxels; v++) {
      const label = labels[at + v];
      const p = probabilities[label * voxels + v];
      let entropy = 0;
      for (let c = 0; c < k; c++) {
        const q = probabilities[c * voxels + v];
        if (q > 0) entropy -= q * Math.log(q);
      }
      this.predicted[label]++;
      this.confidenceSum[label] += p;
      this.entropySum[label] += entropy / this.logClasses;
      if (truth === undefined) continue;
      const t = truth[at + v];
      const right = t === label;
      if (!right && p > CONFIDENTLY_WRONG_PROBABILITY) this.wrongAndSure[label]++;
      this.topLabel.add(p, right);
      for (let c = 0; c < k; c++) this.classwise[c].add(probabilities[c * voxels + v], t === c);
    }
    this.pixels += voxels;
    if (truth !== undefined) this.withTruth += voxels;
  }

  result(): Calibration {
    const truthKnown = this.withTruth > 0 && this.withTruth === this.pixels;
    let wrongAndSure = 0;
    const classes = Array.from({ length: this.classCount }, (_, c): ClassCalibration => {
      const n = this.predicted[c];
      wrongAndSure += this.wrongAndSure[c];
      return {
        confidence: n === 0 ? NaN : this.confidenceSum[c] / n,
        entropy: n === 0 ? NaN : this.entropySum[c] / n,
        confidentlyWrong: n === 0 || !truthKnown ? NaN : this.wrongAndSure[c] / n,
        ece: truthKnown ? this.classwise[c].ece() : NaN,
      };
    });
    return {
      classes,
      ece: truthKnown ? this.topLabel.ece() : NaN,
      confidentlyWrong: truthKnown ? wrongAndSure / this.pixels : NaN,
    };
  }
}

/**
 * Planar class probabilities from a model's raw output planes, or a reason why there are none:
 * softmax over the planes for logits (max subtracted first, so large logits do not overflow), the
 * planes themselves for probabilities, [1 − σ, σ] for a single sigmoid plane. Several sigmoid
 * planes are independent scores, not a distribution over classes; label maps carry no probability.
 */
export function classProbabilities(
  kind: OutputKind,
  scores: Float32Array,
  planes: number,
  voxels: number,
  sigmoidApplied = false,
): { probabilities: Float32Array; classCount: number } | { reason: string } {
  if (kind === 'labels') return { reason: 'the model outputs labels, not probabilities' };
  if (kind === 'probabilities') return { probabilities: scores, classCount: planes };
  if (kind === 'sigmoid') {
    if (planes !== 1) {
      return { reason: `the model's ${planes} sigmoid planes are independent scores, not a distribution over classes` };
    }
    const probabilities = new Float32Array(2 * voxels);
    for (let v = 0; v < voxels; v++) {
      const p = sigmoidApplied ? scores[v] : 1 / (1 + Math.exp(-scores[v]));
      probabilities[v] = 1 - p;
      probabilities[voxels + v] = p;
    }
    return { probabilities, classCount: 2 };
  }
  const probabilities = new Float32Array(planes * voxels);
  for (let v = 0; v < voxels; v++) {
    let max = -Infinity;
    for (let c = 0; c < planes; c++) max = Math.max(max, scores[c * voxels + v]);
    let sum = 0;
    for (let c = 0; c < planes; c++) sum += Math.exp(scores[c * voxels + v] - max);
    for (let c = 0; c < planes; c++) probabilities[c * voxels + v] = Math.exp(scores[c * voxels + v] - max) / sum;
  }
  return { probabilities, classCount: planes };
}
