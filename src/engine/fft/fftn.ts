/**
 * N-dimensional transforms and the fftshift / ifftshift reordering, on arrays in engine layout
 * (first axis fastest: dims [nx, ny, nz] equal a C-order numpy array of shape (nz, ny, nx), so
 * transforming every axis here is numpy.fft.fftn over all axes).
 */
import { BLOCK_COLUMNS } from './block';
import { blockFftPlan } from './blockPlan';
import { axisLines, elementCount, gatherLines, lineStarts, scatterLines, scratch, type Samples } from './lines';

/** A complex array as two planar Float64Arrays of equal length. */
export interface ComplexArray {
  re: Float64Array;
  im: Float64Array;
}

/** Planar complex values in either precision (the transforms compute in double either way). */
export interface ComplexSamples {
  re: Samples;
  im: Samples;
}

function checkLength(array: ComplexSamples, dims: readonly number[]): void {
  const count = elementCount(dims);
  if (array.re.length !== count || array.im.length !== count) {
    throw new RangeError(
      `complex array holds ${array.re.length}/${array.im.length} values, dims [${dims.join(', ')}] need ${count}`,
    );
  }
}

/**
 * In-place 1D transform along one axis of every line (numpy.fft.fft / ifft with `axis`), a block
 * of neighbouring lines at a time (block.ts).
 */
export function fftAlongAxis(array: ComplexSamples, dims: readonly number[], axis: number, inverse: boolean): void {
  checkLength(array, dims);
  const lines = axisLines(dims, axis);
  if (lines.n === 1) return;
  const plan = blockFftPlan(lines.n);
  const block = scratch(lines.n);
  for (let first = 0; first < lines.count; first += BLOCK_COLUMNS) {
    const count = Math.min(BLOCK_COLUMNS, lines.count - first);
    lineStarts(lines, first, count, block.starts);
    gatherLines(array.re, block.starts, count, lines.stride, lines.n, block.re, count);
    gatherLines(array.im, block.starts, count, lines.stride, lines.n, block.im, count);
    if (inverse) plan.inverse(block.re, block.im, count);
    else plan.forward(block.re, block.im, count);
    scatterLines(block.re, block.starts, count, lines.stride, lines.n, array.re, count);
    scatterLines(block.im, block.starts, count, lines.stride, lines.n, array.im, count);
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
