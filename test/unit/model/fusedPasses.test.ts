/**
 * The 2D input path's fused passes (issue 12 item 2) give exactly the values of the passes they
 * replace: normalising while copying into float32 planes, and resizing or copying an input
 * straight into its place in the batch tensor.
 */
import * as assert from 'node:assert/strict';
import type { GeometrySpec, ModelCard, NormalizationSpec } from '../../../src/engine/model/cardTypes';
import { resizeLinear, resizeLinearInto } from '../../../src/engine/model/geometry';
import {
  applyIntensityMap,
  applyIntensityMapFrom,
  intensityMapFor,
  statisticFreeMap,
} from '../../../src/engine/model/normalize';
import {
  itemInput,
  itemInputInto,
  planItems,
  prepareImage,
  releasePrepared,
} from '../../../src/engine/model/preprocess';
import { createRandom } from '../../../src/engine/random';
import type { Volume } from '../../../src/engine/volume';

/** Float64 values that float32 rounds (transforms compute in float64). */
function float64Values(length: number, seed: number): Float64Array {
  const random = createRandom(seed);
  return Float64Array.from({ length }, () => random.uniform() * 300 - 20);
}

function image(dims: number[], channels: number, seed: number): Volume {
  const size = dims.reduce((p, n) => p * n, 1);
  return {
    data: float64Values(size * channels, seed),
    dims,
    spacing: dims.map(() => 1),
    affine: [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ],
    channels,
  };
}

function card(geometry: GeometrySpec, normalization: NormalizationSpec, channels: 1 | 3 = 1): ModelCard {
  return {
    spatialDims: 2,
    layout: 'NCHW',
    channels,
    channelMode: channels === 1 ? 'grey' : 'repeat-grey',
    orientation: 'as-stored',
    geometry: { padValue: 'min', ...geometry },
    normalization: { statistics: 'image', ...normalization },
    output: { kind: 'logits', name: 'y', layout: 'NCHW' },
    classes: ['a', 'b'],
  };
}

describe('fused passes of the 2D input path', () => {
  for (const spec of [
    { kind: 'none' },
    { kind: 'scale', factor: 1 / 255 },
    { kind: 'fixed', mean: [0.4, 0.5, 0.6], std: [0.2, 0.25, 0.3] },
  ] as NormalizationSpec[]) {
    it(`normalising while copying equals copying, then normalising (${spec.kind})`, () => {
      const size = 500,
        channels = 3;
      const source = float64Values(size * channels, 3);
      const copies = Array.from(
        { length: channels },
        (_, c) => new Float32Array(source.subarray(c * size, (c + 1) * size)),
      );
      applyIntensityMap(intensityMapFor(spec, copies), copies);
      const fused = Array.from({ length: channels }, () => new Float32Array(size));
      applyIntensityMapFrom(statisticFreeMap(spec, channels)!, source, size, fused);
      assert.deepEqual(fused, copies);
    });
  }

  it('has no statistic-free map for normalisations that need the image', () => {
    for (const kind of ['min-max', 'z-score', 'percentile'] as const)
      assert.equal(statisticFreeMap({ kind }, 1), undefined);
  });

  it('resizes into a batch at an offset exactly as into an array of its own', () => {
    const data = Float32Array.from(float64Values(2 * 37 * 29, 4));
    const alone = resizeLinear(data, [37, 29], 2, [16, 20]);
    const batch = new Float32Array(3 * alone.length).fill(-7);
    resizeLinearInto(data, [37, 29], 2, [16, 20], batch, alone.length);
    assert.deepEqual(batch.subarray(alone.length, 2 * alone.length), alone);
    assert.ok(
      batch.subarray(0, alone.length).every((v) => v === -7),
      'nothing written outside its place',
    );
    assert.ok(
      batch.subarray(2 * alone.length).every((v) => v === -7),
      'nothing written outside its place',
    );
  });

  for (const [name, model] of [
    ['resize, scale', card({ policy: 'resize', size: [16, 20] }, { kind: 'scale', factor: 1 / 255 })],
    ['resize, z-score', card({ policy: 'resize', size: [16, 20] }, { kind: 'z-score' })],
    ['same size, fixed', card({ policy: 'resize', size: [23, 17] }, { kind: 'fixed', mean: 3, std: 7 })],
    ['pad-crop, none', card({ policy: 'pad-crop', size: [30, 12], padValue: 'min' }, { kind: 'none' })],
    ['resize, RGB', card({ policy: 'resize', size: [16, 20] }, { kind: 'scale', factor: 2 }, 3)],
  ] as const) {
    it(`writes an input into the batch tensor as itemInput makes it (${name})`, () => {
      const volume = image([23, 17], model.channels, 8);
      const [item] = planItems([volume], model, 'model.onnx');
      const expected = itemInput(item, prepareImage(volume, model), model, volume.dims);
      const batch = new Float32Array(2 * expected.length);
      itemInputInto(item, prepareImage(volume, model), model, volume.dims, batch, expected.length);
      assert.deepEqual(batch.subarray(expected.length), expected);
    });
  }

  it("reuses a released image's planes for the next image of that size, with the next image's values", () => {
    const model = card({ policy: 'resize', size: [16, 20] }, { kind: 'scale', factor: 0.5 });
    const first = prepareImage(image([23, 17], 1, 1), model);
    const plane = first.planes[0];
    releasePrepared(first);
    assert.deepEqual(first.planes, [], 'a released image holds no planes');
    const next = image([23, 17], 1, 2);
    const second = prepareImage(next, model);
    assert.equal(second.planes[0], plane, 'the same array again');
    assert.deepEqual(
      second.planes[0],
      Float32Array.from(next.data, (v) => Math.fround(v) * 0.5),
    );
  });
});
