/**
 * One pass over all voxels that counts every (truth class, predicted class) pair for the
 * requested classes at once, and optionally the bounding box of each class (prediction ∪
 * truth) so that surface distances can work on a crop instead of the whole grid.
 */
import { MisasInputError } from '../errors';
import type { VoxelArray } from '../volume';

/** A lookup table indexed by label − minClass; wider class ranges than this are refused. */
const MAX_LABEL_SPAN = 1 << 20;
/** The joint table is (classes+1)² numbers. */
const MAX_CLASSES = 1024;

export interface PairCounts {
  classes: number[];
  /**
   * joint[g·(K+1) + p] = voxels whose truth is in slot g and prediction in slot p, where slot i < K
   * is classes[i] and slot K collects every label that is not a requested class.
   */
  joint: Float64Array;
  /**
   * For slots asked for in `boxesFor`: [lo0, hi0, lo1, hi1, …] (inclusive voxel indices per axis) of
   * the voxels where prediction or truth is that class; lo > hi when the class is absent.
   */
  boxes: Map<number, Int32Array>;
}

function buildLookup(classes: readonly number[], source: string): { lookup: Int32Array; minClass: number } {
  if (classes.length === 0) throw new MisasInputError(source, 'no classes to evaluate');
  if (classes.length > MAX_CLASSES)
    throw new MisasInputError(source, `${classes.length} classes requested; at most ${MAX_CLASSES} are supported`);
  for (const c of classes)
    if (!Number.isInteger(c)) throw new MisasInputError(source, `class ${c} is not an integer label`);
  const minClass = Math.min(...classes);
  const span = Math.max(...classes) - minClass + 1;
  if (span > MAX_LABEL_SPAN)
    throw new MisasInputError(source, `class labels span ${span} values; at most ${MAX_LABEL_SPAN} are supported`);
  const other = classes.length;
  const lookup = new Int32Array(span).fill(other);
  classes.forEach((c, slot) => {
    if (lookup[c - minClass] !== other) throw new MisasInputError(source, `class ${c} is listed twice`);
    lookup[c - minClass] = slot;
  });
  return { lookup, minClass };
}

/** dims padded to three axes so 2D and 3D share one loop. */
function asThreeAxes(dims: readonly number[]): [number, number, number] {
  if (dims.length > 3) throw new RangeError(`label maps have 2 or 3 axes, got ${dims.length}`);
  return [dims[0] ?? 1, dims[1] ?? 1, dims[2] ?? 1];
}

/*
 * The two flat counters below add up runs of equal consecutive cells in a register and write
 * each run once: label maps are mostly long runs, and a ++ per voxel on the same table cell is
 * a chain of dependent memory round trips.
 */

/** joint[slotG·stride + slotP] += 1 per voxel, slot(v) = lookup[v − minClass] inside the table, `other` outside. */
function countJointFlat(
  pred: VoxelArray,
  truth: VoxelArray,
  voxels: number,
  lookup: Int32Array,
  minClass: number,
  other: number,
  joint: Float64Array,
): void {
  const span = lookup.length;
  const stride = other + 1;
  let cell = -1,
    run = 0;
  for (let i = 0; i < voxels; i++) {
    const p = pred[i] - minClass;
    const g = truth[i] - minClass;
    const slotP = p >= 0 && p < span ? lookup[p] : other;
    const slotG = g >= 0 && g < span ? lookup[g] : other;
    const at = slotG * stride + slotP;
    if (at === cell) {
      run++;
    } else {
      if (run > 0) joint[cell] += run;
      cell = at;
      run = 1;
    }
  }
  if (run > 0) joint[cell] += run;
}

/** The same for byte label maps (the usual case): one table entry per possible byte value. */
function countJointBytes(
  pred: Uint8Array,
  truth: Uint8Array,
  voxels: number,
  lookup: Int32Array,
  minClass: number,
  other: number,
  joint: Float64Array,
): void {
  const stride = other + 1;
  const predSlot = new Int32Array(256);
  const truthRow = new Int32Array(256);
  for (let v = 0; v < 256; v++) {
    const at = v - minClass;
    const slot = at >= 0 && at < lookup.length ? lookup[at] : other;
    predSlot[v] = slot;
    truthRow[v] = slot * stride;
  }
  let cell = -1,
    run = 0;
  for (let i = 0; i < voxels; i++) {
    const at = truthRow[truth[i]] + predSlot[pred[i]];
    if (at === cell) {
      run++;
    } else {
      if (run > 0) joint[cell] += run;
      cell = at;
      run = 1;
    }
  }
  if (run > 0) joint[cell] += run;
}

export function countPairs(
  pred: VoxelArray,
  truth: VoxelArray,
  dims: readonly number[],
  classes: readonly number[],
  boxesFor: readonly number[] = [],
  source = '',
): PairCounts {
  const { lookup, minClass } = buildLookup(classes, source);
  const other = classes.length;
  const stride = other + 1;
  const span = lookup.length;
  const joint = new Float64Array(stride * stride);
  const [nx, ny, nz] = asThreeAxes(dims);
  const boxes = new Map<number, Int32Array>();
  if (boxesFor.length === 0) {
    const voxels = nx * ny * nz;
    const bytes =
      pred instanceof Uint8Array && truth instanceof Uint8Array && pred.length >= voxels && truth.length >= voxels;
    if (bytes) countJointBytes(pred, truth, voxels, lookup, minClass, other, joint);
    else countJointFlat(pred, truth, voxels, lookup, minClass, other, joint);
    return { classes: [...classes], joint, boxes };
  }

  // Per slot: does it want a box, and the running box [x0, x1, y0, y1, z0, z1].
  const wantsBox = new Uint8Array(stride);
  for (const slot of boxesFor) wantsBox[slot] = 1;
  const box = new Int32Array(6 * stride);
  for (let slot = 0; slot < stride; slot++) box.set([nx, -1, ny, -1, nz, -1], 6 * slot);
  const grow = (slot: number, x: number, y: number, z: number): void => {
    const b = 6 * slot;
    if (x < box[b]) box[b] = x;
    if (x > box[b + 1]) box[b + 1] = x;
    if (y < box[b + 2]) box[b + 2] = y;
    if (y > box[b + 3]) box[b + 3] = y;
    if (z < box[b + 4]) box[b + 4] = z;
    if (z > box[b + 5]) box[b + 5] = z;
  };

  let i = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        const p = pred[i] - minClass;
        const g = truth[i] - minClass;
        const slotP = p >= 0 && p < span ? lookup[p] : other;
        const slotG = g >= 0 && g < span ? lookup[g] : other;
        joint[slotG * stride + slotP]++;
        if (wantsBox[slotP]) grow(slotP, x, y, z);
        if (slotG !== slotP && wantsBox[slotG]) grow(slotG, x, y, z);
      }
    }
  }

  for (const slot of boxesFor) boxes.set(slot, box.slice(6 * slot, 6 * slot + 2 * dims.length));
  return { classes: [...classes], joint, boxes };
}
