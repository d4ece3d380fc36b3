/**
 * Golden arrays written once by the Python generators in tools/goldens/ (numpy/scipy are the
 * independent reference) and compared here.
 *
 * File format (JSON): { "generator": "...", "cases": { "<name>": { "params": {...},
 *   "arrays": { "<name>": { "shape": [..], "dtype": "float64", "data": [...] } } } } }
 * Arrays are C-order, so numpy shape (ny, nx) equals engine dims [nx, ny].
 * Non-finite numbers are written as the strings "nan", "inf", "-inf".
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GoldenArray {
  shape: number[];
  dtype: string;
  data: number[];
}

export interface GoldenCase {
  params: Record<string, unknown>;
  arrays: Record<string, GoldenArray>;
}

export interface GoldenFile {
  generator: string;
  cases: Record<string, GoldenCase>;
}

export const GOLDEN_DIR = join(import.meta.dirname, '..', 'goldens');

function decode(value: unknown): number {
  if (value === 'nan') return NaN;
  if (value === 'inf') return Infinity;
  if (value === '-inf') return -Infinity;
  return value as number;
}

export function loadGoldens(relativePath: string): GoldenFile {
  const parsed = JSON.parse(readFileSync(join(GOLDEN_DIR, relativePath), 'utf8')) as GoldenFile;
  for (const golden of Object.values(parsed.cases)) {
    for (const array of Object.values(golden.arrays)) array.data = array.data.map(decode);
  }
  return parsed;
}

/** Engine dims ([nx, ny] / [nx, ny, nz]) for a numpy shape ((ny, nx) / (nz, ny, nx)). */
export function dimsOf(array: GoldenArray): number[] {
  return [...array.shape].reverse();
}

/**
 * Element-wise |a − e| ≤ atol + rtol·|e| (numpy.isclose). Reports the worst element and its
 * index so a failing golden says where it differs.
 */
export function assertAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  { rtol = 1e-4, atol = 1e-6, label = 'array' }: { rtol?: number; atol?: number; label?: string } = {},
): void {
  assert.equal(actual.length, expected.length, `${label}: length ${actual.length} ≠ expected ${expected.length}`);
  let worst = -1;
  let worstExcess = 0;
  let failures = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    const excess = Math.abs(a - e) - (atol + rtol * Math.abs(e));
    if (!(excess <= 0)) {
      failures++;
      if (worst < 0 || excess > worstExcess || Number.isNaN(excess)) {
        worst = i;
        worstExcess = excess;
      }
    }
  }
  if (failures > 0) {
    assert.fail(
      `${label}: ${failures} of ${expected.length} elements differ (rtol ${rtol}, atol ${atol}); ` +
        `worst at index ${worst}: got ${actual[worst]}, expected ${expected[worst]}`,
    );
  }
}
