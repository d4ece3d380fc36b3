/**
 * Flip maps (issue 14 item 1): where in the image a series changes the model's mind. For one
 * series, model and input, each voxel of the input's grid counts the sweep's steps at which the
 * predicted label there differs from the prediction on the untransformed input (the baseline).
 *
 * Spatial steps predict on a moved grid: the runner hands each step's `sourceIndex`, for every
 * voxel of the step's grid the input voxel it came from (index + 1; 0 = from outside the input),
 * which is the same nearest-neighbour mapping that moves the truth. A step's label at voxel o is
 * then compared with the baseline at its source, and counted there: the flip map is drawn on the
 * input, where the user reads it. Input voxels that no step's voxel came from stay NaN.
 *
 * Memory is per voxel, never per step: a count of visits and one count per class of how often
 * the step predicted that class (Uint16, saturating), and the flipping step values nearest to the
 * identity on either side (Float32) for the share that flips within the tolerated range.
 */
const COUNT_LIMIT = 0xffff;

export interface FlipMap {
  /** Per voxel of the input: share of the steps (that saw the voxel) whose label differs from the baseline; NaN where none saw it. */
  flips: Float32Array;
  /**
   * Per class, per voxel: share of the steps at which the voxel's membership in the class changed
   * (the class was gained or lost against the baseline).
   */
  classFlips: Float32Array[];
}

export class FlipMapAccumulator {
  private readonly visits: Uint16Array;
  private readonly predicted: Uint16Array[];
  /** Per voxel: the flipping value nearest to the identity above it (+Infinity: none) and below it (−Infinity: none). */
  private readonly nearestAbove: Float32Array;
  private readonly nearestBelow: Float32Array;

  constructor(
    readonly voxels: number,
    readonly classCount: number,
    private readonly baseline: ArrayLike<number>,
    private readonly identity: number,
  ) {
    if (baseline.length !== voxels) throw new Error(`flip map: baseline of ${baseline.length} voxels for ${voxels}`);
    this.visits = new Uint16Array(voxels);
    this.predicted = Array.from({ length: classCount }, () => new Uint16Array(voxels));
    this.nearestAbove = new Float32Array(voxels).fill(Infinity);
    this.nearestBelow = new Float32Array(voxels).fill(-Infinity);
  }

  /**
   * Adds one step's labels. Without `sourceIndex` the step's grid is the input's (intensity
   * transforms); with it, labels[o] is compared with the baseline at sourceIndex[o] − 1.
   * The identity value itself is the baseline and adds nothing.
   */
  addStep(value: number, labels: ArrayLike<number>, sourceIndex?: ArrayLike<number>): void {
    if (value === this.identity) return;
    if (!sourceIndex && labels.length !== this.voxels) {
      throw new Error(
        `flip map: a step of ${labels.length} voxels on an input of ${this.voxels} without a source index`,
      );
    }
    const above = value > this.identity;
    // Stored as float32: compared as float32 too (shareFlippingWithin), so an edge value counts.
    const stored = Math.fround(value);
    for (let o = 0; o < labels.length; o++) {
      const p = sourceIndex ? sourceIndex[o] - 1 : o;
      if (p < 0) continue;
      const label = labels[o];
      if (this.visits[p] < COUNT_LIMIT) {
        this.visits[p]++;
        if (label < this.classCount) this.predicted[label][p]++;
      }
      if (label === this.baseline[p]) continue;
      if (above) {
        if (stored < this.nearestAbove[p]) this.nearestAbove[p] = stored;
      } else if (stored > this.nearestBelow[p]) this.nearestBelow[p] = stored;
    }
  }

  result(): FlipMap {
    const flips = new Float32Array(this.voxels);
    const classFlips = this.predicted.map(() => new Float32Array(this.voxels));
    for (let p = 0; p < this.voxels; p++) {
      const visits = this.visits[p];
      const base = this.baseline[p];
      if (visits === 0) {
        flips[p] = NaN;
        for (const map of classFlips) map[p] = NaN;
        continue;
      }
      // Steps that kept the baseline's label are the baseline class's count; every other step flipped.
      const kept = base < this.classCount ? this.predicted[base][p] : 0;
      flips[p] = (visits - kept) / visits;
      for (let c = 0; c < this.classCount; c++) {
        const count = this.predicted[c][p];
        classFlips[c][p] = (c === base ? visits - count : count) / visits;
      }
    }
    return { flips, classFlips };
  }

  /**
   * Per class: the share of the baseline's area of the class whose label flips at some step
   * within [low, high] (the tolerated range; NaN for a class absent from the baseline).
   */
  shareFlippingWithin(low: number, high: number): number[] {
    const [lowest, highest] = [Math.fround(low), Math.fround(high)];
    const area = new Float64Array(this.classCount);
    const flipping = new Float64Array(this.classCount);
    for (let p = 0; p < this.voxels; p++) {
      const base = this.baseline[p];
      if (base >= this.classCount) continue;
      area[base]++;
      if (this.nearestAbove[p] <= highest || this.nearestBelow[p] >= lowest) flipping[base]++;
    }
    return Array.from(area, (n, c) => (n === 0 ? NaN : flipping[c] / n));
  }
}

/**
 * An index label of `voxels` voxels: voxel i holds i + 1. Moved by a spatial transform like a
 * label map (nearest neighbour, 0 outside), it says where every voxel of the result came from.
 */
export function sourceIndexLabel(voxels: number): Uint32Array {
  const index = new Uint32Array(voxels);
  for (let i = 0; i < voxels; i++) index[i] = i + 1;
  return index;
}
