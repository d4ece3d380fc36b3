/**
 * Sliding-window inference (geometry policy "sliding-window") on the real Colin27 crop
 * (40×48×10): a pointwise model against labels computed here from its weights, a 3×3×3 conv
 * model against an independent numpy implementation (tools/testmodels/make_window_models.py),
 * the window placement and weights against hand-computed values, aborts, and the CUDA fallback.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readImage } from '../../../src/engine/io';
import { loadModel, type OnnxSegmentationModel } from '../../../src/engine/model';
import { openSession } from '../../../src/engine/model/session';
import {
  blendingBytes,
  WindowBlender,
  windowOrigins,
  windowStarts,
  windowWeights,
} from '../../../src/engine/model/slidingWindow';
import { validateCardFile } from '../../../src/engine/model/sidecar';
import { identityAffine, type Volume } from '../../../src/engine/volume';
import { loadGoldens } from '../../helpers/goldens';
import {
  argmaxAffine,
  argmaxAffineWithMargin,
  image2d,
  modelFile,
  modelWithSidecar,
  SIGMOID,
  THRESHOLD,
  volume3d,
} from './fixtures';

const CROP = resolve('test/data/colin27/ch2bet_crop40x48x10.nii.gz');
/** The pointwise model's logits: (0, x + 0.5, 2x − 0.25) of the z-scored voxel (make_window_models.py). */
const POINTWISE = { W: [[0], [1], [2]], B: [0, 0.5, -0.25] };

async function withModel<T>(file: string, use: (model: OnnxSegmentationModel) => Promise<T>, options = {}): Promise<T> {
  const model = await loadModel(file, options);
  try {
    return await use(model);
  } finally {
    await model.dispose();
  }
}

function zScore(values: ArrayLike<number>): number[] {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i] - mean) ** 2;
  const sd = Math.sqrt(squares / n);
  return Array.from(values, (v) => (v - mean) / sd);
}

/** The first `columns` x-columns of a 3D volume. */
function firstColumns(volume: Volume, columns: number): Volume {
  const [nx, ny, nz] = volume.dims;
  const data = new Float32Array(columns * ny * nz);
  for (let row = 0; row < ny * nz; row++)
    for (let x = 0; x < columns; x++) data[x + columns * row] = volume.data[x + nx * row];
  return { ...volume, data, dims: [columns, ny, nz] };
}

/** Labels equal the expected ones wherever the expected winner leads by ≥ 1e-4; near-ties must be rare. */
function assertPointwiseLabels(actual: ArrayLike<number>, expected: { label: number; margin: number }[]): void {
  assert.equal(actual.length, expected.length);
  let nearTies = 0,
    differing = 0;
  expected.forEach(({ label, margin }, i) => {
    if (margin < 1e-4) nearTies++;
    else if (actual[i] !== label) differing++;
  });
  assert.equal(differing, 0, `${differing} voxels differ`);
  assert.ok(nearTies <= 5, `${nearTies} near-ties`);
}

describe('sliding-window inference', () => {
  let crop: Volume;
  before(async () => {
    crop = await readImage(CROP);
    assert.deepEqual(crop.dims, [40, 48, 10]);
  });

  describe('window placement and weights', () => {
    it('starts are evenly spread from 0 to n − p with a step of at most p·(1 − overlap)', () => {
      assert.deepEqual(windowStarts(40, 16, 0.25), [0, 12, 24]);
      assert.deepEqual(windowStarts(48, 16, 0.25), [0, 11, 21, 32]); // 32/3 = 10.67, 21.33
      assert.deepEqual(windowStarts(48, 16, 0.5), [0, 8, 16, 24, 32]);
      assert.deepEqual(windowStarts(40, 16, 0), [0, 12, 24]); // 3 windows of 16 are needed; no overlap is impossible
      assert.deepEqual(windowStarts(32, 16, 0), [0, 16]);
      assert.deepEqual(windowStarts(10, 8, 0.25), [0, 2]);
      assert.deepEqual(windowStarts(17, 16, 0.25), [0, 1]);
      assert.deepEqual(windowStarts(16, 16, 0.25), [0]);
      assert.deepEqual(windowStarts(7, 4, 0.99), [0, 1, 2, 3]); // the step never drops below one voxel
      assert.deepEqual(windowStarts(21, 4, 0.5), [0, 2, 4, 6, 8, 9, 11, 13, 15, 17]); // 10 windows, 17/9 apart
      assert.deepEqual(windowStarts(7, 4, 0.5), [0, 2, 3]); // 1.5 rounds half up
      assert.throws(() => windowStarts(8, 16, 0.25), RangeError);
    });

    it('memory for blending: float32 sums of scores and weights in a band one window deep, its averages, plus the padded input', () => {
      // 40×48×10 padded to 40×48×16 = 30720 voxels (the input copy); the band is 40×48×16 too:
      // 3 score planes + 1 weight plane + 3 averaged planes.
      assert.equal(blendingBytes([40, 48, 10], [16, 16, 16], 3), 4 * (30720 + 30720 * 7));
      // Unpadded; band 40×48×8 = 15360 voxels, whatever the depth of the grid.
      assert.equal(blendingBytes([40, 48, 10], [16, 16, 8], 3), 4 * 15360 * 7);
      assert.equal(blendingBytes([40, 48, 1000], [16, 16, 8], 3), 4 * 15360 * 7);
    });

    it('blending in a band one window deep gives the averages of blending the whole grid, bit for bit', () => {
      // 20 slices, windows 5 deep, overlap 0.5: the band moves on 7 times.
      const dims = [7, 6, 20],
        windowDims = [4, 3, 5],
        planes = 3;
      const voxels = 7 * 6 * 20,
        windowVoxels = 4 * 3 * 5;
      const weights = windowWeights(windowDims, 'gaussian');
      const origins = windowOrigins(dims, windowDims, 0.5);
      let state = 7;
      const scoresOf = origins.map(() =>
        Float32Array.from(
          { length: planes * windowVoxels },
          () => ((state = (state * 48271) % 2147483647) / 2147483647) * 10 - 5,
        ),
      );
      // The whole grid, summed as the blender did before it kept a band: window after window.
      const sums = new Float32Array(planes * voxels),
        weightSums = new Float32Array(voxels);
      origins.forEach(([ox, oy, oz], w) => {
        for (let z = 0; z < 5; z++)
          for (let y = 0; y < 3; y++)
            for (let x = 0; x < 4; x++) {
              const src = x + 4 * (y + 3 * z),
                dst = ox + x + 7 * (oy + y + 6 * (oz + z));
              weightSums[dst] += weights[src];
              for (let c = 0; c < planes; c++)
                sums[c * voxels + dst] += scoresOf[w][c * windowVoxels + src] * weights[src];
            }
      });
      const expected = new Float32Array(planes * voxels);
      for (let i = 0; i < expected.length; i++) expected[i] = sums[i] / weightSums[i % voxels];

      const got = new Float32Array(planes * voxels);
      const handed: number[] = [];
      const blender = new WindowBlender(dims, planes, windowDims, weights, (averaged, first, count) => {
        handed.push(first / 42);
        for (let c = 0; c < planes; c++) got.set(averaged.subarray(c * count, (c + 1) * count), c * voxels + first);
      });
      origins.forEach((origin, w) => blender.add(scoresOf[w], origin));
      blender.finish();
      assert.deepEqual(got, expected);
      // Slices are handed over as soon as no later window can touch them, in order.
      assert.deepEqual(handed, [...new Set(origins.map((o) => o[2]))]);
    });

    it('origins run with the first axis fastest', () => {
      assert.deepEqual(windowOrigins([20, 24, 8], [16, 16, 8], 0.25), [
        [0, 0, 0],
        [4, 0, 0],
        [0, 8, 0],
        [4, 8, 0],
      ]);
    });

    it('gaussian weights: exp(−d²/2σ²) per axis, σ = p/8, d from the window centre; uniform: all 1', () => {
      const w = windowWeights([8, 16], 'gaussian');
      // σ = 1 along x (centre 3.5), σ = 2 along y (centre 7.5).
      const expected = (x: number, y: number) => Math.exp(-((x - 3.5) ** 2) / 2) * Math.exp(-((y - 7.5) ** 2) / 8);
      for (const [x, y] of [
        [3, 7],
        [0, 0],
        [7, 15],
        [4, 2],
        [0, 8],
      ]) {
        assert.ok(
          Math.abs(w[x + 8 * y] - expected(x, y)) <= 1e-7 * expected(x, y),
          `(${x}, ${y}): ${w[x + 8 * y]} vs ${expected(x, y)}`,
        );
      }
      const w3 = windowWeights([4, 4, 8], 'gaussian');
      const e3 = Math.exp(-(1.5 ** 2) / 0.5) * Math.exp(-(0.5 ** 2) / 0.5) * Math.exp(-(3.5 ** 2) / 2);
      assert.ok(Math.abs(w3[0 + 4 * (1 + 4 * 0)] - e3) <= 1e-7 * e3);
      assert.deepEqual([...windowWeights([3, 2], 'uniform')], [1, 1, 1, 1, 1, 1]);
    });
  });

  describe('model card', () => {
    it('sliding-window gets overlap 0.25 and gaussian blending by default; the schema bounds overlap', async () => {
      await withModel(modelFile('window3d_pointwise'), async (model) => {
        assert.deepEqual(model.card.geometry, {
          policy: 'sliding-window',
          size: [16, 16, 16],
          padValue: 'min',
          overlap: 0.25,
          blend: 'gaussian',
        });
      });
      const file = await modelWithSidecar('window3d_pointwise', {
        geometry: { policy: 'sliding-window', overlap: 0.5, blend: 'uniform', padValue: 'zero' },
      });
      await withModel(file, async (model) => {
        assert.deepEqual(model.card.geometry, {
          policy: 'sliding-window',
          size: [16, 16, 16],
          padValue: 'zero',
          overlap: 0.5,
          blend: 'uniform',
        });
      });
      assert.throws(
        () => validateCardFile({ geometry: { policy: 'sliding-window', overlap: 1 } }, 'card.json'),
        /overlap/,
      );
      assert.throws(
        () => validateCardFile({ geometry: { policy: 'sliding-window', blend: 'max' } }, 'card.json'),
        /blend/,
      );
      const dynamic = await modelWithSidecar('threshold2d', { geometry: { policy: 'sliding-window' } });
      await assert.rejects(loadModel(dynamic), /geometry policy sliding-window but gives no size/);
    });
  });

  describe('pointwise model (labels must equal the whole volume computed directly)', () => {
    const expectedFor = (volume: Volume) => zScore(volume.data).map((x) => argmaxAffineWithMargin(POINTWISE, [x]));

    it("default card (overlap 0.25, gaussian), depth 10 padded to the window's 16, batches of 5", async () => {
      await withModel(
        modelFile('window3d_pointwise'),
        async (model) => {
          assert.equal(model.maxBatch, 5);
          const [labels] = await model.predict([crop]);
          assert.deepEqual(labels.dims, [40, 48, 10]);
          assert.deepEqual(labels.spacing, crop.spacing);
          assert.ok(labels.data instanceof Uint8Array);
          assertPointwiseLabels(labels.data, expectedFor(crop));
          // All three classes occur, so the comparison means something.
          assert.deepEqual(
            [0, 1, 2].map((c) => labels.data.includes(c)),
            [true, true, true],
          );
        },
        { batchSize: 5 },
      );
    });

    it('uniform blending, overlap 0.5, zero padding, two images of different sizes in one call', async () => {
      const file = await modelWithSidecar('window3d_pointwise', {
        geometry: { policy: 'sliding-window', overlap: 0.5, blend: 'uniform', padValue: 'zero' },
      });
      const narrow = firstColumns(crop, 12);
      await withModel(file, async (model) => {
        const [a, b] = await model.predict([narrow, crop]);
        assert.deepEqual(a.dims, [12, 48, 10]);
        assertPointwiseLabels(a.data, expectedFor(narrow));
        assertPointwiseLabels(b.data, expectedFor(crop));
      });
    });

    it('a 2D model: windows over an image and over each slice of a volume', async () => {
      const file = await modelWithSidecar('threshold2d', { geometry: { policy: 'sliding-window', size: [8, 8] } });
      const image = image2d(21, 13, 4);
      const volume = volume3d([11, 9, 3], 5);
      await withModel(
        file,
        async (model) => {
          const [plane, stack] = await model.predict([image, volume]);
          assert.deepEqual(
            [...plane.data],
            Array.from(image.data, (x) => argmaxAffine(THRESHOLD, [x])),
          );
          assert.deepEqual(
            [...stack.data],
            Array.from(volume.data, (x) => argmaxAffine(THRESHOLD, [x])),
          );
        },
        { batchSize: 4 },
      );
    });

    it('label-map and sigmoid outputs: windows vote with one-hot planes / blend raw sigmoid scores', async () => {
      const image = image2d(19, 10, 6);
      const geometry = { policy: 'sliding-window', size: [8, 8] };
      const labelsFile = await modelWithSidecar('labels_out', { geometry, normalization: { kind: 'none' } });
      const [labels] = await withModel(labelsFile, (m) => m.predict([image]));
      assert.deepEqual(
        [...labels.data],
        Array.from(image.data, (x) => argmaxAffine(THRESHOLD, [x])),
      );
      // Sigmoid scores x − 1 and 2x − 4: the highest channel with a non-negative logit (p ≥ 0.5) wins.
      const scaled = { ...image, data: image.data.map((v) => v * 1.5) };
      const sigmoidFile = await modelWithSidecar('sigmoid_out', { geometry });
      const [sigmoid] = await withModel(sigmoidFile, (m) => m.predict([scaled]));
      const expected = Array.from(scaled.data, (x) => {
        const logits = SIGMOID.W.map((w, c) => w[0] * x + SIGMOID.B[c]);
        let label = 0;
        logits.forEach((logit, c) => {
          if (logit >= 0 && (label === 0 || logit > logits[label - 1])) label = c + 1;
        });
        return label;
      });
      assert.deepEqual([...sigmoid.data], expected);
      assert.ok(expected.includes(2) && expected.includes(1) && expected.includes(0));
    });
  });

  describe('3×3×3 conv model against an independent numpy implementation', () => {
    const golden = loadGoldens('sliding-window/colin27_crop.json');

    for (const [name, testCase] of Object.entries(golden.cases).filter(([name]) => !name.endsWith('whole_volume'))) {
      const { overlap, blend, columns } = testCase.params as { overlap: number; blend: string; columns: number };
      it(`${name}: labels equal the reference wherever its two best scores differ by ≥ 1e-3`, async () => {
        const file = await modelWithSidecar('window3d_conv', {
          geometry: { policy: 'sliding-window', size: [16, 16, 8], overlap, blend },
        });
        const volume = columns === 40 ? crop : firstColumns(crop, columns);
        await withModel(
          file,
          async (model) => {
            const [labels] = await model.predict([volume]);
            const expected = testCase.arrays.labels.data;
            const ambiguous = new Set(testCase.arrays.ambiguous.data);
            assert.equal(labels.data.length, expected.length);
            assert.ok(ambiguous.size <= expected.length / 100, `${ambiguous.size} ambiguous voxels`);
            let differing = 0;
            for (let i = 0; i < expected.length; i++)
              if (!ambiguous.has(i) && labels.data[i] !== expected[i]) differing++;
            assert.equal(differing, 0, `${differing} of ${expected.length} voxels differ`);
          },
          { batchSize: 3 },
        );
      });
    }

    it('the blends give different labels, and gaussian blending is close to the whole volume at once', async () => {
      const labelsOf = (name: string) => golden.cases[name].arrays.labels.data;
      const gaussian = labelsOf('crop_overlap0.25_gaussian'),
        uniform = labelsOf('crop_overlap0.25_uniform');
      const differing = gaussian.filter((label, i) => label !== uniform[i]).length;
      assert.ok(differing > 100, `only ${differing} voxels tell the blends apart`);
      const file = await modelWithSidecar('window3d_conv', {
        geometry: { policy: 'sliding-window', size: [16, 16, 8] },
      });
      await withModel(file, async (model) => {
        const [labels] = await model.predict([crop]);
        const whole = labelsOf('crop_whole_volume');
        const agreement = whole.filter((label, i) => label === labels.data[i]).length / whole.length;
        assert.ok(agreement > 0.99, `agreement with the whole volume ${agreement}`);
      });
    });
  });

  it('an abort between batches rejects with AbortError', async () => {
    await withModel(
      modelFile('window3d_conv'),
      async (model) => {
        const controller = new AbortController();
        const prediction = model.predict([crop], controller.signal);
        setImmediate(() => controller.abort());
        await assert.rejects(prediction, { name: 'AbortError' });
      },
      { batchSize: 1 },
    );
  });

  it('a 3D model refuses a 2D image', async () => {
    await withModel(modelFile('window3d_pointwise'), async (model) => {
      await assert.rejects(
        model.predict([
          { data: new Float32Array(16 * 16), dims: [16, 16], spacing: [1, 1], affine: identityAffine(), channels: 1 },
        ]),
        /input 1 of 1: is a 2D image, but the model segments 3D volumes/,
      );
    });
  });
});

describe('CUDA execution provider without the CUDA libraries', () => {
  const providerLibrary = join(
    resolve('node_modules/onnxruntime-node/bin/napi-v6'),
    process.platform,
    process.arch,
    'libonnxruntime_providers_cuda.so',
  );

  it("warns once, naming the model and onnxruntime's reason, and runs on the CPU", async () => {
    const file = modelFile('window3d_pointwise');
    const warnings: string[] = [];
    const { session, executionProvider } = await openSession(file, {
      executionProvider: 'cuda',
      onWarning: (w) => warnings.push(w),
    });
    try {
      if (existsSync(providerLibrary) && executionProvider === 'cuda') return; // a machine with working CUDA
      assert.equal(executionProvider, 'cpu');
      assert.equal(warnings.length, 1);
      assert.match(
        warnings[0],
        /^.+window3d_pointwise\.onnx: CUDA is not available \(.+\); running on the CPU instead\.$/,
      );
      if (!existsSync(providerLibrary)) assert.match(warnings[0], /Failed to load shared library/);
    } finally {
      await session.release();
    }
  });

  it('a model that cannot load is reported as such, not as a CUDA problem', async () => {
    const warnings: string[] = [];
    await assert.rejects(
      openSession(modelFile('truncated'), { executionProvider: 'cuda', onWarning: (w) => warnings.push(w) }),
      /truncated\.onnx: not a loadable ONNX model/,
    );
    assert.deepEqual(warnings, []);
  });
});
