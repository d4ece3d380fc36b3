import * as assert from 'node:assert/strict';
import type { ModelCard } from '../../../src/engine/model/cardTypes';
import { labelsOnGrid } from '../../../src/engine/model/postprocess';
import { createRandom } from '../../../src/engine/random';

/**
 * labelsOnGrid decides resized 2D outputs while resampling and skips the arithmetic where all
 * four model-grid neighbours agree by a safe margin. The reference here is written out from the
 * rule alone: per class, bilinear half-pixel resampling (x pass, then y pass, in float64, the
 * result rounded to float32, as resizeLinear and onnxruntime's Resize do), then argmax with
 * the first maximum winning (or the sigmoid threshold rule). The labels must agree everywhere.
 */
function referenceLabels(
  scores: Float32Array,
  planes: number,
  [mx, my]: number[],
  [gx, gy]: number[],
  decide: (values: number[]) => number,
): Uint8Array {
  const source = (i: number, nIn: number, nOut: number) =>
    Math.min(Math.max((i + 0.5) * (nIn / nOut) - 0.5, 0), nIn - 1);
  const taps = (nIn: number, nOut: number) =>
    Array.from({ length: nOut }, (_, i) => {
      const c = source(i, nIn, nOut);
      const lo = Math.floor(c);
      return { lo, hi: Math.min(lo + 1, nIn - 1), w1: c - lo, w0: 1 - (c - lo) };
    });
  const xs = taps(mx, gx),
    ys = taps(my, gy);
  const labels = new Uint8Array(gx * gy);
  for (let y = 0; y < gy; y++) {
    for (let x = 0; x < gx; x++) {
      const values = Array.from({ length: planes }, (_, c) => {
        const at = (u: number, v: number) => scores[c * mx * my + u + mx * v];
        const row = (v: number) => (mx === gx ? at(x, v) : at(xs[x].lo, v) * xs[x].w0 + at(xs[x].hi, v) * xs[x].w1);
        return Math.fround(my === gy ? row(y) : row(ys[y].lo) * ys[y].w0 + row(ys[y].hi) * ys[y].w1);
      });
      labels[x + gx * y] = decide(values);
    }
  }
  return labels;
}

const firstMaximum = (values: number[]) => values.reduce((best, v, c) => (v > values[best] ? c : best), 0);

function card(kind: 'logits' | 'sigmoid', classes: number, threshold = 0.5): ModelCard {
  return {
    spatialDims: 2,
    layout: 'NCHW',
    channels: 1,
    channelMode: 'grey',
    orientation: 'as-stored',
    geometry: { policy: 'resize', size: [24, 20], padValue: 'min' },
    normalization: { kind: 'none', statistics: 'image' },
    output: { kind, name: 'y', layout: 'NCHW', threshold, sigmoidApplied: false },
    classes: Array.from({ length: classes }, (_, c) => `class${c}`),
  };
}

/** The next float32 above v (v a float32). */
function nextUp(v: number): number {
  const f = new Float32Array([v]);
  const bits = new Int32Array(f.buffer);
  if (v === 0) return 2 ** -149;
  bits[0] += v > 0 ? 1 : -1;
  return f[0];
}

/**
 * Smooth score fields (large regions with one winner), with near-ties planted: class 1 copies
 * class 0 exactly, or within a few float32 ulps, on a random third of the pixels; and on the
 * left quarter class 1 beats class 0 by one ulp everywhere (the others far below), where
 * resampling rounds many pairs to a tie that class 0 then wins.
 */
function smoothScores(dims: number[], planes: number, seed: number, scale: number): Float32Array {
  const random = createRandom(seed);
  const [w, h] = dims,
    voxels = w * h;
  const scores = new Float32Array(planes * voxels);
  const waves = Array.from({ length: planes }, () => [
    random.uniform() * 0.6,
    random.uniform() * 0.6,
    random.uniform() * 6,
  ]);
  for (let c = 0; c < planes; c++) {
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        scores[c * voxels + x + w * y] = scale * Math.sin(waves[c][0] * x + waves[c][1] * y + waves[c][2]);
  }
  const bits = new Int32Array(scores.buffer);
  for (let v = 0; v < voxels; v++) {
    if (random.uniform() > 1 / 3) continue;
    scores[voxels + v] = scores[v];
    bits[voxels + v] += Math.floor(random.uniform() * 5) - 2;
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w / 4; x++) {
      const v = x + w * y;
      scores[voxels + v] = nextUp(scores[v]);
      for (let c = 2; c < planes; c++) scores[c * voxels + v] = scores[v] - 3 * scale;
    }
  }
  return scores;
}

describe('labelsOnGrid with resize (labels decided while resampling)', () => {
  const grids: [number[], number[]][] = [
    [
      [24, 20],
      [37, 45],
    ], // up on both axes
    [
      [40, 36],
      [17, 22],
    ], // down on both axes
    [
      [24, 20],
      [24, 31],
    ], // x unchanged
    [
      [24, 20],
      [50, 20],
    ], // y unchanged
  ];
  for (const [modelDims, gridDims] of grids) {
    for (const scale of [1e-3, 1, 1e4]) {
      it(`argmax equals resample-then-argmax for ${modelDims.join('×')} → ${gridDims.join('×')}, scores ×${scale}, with near-ties`, () => {
        const planes = 4;
        const scores = smoothScores(modelDims, planes, modelDims[0] + gridDims[1] + scale, scale);
        const ours = labelsOnGrid({ scores, planes }, card('logits', planes), modelDims, gridDims);
        assert.deepEqual(ours, referenceLabels(scores, planes, modelDims, gridDims, firstMaximum));
        assert.ok(new Set(ours).size >= 3, 'the fields give several classes');
      });
    }
  }

  it('argmax on noise (no shared winners) and with NaN scores equals the reference', () => {
    const random = createRandom(4);
    const modelDims = [16, 12],
      gridDims = [29, 23],
      planes = 3;
    const scores = Float32Array.from({ length: planes * 16 * 12 }, () => random.uniform() * 4 - 2);
    assert.deepEqual(
      labelsOnGrid({ scores, planes }, card('logits', planes), modelDims, gridDims),
      referenceLabels(scores, planes, modelDims, gridDims, firstMaximum),
    );
    scores[5] = NaN;
    scores[16 * 12 + 40] = NaN;
    assert.deepEqual(
      labelsOnGrid({ scores, planes }, card('logits', planes), modelDims, gridDims),
      referenceLabels(scores, planes, modelDims, gridDims, firstMaximum),
    );
  });

  it('sigmoid outputs: the highest plane at or above the threshold (in logit space) gives plane + 1', () => {
    const modelDims = [24, 20],
      gridDims = [31, 17],
      planes = 2;
    const scores = smoothScores(modelDims, planes, 9, 2);
    const threshold = 0.7,
      logit = Math.log(threshold / (1 - threshold));
    const rule = (values: number[]) =>
      values.reduce((label, v, c) => (v >= logit && (label === 0 || v > values[label - 1]) ? c + 1 : label), 0);
    assert.deepEqual(
      labelsOnGrid({ scores, planes }, card('sigmoid', planes + 1, threshold), modelDims, gridDims),
      referenceLabels(scores, planes, modelDims, gridDims, rule),
    );
  });
});
