import * as assert from 'node:assert/strict';
import { applyIntensityMap, intensityMapFor } from '../../../src/engine/model/normalize';
import type { NormalizationSpec } from '../../../src/engine/model/cardTypes';

function normalize(spec: NormalizationSpec, channels: number[][]): number[][] {
  const planes = channels.map((c) => Float32Array.from(c));
  applyIntensityMap(intensityMapFor(spec, planes), planes);
  return planes.map((p) => [...p]);
}

function assertClose(actual: number[], expected: number[], tolerance = 1e-6): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((v, i) =>
    assert.ok(
      Math.abs(v - expected[i]) <= tolerance * Math.max(1, Math.abs(expected[i])),
      `[${i}] ${v} ≠ ${expected[i]}`,
    ),
  );
}

describe('intensity normalisation', () => {
  it('z-score uses the population sd over all channels', () => {
    // 1..8: mean 4.5, population variance (8² − 1)/12 = 5.25.
    const sd = Math.sqrt(5.25);
    const [a, b] = normalize({ kind: 'z-score' }, [
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
    assertClose(
      [...a, ...b],
      [1, 2, 3, 4, 5, 6, 7, 8].map((x) => (x - 4.5) / sd),
    );
  });

  it('min-max maps onto [0, 1]; a constant image stays finite', () => {
    assertClose(normalize({ kind: 'min-max' }, [[-2, 0, 6]])[0], [0, 0.25, 1]);
    assertClose(normalize({ kind: 'min-max' }, [[3, 3]])[0], [0, 0]);
    assertClose(normalize({ kind: 'z-score' }, [[3, 3]])[0], [0, 0]);
  });

  it('percentile clips at numpy-style percentiles and scales to [0, 1]', () => {
    // 0..100 shuffled: the p-th percentile is p.
    const values = Array.from({ length: 101 }, (_, i) => (i * 37) % 101);
    const out = normalize({ kind: 'percentile', lo: 10, hi: 90 }, [values])[0];
    assertClose(
      out,
      values.map((x) => (Math.min(Math.max(x, 10), 90) - 10) / 80),
    );
    // Between order statistics: [0, 10, 20, 30] at 50 % is 15 (numpy.percentile), at 90 % is 27.
    assertClose(normalize({ kind: 'percentile', lo: 50, hi: 90 }, [[30, 0, 20, 10]])[0], [1, 0, (20 - 15) / 12, 0]);
  });

  it('fixed uses one mean/std per channel (or one for all); scale multiplies', () => {
    const [r, g, b] = normalize({ kind: 'fixed', mean: [1, 2, 3], std: [2, 4, 0.5] }, [
      [1, 3],
      [2, 6],
      [3, 4],
    ]);
    assertClose([...r, ...g, ...b], [0, 1, 0, 1, 0, 2]);
    assertClose(normalize({ kind: 'fixed', mean: 10, std: 5 }, [[0, 20]])[0], [-2, 2]);
    assertClose(normalize({ kind: 'scale', factor: 1 / 255 }, [[0, 51, 255]])[0], [0, 0.2, 1]);
    assertClose(normalize({ kind: 'none' }, [[-7, 9]])[0], [-7, 9]);
  });
});
