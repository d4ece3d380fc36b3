/**
 * The lines of an array along one axis (engine layout, first axis fastest), gathered BLOCK_COLUMNS
 * at a time into a block for blockFftPlan and scattered back. Line L along an axis of n points
 * with stride s starts at floor(L/s)·s·n + L mod s; neighbouring lines of a strided axis are
 * neighbours in memory, so a gather reads contiguous runs.
 */
import { BLOCK_COLUMNS } from './block';

export interface AxisLines {
  /** Points per line. */
  n: number;
  /** Distance between consecutive points of a line. */
  stride: number;
  /** Number of lines. */
  count: number;
}

/** Whole-volume storage between passes: double precision, or single where memory counts more (lineGains.ts). */
export type Samples = Float64Array | Float32Array;

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((product, n) => product * n, 1);
}

export function axisLines(dims: readonly number[], axis: number): AxisLines {
  const n = dims[axis];
  return { n, stride: elementCount(dims.slice(0, axis)), count: elementCount(dims) / n };
}

/** Start offsets of lines [first, first + count) (count ≤ BLOCK_COLUMNS) into `starts`. */
export function lineStarts(lines: AxisLines, first: number, count: number, starts: Int32Array): void {
  const { n, stride } = lines;
  for (let j = 0; j < count; j++) {
    const line = first + j;
    const offset = line % stride;
    starts[j] = (line - offset) * n + offset;
  }
}

/** block[k·columns + column0 + j] = source[starts[j] + k·stride] for j < count, k < rows. */
export function gatherLines(
  source: ArrayLike<number>,
  starts: Int32Array,
  count: number,
  stride: number,
  rows: number,
  block: Float64Array,
  columns: number,
  column0 = 0,
): void {
  for (let k = 0; k < rows; k++) {
    const base = k * stride;
    const row = k * columns + column0;
    for (let j = 0; j < count; j++) block[row + j] = source[starts[j] + base];
  }
}

/** The inverse of gatherLines: target[starts[j] + k·stride] = block[k·columns + column0 + j]. */
export function scatterLines(
  block: Float64Array,
  starts: Int32Array,
  count: number,
  stride: number,
  rows: number,
  target: Samples,
  columns: number,
  column0 = 0,
): void {
  for (let k = 0; k < rows; k++) {
    const base = k * stride;
    const row = k * columns + column0;
    for (let j = 0; j < count; j++) target[starts[j] + base] = block[row + j];
  }
}

/** Scratch blocks of `rows` × BLOCK_COLUMNS and a line-start table. */
export function scratch(rows: number): { re: Float64Array; im: Float64Array; starts: Int32Array } {
  return {
    re: new Float64Array(rows * BLOCK_COLUMNS),
    im: new Float64Array(rows * BLOCK_COLUMNS),
    starts: new Int32Array(BLOCK_COLUMNS),
  };
}
