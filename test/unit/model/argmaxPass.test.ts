/**
 * The output path's single pass over a sample's scores (finite check, first maximum, margin,
 * largest |score|) against the same facts written out value by value, and labelsOnGrid with
 * that pass against labelsOnGrid without it.
 */
import * as assert from 'node:assert/strict';
import { argmaxPass } from '../../../src/engine/model/argmaxPass';
import type { ModelCard } from '../../../src/engine/model/cardTypes';
import { labelsOnGrid } from '../../../src/engine/model/postprocess';
import { createRandom } from '../../../src/engine/random';

function randomScores(planes: number, voxels: number, seed: number): Float32Array {
  const random = createRandom(seed);
  const scores = new Float32Array(planes * voxels);
  for (let i = 0; i < scores.length; i++) scores[i] = (random.uniform() - 0.5) * 20;
  // Ties: class 2 copies class 0 on every 7th voxel (the first maximum must win).
  for (let v = 0; v < voxels; v += 7) scores[2 * voxels + v] = scores[v];
  return scores;
}

function card(policy: 'resize' | 'pad-crop', planes: number): ModelCard {
  return {
    spatialDims: 2,
    layout: 'NCHW',
    channels: 1,
    channelMode: 'grey',
    orientation: 'as-stored',
    geometry: { policy, size: [24, 20], padValue: 'min' },
    normalization: { kind: 'none', statistics: 'image' },
    output: { kind: 'logits', name: 'y', layout: 'NCHW' },
    classes: Array.from({ length: planes }, (_, c) => `class${c}`),
  };
}

describe('argmaxPass (one pass over a sample’s scores)', () => {
  it('finds the first maximum, the margin over the runner-up and the largest |score|', () => {
    const planes = 4,
      voxels = 24 * 20;
    const scores = randomScores(planes, voxels, 5);
    scores[17] = -1e6; // the largest |score| is a negative one
    const pass = argmaxPass(scores, planes, voxels)!;
    assert.equal(pass.magnitude, 1e6);
    for (let v = 0; v < voxels; v++) {
      const values = Array.from({ length: planes }, (_, c) => scores[c * voxels + v]);
      const best = values.indexOf(Math.max(...values));
      const sorted = [...values].sort((a, b) => b - a);
      assert.equal(pass.labels[v], best, `voxel ${v}`);
      assert.equal(pass.margins[v], sorted[0] - sorted[1], `voxel ${v}`);
    }
  });

  it('has an infinite margin with one plane', () => {
    const pass = argmaxPass(new Float32Array([3, -2]), 1, 2)!;
    assert.deepEqual([...pass.labels.subarray(0, 2)], [0, 0]);
    assert.deepEqual([...pass.margins.subarray(0, 2)], [Infinity, Infinity]);
  });

  for (const bad of [NaN, Infinity, -Infinity]) {
    it(`reports ${bad} anywhere in the scores (undefined)`, () => {
      const scores = randomScores(3, 50, 9);
      scores[2 * 50 + 31] = bad;
      assert.equal(argmaxPass(scores, 3, 50), undefined);
    });
  }

  for (const [policy, gridDims] of [
    ['resize', [37, 45]],
    ['resize', [24, 45]],
    ['pad-crop', [30, 16]],
  ] as const) {
    it(`gives labelsOnGrid the same labels as without it (${policy} to ${gridDims.join('×')})`, () => {
      const planes = 4,
        modelDims = [24, 20];
      const scores = randomScores(planes, 24 * 20, 11);
      const without = labelsOnGrid({ scores, planes }, card(policy, planes), modelDims, [...gridDims]);
      const argmax = argmaxPass(scores, planes, 24 * 20);
      const withPass = labelsOnGrid({ scores, planes, argmax }, card(policy, planes), modelDims, [...gridDims]);
      assert.deepEqual(withPass, without);
      assert.ok(new Set(without).size > 2, 'several labels');
    });
  }
});
