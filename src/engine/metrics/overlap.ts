/** Overlap metrics from voxel counts, with the empty-mask conventions of docs/ALGORITHMS.md, "Metrics". */
import type { ClassCounts, MetricValue } from './types';
import type { PairCounts } from './counting';

/** |P|, |G| and |P∩G| of the class in `slot`, read off the joint table. */
export function classCounts(counts: PairCounts, slot: number): ClassCounts {
  const stride = counts.classes.length + 1;
  let pred = 0;
  let truth = 0;
  for (let other = 0; other < stride; other++) {
    pred += counts.joint[other * stride + slot];
    truth += counts.joint[slot * stride + other];
  }
  return { pred, truth, intersection: counts.joint[slot * stride + slot] };
}

/** True when the class is in neither mask: Dice and IoU are then 1 by convention and the row is flagged. */
export function bothEmpty({ pred, truth }: ClassCounts): boolean {
  return pred === 0 && truth === 0;
}

/** 2|P∩G| / (|P|+|G|); 1 when both are empty, hence 0 whenever exactly one is. */
export function dice(c: ClassCounts): number {
  return bothEmpty(c) ? 1 : (2 * c.intersection) / (c.pred + c.truth);
}

/** |P∩G| / |P∪G|; 1 when both are empty. */
export function iou(c: ClassCounts): number {
  return bothEmpty(c) ? 1 : c.intersection / (c.pred + c.truth - c.intersection);
}

/** |P∩G| / |P|; undefined (null) when nothing was predicted. */
export function precision(c: ClassCounts): MetricValue {
  return c.pred === 0 ? null : c.intersection / c.pred;
}

/** |P∩G| / |G|; undefined (null) when the class is absent from the ground truth. */
export function recall(c: ClassCounts): MetricValue {
  return c.truth === 0 ? null : c.intersection / c.truth;
}

/** rows = ground truth, columns = prediction, over the requested classes only. */
export function confusionFromCounts(counts: PairCounts): number[][] {
  const k = counts.classes.length;
  const stride = k + 1;
  return Array.from({ length: k }, (_, g) => Array.from(counts.joint.subarray(g * stride, g * stride + k)));
}

/** Voxels where prediction or truth is a label outside the requested classes. */
export function unlistedVoxels(counts: PairCounts): number {
  const k = counts.classes.length;
  const stride = k + 1;
  let total = 0;
  for (let i = 0; i < stride; i++) {
    total += counts.joint[k * stride + i];
    if (i < k) total += counts.joint[i * stride + k];
  }
  return total;
}
