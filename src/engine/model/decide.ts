/**
 * The rules that turn per-class scores of the model's raw output into labels: argmax for
 * logits, probabilities and one-hot label planes (the first maximum wins, like numpy/torch),
 * thresholds for sigmoid outputs.
 */
import type { ModelCard } from './cardTypes';

export type LabelArray = Uint8Array | Uint16Array;

export function newLabelArray(classCount: number, length: number): LabelArray {
  return classCount <= 256 ? new Uint8Array(length) : new Uint16Array(length);
}

/**
 * Writes labels[at + v] for v < voxels from planar per-class scores (plane c holds
 * scores[c·voxels + v]). sigmoid: the highest plane at or above the threshold gives label
 * plane + 1, none gives 0; for raw scores the threshold is compared in logit space (sigmoid is
 * monotonic), so no sigmoid is ever computed. Everything else: argmax.
 */
export function decideInto(
  scores: Float32Array,
  planes: number,
  voxels: number,
  card: ModelCard,
  labels: LabelArray,
  at: number,
): void {
  if (card.output.kind === 'sigmoid') {
    const t = card.output.threshold ?? 0.5;
    const threshold = card.output.sigmoidApplied ? t : Math.log(t / (1 - t));
    for (let v = 0; v < voxels; v++) {
      let label = 0,
        best = -Infinity;
      for (let c = 0; c < planes; c++) {
        const s = scores[c * voxels + v];
        if (s >= threshold && s > best) {
          best = s;
          label = c + 1;
        }
      }
      labels[at + v] = label;
    }
    return;
  }
  // A later plane must be strictly greater to win, so the first maximum wins.
  for (let v = 0; v < voxels; v++) {
    let label = 0,
      best = scores[v];
    for (let c = 1; c < planes; c++) {
      const s = scores[c * voxels + v];
      if (s > best) {
        best = s;
        label = c;
      }
    }
    labels[at + v] = label;
  }
}
