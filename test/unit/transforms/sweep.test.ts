import * as assert from 'node:assert/strict';
import { expandSweep } from '../../../src/engine/transforms/sweep';
import { createRandom, deriveSeed } from '../../../src/engine/random';

describe('expandSweep', () => {
  it('includes stop when the steps land on it and rounds float drift away', () => {
    assert.deepEqual(
      expandSweep({ start: 0, stop: 1, step: 0.1 }),
      [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
    );
    assert.deepEqual(expandSweep({ start: -180, stop: 180, step: 5 }).length, 73);
    assert.deepEqual(expandSweep({ start: 0, stop: -0.55, step: -0.05 }).at(-1), -0.55);
  });

  it('stops before stop when the step overshoots', () => {
    assert.deepEqual(expandSweep({ start: 0, stop: 10, step: 4 }), [0, 4, 8]);
  });

  it('spaces log sweeps geometrically', () => {
    const values = expandSweep({ start: 0.25, stop: 4, steps: 5, scale: 'log' });
    assert.deepEqual(values, [0.25, 0.5, 1, 2, 4]);
  });

  it('refuses sweeps that never arrive', () => {
    assert.throws(() => expandSweep({ start: 0, stop: 10, step: -1 }), /never arrives/);
    assert.throws(() => expandSweep({ start: 0, stop: 10, step: 0 }), /non-zero/);
    assert.throws(() => expandSweep({ start: 0, stop: 4, steps: 3, scale: 'log' }), /positive/);
  });
});

describe('createRandom', () => {
  it('is reproducible for a seed and differs between seeds', () => {
    const a = createRandom(42),
      b = createRandom(42),
      c = createRandom(43);
    const seqA = Array.from({ length: 5 }, () => a.uniform());
    assert.deepEqual(
      seqA,
      Array.from({ length: 5 }, () => b.uniform()),
    );
    assert.notDeepEqual(
      seqA,
      Array.from({ length: 5 }, () => c.uniform()),
    );
    assert.notEqual(deriveSeed(1, 2, 3), deriveSeed(1, 3, 2));
  });

  it('draws normals with the requested mean and standard deviation', () => {
    const random = createRandom(7);
    const n = 200000;
    let sum = 0,
      sumSq = 0;
    for (let i = 0; i < n; i++) {
      const x = random.normal(3, 2);
      sum += x;
      sumSq += x * x;
    }
    const mean = sum / n;
    const sd = Math.sqrt(sumSq / n - mean * mean);
    assert.ok(Math.abs(mean - 3) < 0.02, `mean ${mean}`);
    assert.ok(Math.abs(sd - 2) < 0.02, `sd ${sd}`);
  });
});
