import * as assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { loadModel } from '../../../src/engine/model';
import type { Volume } from '../../../src/engine/volume';
import { argmaxAffine, image2d, modelFile, modelWithSidecar, THRESHOLD } from './fixtures';

/** onnxruntime's own Resize (linear, half_pixel) of [C, H, W] planes: the reference resampler. */
async function referenceResize(
  session: ort.InferenceSession,
  data: Float32Array,
  channels: number,
  dims: number[],
  outDims: number[],
): Promise<Float32Array> {
  const out = await session.run({
    x: new ort.Tensor('float32', data, [1, channels, dims[1], dims[0]]),
    sizes: new ort.Tensor('int64', BigInt64Array.from([1, channels, outDims[1], outDims[0]].map(BigInt)), [4]),
  });
  return out.y.data as Float32Array;
}

/**
 * The whole resize round trip rebuilt from independent parts: onnxruntime Resize to 128×128,
 * the known per-pixel logits, Resize of the logits back to the image grid, argmax.
 */
async function referenceLabels(image: Volume): Promise<number[]> {
  const session = await ort.InferenceSession.create(modelFile('resize_ref2d'));
  try {
    const [nx, ny] = image.dims;
    const model = await referenceResize(session, Float32Array.from(image.data), 1, [nx, ny], [128, 128]);
    const n = 128 * 128;
    const logits = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) THRESHOLD.W.forEach((w, c) => (logits[c * n + i] = w[0] * model[i] + THRESHOLD.B[c]));
    const back = await referenceResize(session, logits, 3, [128, 128], [nx, ny]);
    return Array.from({ length: nx * ny }, (_, i) => {
      const p = [0, 1, 2].map((c) => back[c * nx * ny + i]);
      return p.indexOf(Math.max(...p));
    });
  } finally {
    await session.release();
  }
}

/** An image of 6×5 constant blocks, so that block interiors have exactly known labels. */
function blockImage(nx: number, ny: number): Volume {
  const levels = [0.3, 1.3, 2.6, 1.7, 0.8, 2.2];
  const data = new Float32Array(nx * ny);
  for (let y = 0; y < ny; y++)
    for (let x = 0; x < nx; x++) {
      data[x + nx * y] = levels[(Math.floor((x * 6) / nx) + Math.floor((y * 5) / ny)) % 6];
    }
  return { data, dims: [nx, ny], spacing: [1, 1], affine: image2d(1, 1, 0).affine, channels: 1 };
}

function agreement(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

describe('geometry round trip (fixed 128×128 model)', () => {
  it('resize: labels come back on the input grid, equal to resampled logits → argmax', async () => {
    const model = await loadModel(modelFile('fixed128'));
    try {
      for (const [nx, ny] of [
        [40, 30],
        [300, 200],
        [77, 128],
      ]) {
        const image = image2d(nx, ny, nx);
        const [labels] = await model.predict([image]);
        assert.deepEqual(labels.dims, [nx, ny]);
        const reference = await referenceLabels(image);
        // Both sides compute in float32 with a different order of operations: only near-ties may differ.
        assert.ok(
          agreement(labels.data, reference) >= 0.999,
          `${nx}×${ny}: agreement ${agreement(labels.data, reference)}`,
        );
      }
    } finally {
      await model.dispose();
    }
  });

  it('resize: block interiors keep their exact labels, and an image of the model size is not resampled', async () => {
    const model = await loadModel(modelFile('fixed128'));
    try {
      const image = blockImage(60, 45);
      const [labels] = await model.predict([image]);
      for (let y = 0; y < 45; y++)
        for (let x = 0; x < 60; x++) {
          const bx = (x * 6) % 60,
            by = (y * 5) % 45; // position inside the block, in block units × 60 / 45
          const interior = bx >= 12 && bx < 48 && by >= 10 && by < 35; // ≥ 2 px from every block edge
          if (interior)
            assert.equal(labels.data[x + 60 * y], argmaxAffine(THRESHOLD, [image.data[x + 60 * y]]), `pixel ${x},${y}`);
        }
      const same = image2d(128, 128, 70);
      const [exact] = await model.predict([same]);
      assert.deepEqual(
        [...exact.data],
        Array.from(same.data, (v) => argmaxAffine(THRESHOLD, [v])),
      );
    } finally {
      await model.dispose();
    }
  });

  it('pad-crop: centred crop and pad, cropped-away pixels are background', async () => {
    // 150 → 128 crops 11 columns left and right; 100 → 128 pads 14 rows above and below.
    const file = await modelWithSidecar('fixed128', { geometry: { policy: 'pad-crop' } });
    const model = await loadModel(file);
    try {
      const image = image2d(150, 100, 80);
      const [labels] = await model.predict([image]);
      assert.deepEqual(labels.dims, [150, 100]);
      const byHand = Array.from(image.data, (v, i) =>
        i % 150 >= 11 && i % 150 < 139 ? argmaxAffine(THRESHOLD, [v]) : 0,
      );
      assert.deepEqual([...labels.data], byHand);
    } finally {
      await model.dispose();
    }
  });
});
