/**
 * One pass over a sample's planar per-class scores on the model grid that finds everything the
 * 2D output path needs from them: whether they are all finite, the first maximum of every voxel
 * (the label for logits and probabilities), its margin over the runner-up, and the largest
 * |score| (which bounds the rounding error of resampling, see resampleLabels.ts). It replaces
 * a finite scan, a magnitude scan and an argmax scan of the same values (issue 12 item 2).
 */

/** The pass's results; the arrays are reused by the next call (read them before calling again). */
export interface PlaneArgmax {
  /** First maximum per voxel, in [0, planes); length ≥ voxels. */
  labels: Int32Array;
  /** best − second per voxel in float64 (Infinity with one plane); length ≥ voxels. */
  margins: Float64Array;
  /** The largest |score|. */
  magnitude: number;
}

// Reused between calls: the output path runs one sample at a time, synchronously.
const reused: PlaneArgmax = { labels: new Int32Array(0), margins: new Float64Array(0), magnitude: 0 };

/** The argmax of `planes` planes of `voxels` scores each, or undefined when a score is NaN or ±Infinity. */
export function argmaxPass(scores: Float32Array, planes: number, voxels: number): PlaneArgmax | undefined {
  if (reused.labels.length < voxels) {
    reused.labels = new Int32Array(voxels);
    reused.margins = new Float64Array(voxels);
  }
  const { labels, margins } = reused;
  let max = -Infinity,
    min = Infinity,
    // s − s is 0 for finite s and NaN for NaN and ±Infinity: one check after the loop instead of a branch per value.
    probe = 0;
  for (let v = 0; v < voxels; v++) {
    let label = 0,
      best = scores[v],
      second = -Infinity;
    probe += best - best;
    if (best > max) max = best;
    if (best < min) min = best;
    for (let c = 1, at = voxels + v; c < planes; c++, at += voxels) {
      const s = scores[at];
      probe += s - s;
      if (s > max) max = s;
      if (s < min) min = s;
      // A later plane must be strictly greater to win, so the first maximum wins (like decideInto).
      if (s > best) {
        second = best;
        best = s;
        label = c;
      } else if (s > second) {
        second = s;
      }
    }
    labels[v] = label;
    margins[v] = best - second;
  }
  if (probe !== 0) return undefined;
  reused.magnitude = Math.max(max, -min, 0);
  return reused;
}
