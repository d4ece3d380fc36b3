/**
 * N-dimensional transforms and the fftshift / ifftshift reordering, on arrays in engine layout
 * (first axis fastest: dims [nx, ny, nz] equal a C-order numpy array of shape (nz, ny, nx), so
 * transforming every axis here is numpy.fft.fftn over all axes).
 */
import { fftPlan } from './fft1d';

/** A complex array as two planar Float64Arrays of equal length. */
export interface ComplexArray {
  re: Float64Array;
  im: Float64Array;
}

function elementCount(dims: readonly number[]): number {
  return dims.reduce((product, n) => product * n, 1);
}

function checkLength(array: ComplexArray, dims: readonly number[]): void {
  const count = elementCount(dims);
  if (array.re.length !== count || array.im.length !== count) {
    throw new RangeError(
      `complex array holds ${array.re.length}/${array.im.length} values, dims [${dims.join(', ')}] need ${count}`,
    );
  }
}

/** Lines gathered per batch: neighbouring lines share cache lines when the axis is strided. */
const BATCH = 16;

/**
 * In-place 1D transform along one axis of every line (numpy.fft.fft / ifft with `axis`).
 * Works on batches of neighbouring lines so that strided axes are read in contiguous runs.
 */
export function fftAlongAxis(array: ComplexArray, dims: readonly number[], axis: number, inverse: boolean): void {
  checkLength(array, dims);
  const n = dims[axis];
  if (n === 1) return;
  const plan = fftPlan(n);
  const stride = elementCount(dims.slice(0, axis));
  const outer = elementCount(dims) / (stride * n);
  const batchRe = new Float64Array(BATCH * n);
  const batchIm = new Float64Array(BATCH * n);
  const { re, im } = array;
  for (let block = 0; block < outer; block++) {
    const blockStart = block * stride * n;
    for (let first = 0; first < stride; first += BATCH) {
      const count = Math.min(BATCH, stride - first);
      for (let k = 0; k < n; k++) {
        const base = blockStart + k * stride + first;
        for (let b = 0; b < count; b++) {
          batchRe[b * n + k] = re[base + b];
          batchIm[b * n + k] = im[base + b];
        }
      }
      for (let b = 0; b < count; b++) {
        const lineRe = batchRe.subarray(b * n, (b + 1) * n);
        const lineIm = batchIm.subarray(b * n, (b + 1) * n);
        if (inverse) plan.inverse(lineRe, lineIm);
        else plan.forward(lineRe, lineIm);
      }
      for (let k = 0; k < n; k++) {
        const base = blockStart + k * stride + first;
        for (let b = 0; b < count; b++) {
          re[base + b] = batchRe[b * n + k];
          im[base + b] = batchIm[b * n + k];
        }
      }
    }
  }
}

/** In-place forward transform over every axis (numpy.fft.fftn). */
export function fftn(array: ComplexArray, dims: readonly number[]): void {
  checkLength(array, dims);
  for (let axis = 0; axis < dims.length; axis++) fftAlongAxis(array, dims, axis, false);
}

/** In-place inverse transform over every axis, scaled by 1/N (numpy.fft.ifftn). */
export function ifftn(array: ComplexArray, dims: readonly number[]): void {
  checkLength(array, dims);
  for (let axis = 0; axis < dims.length; axis++) fftAlongAxis(array, dims, axis, true);
}

/**
 * Cyclic roll of every axis: out[(i + shift_d) mod n_d] = in[i]. fftshift rolls by n div 2,
 * ifftshift by −(n div 2); they differ for odd sizes.
 */
function roll(array: ComplexArray, dims: readonly number[], shifts: readonly number[]): ComplexArray {
  checkLength(array, dims);
  const count = elementCount(dims);
  const out: ComplexArray = { re: new Float64Array(count), im: new Float64Array(count) };
  // Target offset of every index along each axis, precomputed so the copy loop is flat.
  const targets = dims.map((n, axis) => {
    const stride = elementCount(dims.slice(0, axis));
    const shift = ((shifts[axis] % n) + n) % n;
    return Int32Array.from({ length: n }, (_, i) => ((i + shift) % n) * stride);
  });
  const index = new Array<number>(dims.length).fill(0);
  for (let source = 0; source < count; source++) {
    let target = 0;
    for (let axis = 0; axis < dims.length; axis++) target += targets[axis][index[axis]];
    out.re[target] = array.re[source];
    out.im[target] = array.im[source];
    for (let axis = 0; axis < dims.length; axis++) {
      if (++index[axis] < dims[axis]) break;
      index[axis] = 0;
    }
  }
  return out;
}

/** numpy.fft.fftshift over every axis: the zero frequency moves to index n div 2. */
export function fftshift(array: ComplexArray, dims: readonly number[]): ComplexArray {
  return roll(
    array,
    dims,
    dims.map((n) => Math.floor(n / 2)),
  );
}

/** numpy.fft.ifftshift over every axis: undoes fftshift, also for odd sizes. */
export function ifftshift(array: ComplexArray, dims: readonly number[]): ComplexArray {
  return roll(
    array,
    dims,
    dims.map((n) => -Math.floor(n / 2)),
  );
}
