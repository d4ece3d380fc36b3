import * as assert from 'node:assert/strict';
import { createRandom } from '../../../../src/engine/random';
import { elasticField } from '../../../../src/engine/transforms/spatial/elasticField';
import { context, lcgValues, spec, volume, withDefaults } from './helpers';

describe('elastic deformation', () => {
  const elastic = spec('elastic');
  const image = volume(lcgValues(30 * 22, 8), [30, 22]);

  it('is reproducible for a seed and changes with the seed', () => {
    const run = (seed: number): number[] =>
      Array.from(elastic.apply({ image }, 4, withDefaults(elastic), context(seed)).image.data);
    assert.deepEqual(run(42), run(42));
    assert.notDeepEqual(run(42), run(43));
    assert.notDeepEqual(run(42), Array.from(image.data));
  });

  it('draws a field whose largest displacement is the magnitude, fixed at the border', () => {
    const [width, height] = [30, 22];
    const field = elasticField(width, height, 6, 7, createRandom(5));
    let largest = 0;
    for (let i = 0; i < field.dx.length; i++) largest = Math.max(largest, Math.hypot(field.dx[i], field.dy[i]));
    assert.ok(Math.abs(largest - 6) < 1e-9, `largest displacement ${largest}`);
    for (let x = 0; x < width; x++) {
      for (const y of [0, height - 1]) assert.equal(Math.hypot(field.dx[x + width * y], field.dy[x + width * y]), 0);
    }
    for (let y = 0; y < height; y++) {
      for (const x of [0, width - 1]) assert.equal(Math.hypot(field.dx[x + width * y], field.dy[x + width * y]), 0);
    }
  });

  it('is smooth: neighbouring displacements differ far less than the magnitude', () => {
    const [width, height] = [40, 40];
    const field = elasticField(width, height, 8, 5, createRandom(9));
    let steepest = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x + 1 < width; x++) {
        const i = x + width * y;
        steepest = Math.max(steepest, Math.abs(field.dx[i + 1] - field.dx[i]), Math.abs(field.dy[i + 1] - field.dy[i]));
      }
    }
    // A control cell spans 10 px here; a cubic across it cannot jump by more than a fraction of 8 px per pixel.
    assert.ok(steepest > 0 && steepest < 2, `steepest step ${steepest}`);
  });

  it('scales one field with the magnitude for a given seed', () => {
    const small = elasticField(20, 16, 2, 6, createRandom(77));
    const large = elasticField(20, 16, 5, 6, createRandom(77));
    for (let i = 0; i < small.dx.length; i++) {
      assert.ok(Math.abs(large.dx[i] - 2.5 * small.dx[i]) < 1e-9);
      assert.ok(Math.abs(large.dy[i] - 2.5 * small.dy[i]) < 1e-9);
    }
  });
});
