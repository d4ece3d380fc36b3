import { MisasInputError } from '../errors';
import { isIntegerArray, voxelCount, type Volume } from '../volume';

/** Relative tolerance for "same spacing": headers written by different tools round differently. */
const SPACING_RTOL = 1e-5;

function dimsText(dims: readonly number[]): string {
  return dims.join('×');
}

/** A label map must hold one channel of integer labels, as many as its dims say. */
function checkLabelMap(volume: Volume, role: string, source: string): void {
  if (volume.channels !== 1)
    throw new MisasInputError(source, `the ${role} has ${volume.channels} channels; a label map has 1`);
  if (!isIntegerArray(volume.data))
    throw new MisasInputError(source, `the ${role} holds floating-point values; a label map needs an integer array`);
  const expected = voxelCount(volume.dims);
  if (volume.data.length !== expected) {
    throw new MisasInputError(
      source,
      `the ${role} has ${volume.data.length} values for a ${dimsText(volume.dims)} grid (${expected})`,
    );
  }
}

/** Throws MisasInputError unless prediction and ground truth are label maps on the same grid. */
export function checkSameGrid(pred: Volume, truth: Volume, source = ''): void {
  checkLabelMap(pred, 'prediction', source);
  checkLabelMap(truth, 'ground truth', source);
  const sameDims = pred.dims.length === truth.dims.length && pred.dims.every((n, axis) => n === truth.dims[axis]);
  if (!sameDims) {
    throw new MisasInputError(
      source,
      `prediction grid ${dimsText(pred.dims)} differs from ground-truth grid ${dimsText(truth.dims)}`,
    );
  }
  const sameSpacing =
    pred.spacing.length === truth.spacing.length &&
    pred.spacing.every(
      (s, axis) =>
        Math.abs(s - truth.spacing[axis]) <= SPACING_RTOL * Math.max(Math.abs(s), Math.abs(truth.spacing[axis])),
    );
  if (!sameSpacing) {
    throw new MisasInputError(
      source,
      `prediction spacing ${dimsText(pred.spacing)} mm differs from ground-truth spacing ${dimsText(truth.spacing)} mm`,
    );
  }
}

/** Surface distances are in mm, so every axis needs a positive finite voxel size. */
export function checkSpacing(volume: Volume, source = ''): void {
  const ok = volume.spacing.length === volume.dims.length && volume.spacing.every((s) => Number.isFinite(s) && s > 0);
  if (!ok)
    throw new MisasInputError(source, `voxel spacing ${dimsText(volume.spacing)} is not one positive size per axis`);
}
