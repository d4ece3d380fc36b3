import * as assert from 'node:assert/strict';
import { loadModel, type SegmentationModel } from '../../../src/engine/model';
import type { Volume } from '../../../src/engine/volume';
import {
  argmaxAffine,
  argmaxAffineWithMargin,
  image2d,
  modelFile,
  modelWithSidecar,
  RGB,
  SIGMOID,
  THRESHOLD,
  volume3d,
} from './fixtures';

async function withModel<T>(file: string, use: (model: SegmentationModel) => Promise<T>, options = {}): Promise<T> {
  const model = await loadModel(file, options);
  try {
    return await use(model);
  } finally {
    await model.dispose();
  }
}

/** Expected labels from a per-pixel function of the pixel index. */
function expected(count: number, labelAt: (i: number) => number): number[] {
  return Array.from({ length: count }, (_, i) => labelAt(i));
}

function zScore(values: ArrayLike<number>): number[] {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i] / n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (values[i] - mean) ** 2 / n;
  return Array.from(values, (v) => (v - mean) / Math.sqrt(variance));
}

/**
 * Compares labels where the expected winner is clear; pixels whose top two logits are within
 * 1e-4 (float32 vs float64 rounding could flip them) are not counted, and must be rare.
 */
function assertLabelsWithMargin(
  actual: ArrayLike<number>,
  expectedWithMargin: { label: number; margin: number }[],
): void {
  assert.equal(actual.length, expectedWithMargin.length);
  let close = 0;
  expectedWithMargin.forEach(({ label, margin }, i) => {
    if (margin < 1e-4) close++;
    else assert.equal(actual[i], label, `pixel ${i}`);
  });
  assert.ok(close <= actual.length / 100, `${close} near-ties`);
}

describe('SegmentationModel.predict: labels computed by hand from the known weights', () => {
  it('threshold2d: 3-class logits of one grey channel, on odd sizes, returned on the input grid', async () => {
    const image = image2d(23, 17, 1);
    const original = image.data.slice();
    const [labels] = await withModel(modelFile('threshold2d'), (m) => m.predict([image]));
    assert.deepEqual(image.data, original); // the input is not touched
    assert.ok(labels.data instanceof Uint8Array);
    assert.deepEqual(labels.dims, [23, 17]);
    assert.deepEqual(labels.spacing, image.spacing);
    assert.deepEqual(labels.affine, image.affine);
    assert.equal(labels.channels, 1);
    assert.deepEqual(
      [...labels.data],
      expected(23 * 17, (i) => argmaxAffine(THRESHOLD, [image.data[i]])),
    );
  });

  it('neighbour2d: width is the image x axis (labels come from the pixel to the right)', async () => {
    const image = image2d(13, 5, 2);
    const [labels] = await withModel(modelFile('neighbour2d'), (m) => m.predict([image]));
    assert.deepEqual(
      [...labels.data],
      expected(13 * 5, (i) => argmaxAffine(THRESHOLD, [i % 13 < 12 ? image.data[i + 1] : 0])),
    );
  });

  it('pad-to-multiple pads centred with the image minimum and removes the padding again', async () => {
    // 13 → 16 pads 1 column left and 2 right, so the last column's right neighbour is padding (= min).
    const image = image2d(13, 5, 3);
    image.data = image.data.map((v) => v + 1); // min > 1: a padded neighbour gives label 1, a zero would give 0
    const min = Math.min(...image.data);
    const file = await modelWithSidecar('neighbour2d', { geometry: { policy: 'pad-to-multiple', multiple: 8 } });
    const [labels] = await withModel(file, (m) => m.predict([image]));
    assert.deepEqual(
      [...labels.data],
      expected(13 * 5, (i) => argmaxAffine(THRESHOLD, [i % 13 < 12 ? image.data[i + 1] : min])),
    );
  });

  it('nhwc (no metadata): RGB in channels-last, z-score by default, logits channels-last', async () => {
    const image = image2d(9, 7, 4, 3);
    const z = zScore(image.data); // over all three channels together
    const voxels = 9 * 7;
    const [rgb, grey] = await withModel(modelFile('nhwc'), (m) => m.predict([image, image2d(9, 7, 5)]));
    assertLabelsWithMargin(
      rgb.data,
      expected(voxels, (i) => i).map((i) => argmaxAffineWithMargin(RGB, [z[i], z[voxels + i], z[2 * voxels + i]])),
    );
    // A grey image is repeated into the three channels.
    const zg = zScore(image2d(9, 7, 5).data);
    assertLabelsWithMargin(
      grey.data,
      zg.map((v) => argmaxAffineWithMargin(RGB, [v, v, v])),
    );
  });

  it('three_channel (NCHW): RGB as is, grey repeated; a 1-channel model takes the mean of RGB', async () => {
    const rgbImage = image2d(8, 6, 6, 3);
    const greyImage = image2d(8, 6, 7);
    const n = 48;
    const [rgb, grey] = await withModel(modelFile('three_channel'), (m) => m.predict([rgbImage, greyImage]));
    const d = rgbImage.data;
    assertLabelsWithMargin(
      rgb.data,
      expected(n, (i) => i).map((i) => argmaxAffineWithMargin(RGB, [d[i], d[n + i], d[2 * n + i]])),
    );
    assertLabelsWithMargin(
      grey.data,
      Array.from(greyImage.data, (v) => argmaxAffineWithMargin(RGB, [v, v, v])),
    );
    const [mean] = await withModel(modelFile('threshold2d'), (m) => m.predict([rgbImage]));
    assertLabelsWithMargin(
      mean.data,
      expected(n, (i) => i).map((i) => argmaxAffineWithMargin(THRESHOLD, [(d[i] + d[n + i] + d[2 * n + i]) / 3])),
    );
  });

  it('labels_out: an int64 label map from ArgMax inside the model', async () => {
    const image = image2d(11, 4, 8);
    const z = zScore(image.data); // labels_out states no normalisation: z-score is assumed
    const [labels] = await withModel(modelFile('labels_out'), (m) => m.predict([image]));
    assertLabelsWithMargin(
      labels.data,
      z.map((v) => argmaxAffineWithMargin(THRESHOLD, [v])),
    );
  });

  it('sigmoid_out: highest channel at or above 0.5 wins (label = channel + 1), none is background', async () => {
    const image = image2d(12, 10, 9);
    image.data = image.data.map((v) => v * 1.5); // 0..4.5 so that channel 2 sometimes beats channel 1
    const [labels] = await withModel(modelFile('sigmoid_out'), (m) => m.predict([image]));
    const byHand = (x: number) => {
      const p = SIGMOID.W.map((w, c) => 1 / (1 + Math.exp(-(w[0] * x + SIGMOID.B[c]))));
      let label = 0;
      p.forEach((pc, c) => {
        if (pc >= 0.5 && (label === 0 || pc > p[label - 1])) label = c + 1;
      });
      return label;
    };
    const values = [...image.data];
    assert.deepEqual([...labels.data], values.map(byHand));
    assert.deepEqual(new Set(labels.data), new Set([0, 1, 2]));
  });

  it('sigmoid_probs (a Sigmoid inside the model, card silent on it): the same labels as sigmoid_out, not all foreground', async () => {
    const image = image2d(12, 10, 9);
    image.data = image.data.map((v) => v * 1.5);
    const [raw] = await withModel(modelFile('sigmoid_out'), (m) => m.predict([image]));
    const [probabilities] = await withModel(modelFile('sigmoid_probs'), async (m) => {
      assert.equal(m.card.output.sigmoidApplied, true);
      return m.predict([image]);
    });
    assert.deepEqual([...probabilities.data], [...raw.data]);
    assert.ok(probabilities.data.includes(0), 'some background');
  });

  it('seg3d: a 3D model; depth is the volume z axis (labels come from the voxel above)', async () => {
    const volume = volume3d([6, 5, 7], 10);
    const [labels] = await withModel(modelFile('seg3d'), (m) => m.predict([volume]));
    assert.deepEqual(labels.dims, [6, 5, 7]);
    const plane = 30;
    assert.deepEqual(
      [...labels.data],
      expected(6 * 5 * 7, (i) => argmaxAffine(THRESHOLD, [i + plane < 6 * 5 * 7 ? volume.data[i + plane] : 0])),
    );
  });
});

describe('SegmentationModel.predict: a 2D model on volumes', () => {
  /** Slice k of a [nx, ny, nz] volume along `axis` as a 2D Volume (remaining axes in order). */
  function slice(volume: Volume, axis: number, k: number): Volume {
    const [nx, ny, nz] = volume.dims;
    const at = (x: number, y: number, z: number) => volume.data[x + nx * (y + ny * z)];
    const [w, h] = [
      [ny, nz],
      [nx, nz],
      [nx, ny],
    ][axis];
    const data = new Float32Array(w * h);
    for (let v = 0; v < h; v++)
      for (let u = 0; u < w; u++) {
        data[u + w * v] = axis === 0 ? at(k, u, v) : axis === 1 ? at(u, k, v) : at(u, v, k);
      }
    return { data, dims: [w, h], spacing: [1, 1], affine: volume.affine, channels: 1 };
  }

  for (const axis of [0, 1, 2] as const) {
    it(`slices along axis ${axis} and stacks per-slice predictions`, async () => {
      const volume = volume3d([7, 6, 5], 20 + axis);
      const [nx, ny, nz] = volume.dims;
      const file = await modelWithSidecar('neighbour2d', { sliceAxis: axis });
      const { stacked, slices } = await withModel(file, async (m) => ({
        stacked: (await m.predict([volume]))[0],
        slices: await m.predict(Array.from({ length: volume.dims[axis] }, (_, k) => slice(volume, axis, k))),
      }));
      assert.deepEqual(stacked.dims, volume.dims);
      // Voxel (x, y, z) is pixel (u, v) of slice k; its label comes from pixel (u + 1, v).
      for (let z = 0; z < nz; z++)
        for (let y = 0; y < ny; y++)
          for (let x = 0; x < nx; x++) {
            const [k, u, v, w] = axis === 0 ? [x, y, z, ny] : axis === 1 ? [y, x, z, nx] : [z, x, y, nx];
            const i = x + nx * (y + ny * z);
            assert.equal(stacked.data[i], slices[k].data[u + w * v], `voxel ${x},${y},${z}`);
            const right = u + 1 < w ? volume.data[axis === 0 ? i + nx : i + 1] : 0;
            assert.equal(stacked.data[i], argmaxAffine(THRESHOLD, [right]), `voxel ${x},${y},${z}`);
          }
    });
  }

  it('normalises with the whole volume by default, or each slice with statistics "slice"', async () => {
    const volume = volume3d([6, 4, 3], 30);
    volume.data = volume.data.map((v, i) => v + Math.floor(i / 24)); // slices differ in brightness
    const z = zScore(volume.data);
    const image = await modelWithSidecar('threshold2d', { normalization: { kind: 'z-score' } });
    const [whole] = await withModel(image, (m) => m.predict([volume]));
    assertLabelsWithMargin(
      whole.data,
      z.map((v) => argmaxAffineWithMargin(THRESHOLD, [v])),
    );
    const perSlice = await modelWithSidecar('threshold2d', { normalization: { kind: 'z-score', statistics: 'slice' } });
    const [sliced] = await withModel(perSlice, (m) => m.predict([volume]));
    const zs = [0, 1, 2].flatMap((k) => zScore(volume.data.subarray(24 * k, 24 * (k + 1))));
    assertLabelsWithMargin(
      sliced.data,
      zs.map((v) => argmaxAffineWithMargin(THRESHOLD, [v])),
    );
    assert.notDeepEqual([...whole.data], [...sliced.data]);
  });
});

describe('SegmentationModel.predict: batching and abort', () => {
  it('7 images of two sizes in batches of 3 equal one-by-one predictions, in order', async () => {
    const images = [0, 1, 2, 3, 4, 5, 6].map((i) => (i % 3 === 1 ? image2d(10, 6, 40 + i) : image2d(12, 9, 40 + i)));
    await withModel(
      modelFile('neighbour2d'),
      async (m) => {
        assert.equal(m.maxBatch, 3);
        const together = await m.predict(images);
        for (let i = 0; i < images.length; i++) {
          const [alone] = await m.predict([images[i]]);
          assert.deepEqual(together[i].dims, images[i].dims);
          assert.deepEqual([...together[i].data], [...alone.data], `image ${i}`);
        }
      },
      { batchSize: 3 },
    );
  });

  it('a fixed batch of 1 takes one image per call', async () => {
    await withModel(
      modelFile('fixed128'),
      async (m) => {
        assert.equal(m.maxBatch, 1);
        const out = await m.predict([image2d(128, 128, 50), image2d(128, 128, 51)]);
        assert.equal(out.length, 2);
      },
      { batchSize: 4 },
    );
  });

  it('rejects with AbortError when aborted before or between batches, and stays usable', async () => {
    const images = Array.from({ length: 7 }, (_, i) => image2d(16, 16, 60 + i));
    await withModel(
      modelFile('threshold2d'),
      async (m) => {
        const before = new AbortController();
        before.abort();
        await assert.rejects(m.predict(images, before.signal), { name: 'AbortError' });
        const during = new AbortController();
        const running = m.predict(images, during.signal);
        setImmediate(() => during.abort()); // fires after the first batch has started
        await assert.rejects(running, { name: 'AbortError' });
        const [again] = await m.predict([images[0]]);
        assert.deepEqual(
          [...again.data],
          expected(256, (i) => argmaxAffine(THRESHOLD, [images[0].data[i]])),
        );
      },
      { batchSize: 2 },
    );
  });
});
