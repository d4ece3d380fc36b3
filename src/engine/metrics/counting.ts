/**
 * One pass over all voxels that counts every (truth class, predicted class) pair for the
 * requested classes at once.
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
  voxels: number,
  classes: readonly number[],
  source = '',
): PairCounts {
  const { lookup, minClass } = buildLookup(classes, source);
  const other = classes.length;
  const joint = new Float64Array((other + 1) * (other + 1));
  const bytes =
    pred instanceof Uint8Array && truth instanceof Uint8Array && pred.length >= voxels && truth.length >= voxels;
  if (bytes) countJointBytes(pred, truth, voxels, lookup, minClass, other, joint);
  else countJointFlat(pred, truth, voxels, lookup, minClass, other, joint);
  return { classes: [...classes], joint };
}
