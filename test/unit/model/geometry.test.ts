import * as assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { modelGridFor, padCropCentred, resizeLinear } from '../../../src/engine/model/geometry';
import { modelFile, randomValues } from './fixtures';

/** onnxruntime's Resize (linear, half_pixel) on a [1, C, (D,) H, W] tensor: the independent reference. */
async function onnxResize(
  data: Float32Array,
  dims: number[],
  channels: number,
  outDims: number[],
): Promise<Float32Array> {
  const rank = dims.length + 2;
  const session = await ort.InferenceSession.create(modelFile(`resize_ref${dims.length}d`));
  try {
    const shape = [1, channels, ...[...dims].reverse()];
    const sizes = BigInt64Array.from([1, channels, ...[...outDims].reverse()].map(BigInt));
    const out = await session.run({
      x: new ort.Tensor('float32', data, shape),
      sizes: new ort.Tensor('int64', sizes, [rank]),
    });
    return out.y.data as Float32Array;
  } finally {
    await session.release();
  }
}

/** Largest |a − b| / max(1, |b|); onnxruntime computes source coordinates in float32 (≈1e-5 here), we in float64. */
function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return max;
}

describe('resizeLinear', () => {
  const cases2d: [number[], number[]][] = [
    [
      [24, 20],
      [128, 128],
    ], // up, non-integer factors
    [
      [37, 29],
      [16, 12],
    ], // down
    [
      [20, 16],
      [20, 33],
    ], // one axis unchanged
    [
      [5, 1],
      [9, 4],
    ], // a single row
  ];
  for (const [dims, outDims] of cases2d) {
    it(`matches onnxruntime Resize(linear, half_pixel) for ${dims.join('×')} → ${outDims.join('×')}, 2 channels`, async () => {
      const data = randomValues(dims[0] * dims[1] * 2, dims[0] + outDims[1], -5, 5);
      const ours = resizeLinear(data, dims, 2, outDims);
      const reference = await onnxResize(data, dims, 2, outDims);
      assert.ok(maxRelDiff(ours, reference) < 1e-4, `max rel. diff ${maxRelDiff(ours, reference)}`);
    });
  }

  it('matches onnxruntime trilinear Resize for 3D volumes', async () => {
    const dims = [9, 7, 5],
      outDims = [4, 11, 8];
    const data = randomValues(9 * 7 * 5, 3, -5, 5);
    const ours = resizeLinear(data, dims, 1, outDims);
    const reference = await onnxResize(data, dims, 1, outDims);
    assert.ok(maxRelDiff(ours, reference) < 1e-4, `max rel. diff ${maxRelDiff(ours, reference)}`);
  });

  it('follows the half-pixel formula by hand: 2 → 4 and 4 → 2 pixels', () => {
    // Up: sources −0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
    assert.deepEqual([...resizeLinear([10, 20], [2, 1], 1, [4, 1])], [10, 12.5, 17.5, 20]);
    // Down: sources 0.5 and 2.5.
    assert.deepEqual([...resizeLinear([0, 4, 8, 16], [4, 1], 1, [2, 1])], [2, 12]);
  });

  it('is the identity for equal sizes', () => {
    const data = randomValues(30, 1);
    assert.deepEqual(resizeLinear(data, [6, 5], 1, [6, 5]), data);
  });
});

describe('padCropCentred', () => {
  it('crops and pads each axis with the smaller extent floor(difference/2) into the larger', () => {
    // 5×2 → 3×5: x is cropped by 2 (offset 1), y padded by 3 (offset 1 above, 2 below).
    const data = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const out = padCropCentred(data, [5, 2], 1, [3, 5], [0]);
    assert.deepEqual([...out], [0, 0, 0, 2, 3, 4, 7, 8, 9, 0, 0, 0, 0, 0, 0]);
  });

  it('fills each channel with its own value and works in 3D', () => {
    const data = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]); // 2×2×1, two channels
    const out = padCropCentred(data, [2, 2, 1], 2, [2, 2, 3], [-1, -2]);
    assert.deepEqual(
      [...out],
      [-1, -1, -1, -1, 1, 2, 3, 4, -1, -1, -1, -1, -2, -2, -2, -2, 5, 6, 7, 8, -2, -2, -2, -2],
    );
  });

  it('round-trips: back with swapped dims restores the kept part exactly', () => {
    const data = randomValues(13 * 8, 4);
    const forth = padCropCentred(data, [13, 8], 1, [10, 11], [0]);
    const back = padCropCentred(forth, [10, 11], 1, [13, 8], [0]);
    for (let y = 0; y < 8; y++)
      for (let x = 0; x < 13; x++) {
        const kept = x >= 1 && x < 11; // 13 → 10 crops 1 on the left, 2 on the right
        assert.equal(back[x + 13 * y], kept ? data[x + 13 * y] : 0);
      }
  });
});

describe('modelGridFor', () => {
  it('pads up to multiples, or takes the card size', () => {
    assert.deepEqual(modelGridFor({ policy: 'pad-to-multiple', multiple: 16 }, [181, 217, 16]), [192, 224, 16]);
    assert.deepEqual(modelGridFor({ policy: 'resize', size: [128, 96] }, [181, 217]), [128, 96]);
  });
});
