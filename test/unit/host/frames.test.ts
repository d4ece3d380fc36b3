// Overlay frames (src/host/frames.ts) on the bundled example: a rotate frame checked against a
// rotation by pixel permutation (90° about the centre maps pixel centres onto pixel centres),
// the prediction against the model on that image, and a noise frame against the prediction the
// runner itself made at that step (same seed derivation: experiment seed, series, input).
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readImage, readLabelMap } from '../../../src/engine/io';
import { loadModel, type OnnxSegmentationModel } from '../../../src/engine/model';
import { resolveExperiment } from '../../../src/engine/sweep/experiment';
import { runSweeps } from '../../../src/engine/sweep/runner';
import type { Volume } from '../../../src/engine/volume';
import { computeFrame, loadFrameContext, type FrameContext } from '../../../src/host/frames';

const example = resolve(fileURLToPath(import.meta.url), '../../../../examples/colin27');
const IMAGE = 'data/colin27_z075_image.nii.gz';
const MASK = 'data/colin27_z075_label.nii.gz';

/** Rotates a 2D plane 90° counter-clockwise as displayed (y = 0 is the top row) about its centre; outside = fill. */
function rotate90(data: ArrayLike<number>, nx: number, ny: number, fill: number): number[] {
  const cx = (nx - 1) / 2;
  const cy = (ny - 1) / 2;
  const out: number[] = [];
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      // Output offset (dx, dy) came from (-dy, dx): a point right of the centre ends up above it.
      const sx = cx - (y - cy);
      const sy = cy + (x - cx);
      const inside = Number.isInteger(sx) && Number.isInteger(sy) && sx >= 0 && sx < nx && sy >= 0 && sy < ny;
      out.push(inside ? data[sx + nx * sy] : fill);
    }
  }
  return out;
}

function minOf(data: ArrayLike<number>): number {
  let min = Infinity;
  for (let i = 0; i < data.length; i++) min = Math.min(min, data[i]);
  return min;
}

function countDifferences(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

describe('host/frames: overlay frames of a run', function () {
  this.timeout(60_000);
  let model: OnnxSegmentationModel;
  let image: Volume;
  let mask: Volume;
  let context: FrameContext;
  const experimentContent = {
    name: 'frames',
    model: 'model.onnx',
    inputs: [{ image: IMAGE, mask: MASK }],
    series: [{ transform: 'rotate', values: [0, 90] }, { transform: 'gaussian-noise', values: [0, 0.2] }],
    seed: 27,
  };
  const experimentFile = join(example, 'frames.misas.json');

  before(async () => {
    model = await loadModel(join(example, 'model.onnx'), { threads: 1 });
    image = await readImage(join(example, IMAGE));
    mask = await readLabelMap(join(example, MASK));
    // The file itself need not exist: a frame resolves the run's recorded content at its path.
    const experiment = resolveExperiment(experimentContent, experimentFile);
    context = {
      experiment,
      seed: 27,
      series: new Map(experiment.series.map((s, index) => [s.name, { index, transform: s.transform, options: s.options }])),
    };
  });

  after(async () => {
    await model.dispose();
  });

  it('rotates image and truth by 90° as a pixel permutation and predicts on the rotated image', async () => {
    const [nx, ny] = image.dims;
    const frame = await computeFrame(context, model, { series: 'rotate', input: 0, value: 90 });
    assert.deepEqual(frame.dims, [nx, ny]);
    assert.equal(frame.pseudoTruth, false);
    assert.equal(frame.slices, undefined);

    const expectedImage = rotate90(image.data, nx, ny, minOf(image.data));
    let maxError = 0;
    for (let i = 0; i < expectedImage.length; i++) maxError = Math.max(maxError, Math.abs(frame.image[i] - expectedImage[i]));
    assert.ok(maxError <= 1e-3, `image differs from the permutation by ${maxError}`);
    assert.deepEqual(frame.range, [Math.min(...frame.image), Math.max(...frame.image)]);

    assert.ok(frame.truth instanceof Uint8Array);
    assert.deepEqual([...frame.truth], rotate90(mask.data, nx, ny, 0), 'truth rotated with nearest neighbour, filled with background');

    const [expectedPrediction] = await model.predict([{ ...image, data: Float32Array.from(frame.image) }]);
    assert.deepEqual([...frame.prediction], [...expectedPrediction.data]);
  });

  it('at the identity value shows the untransformed input, its truth and its prediction', async () => {
    const frame = await computeFrame(context, model, { series: 'rotate', input: 0, value: 0 });
    assert.deepEqual([...frame.image], [...image.data]);
    assert.deepEqual([...frame.truth], [...mask.data]);
    const [expected] = await model.predict([image]);
    assert.deepEqual([...frame.prediction], [...expected.data]);
    const rotated = await computeFrame(context, model, { series: 'rotate', input: 0, value: 90 });
    assert.ok(countDifferences(frame.prediction, rotated.prediction) > 100, 'the 90° prediction differs from the 0° one');
  });

  it('draws the same noise as the runner did for that step (seeded by experiment, series and input)', async () => {
    const predictions = new Map<string, Uint8Array>();
    const experiment = resolveExperiment(experimentContent, experimentFile);
    for await (const _event of runSweeps(experiment, model, {
      onPrediction: ({ series, value, prediction }) => void predictions.set(`${series}@${value}`, Uint8Array.from(prediction.data)),
    })) {
      /* rows are not needed here */
    }
    const frame = await computeFrame(context, model, { series: 'gaussian-noise', input: 0, value: 0.2 });
    assert.deepEqual([...frame.prediction], [...predictions.get('gaussian-noise@0.2')!]);
    // Another series index draws other noise: the frame must not be right by accident.
    const shifted: FrameContext = { ...context, series: new Map([['gaussian-noise', { ...context.series.get('gaussian-noise')!, index: 5 }]]) };
    const other = await computeFrame(shifted, model, { series: 'gaussian-noise', input: 0, value: 0.2 });
    assert.notDeepEqual([...other.image], [...frame.image]);
  });

  it('uses the pseudo-truth (prediction on the untransformed image) without a mask', async () => {
    const experiment = resolveExperiment({ ...experimentContent, inputs: [{ image: IMAGE }] }, experimentFile);
    const frame = await computeFrame({ ...context, experiment }, model, { series: 'gaussian-noise', input: 0, value: 0.2 });
    assert.equal(frame.pseudoTruth, true);
    const [original] = await model.predict([image]);
    assert.deepEqual([...frame.truth], [...original.data]);
  });

  it('refuses unknown series and inputs, naming the experiment file', async () => {
    await assert.rejects(computeFrame(context, model, { series: 'nope', input: 0, value: 1 }), /frames\.misas\.json: the run has no series named "nope"/);
    await assert.rejects(computeFrame(context, model, { series: 'rotate', input: 3, value: 90 }), /the run has no input 3 \(it has 1\)/);
  });

  it('reads the series order and seed from the run folder (a filtered run seeds by its own order)', async () => {
    const runDir = mkdtempSync(join(tmpdir(), 'misas-frames-'));
    try {
      const results = {
        experiment: { file: 'frames.misas.json', content: experimentContent },
        seed: 27,
        series: [{ name: 'gaussian-noise', transform: 'gaussian-noise', options: { relative: true, mean: 0 } }],
      };
      writeFileSync(join(runDir, 'results.json'), JSON.stringify(results));
      const loaded = await loadFrameContext(experimentFile, example, runDir);
      assert.equal(loaded.seed, 27);
      assert.deepEqual([...loaded.series.keys()], ['gaussian-noise']);
      assert.equal(loaded.series.get('gaussian-noise')!.index, 0);
      assert.equal(loaded.experiment.modelPath, join(example, 'model.onnx'));
      await assert.rejects(loadFrameContext(experimentFile, example, join(runDir, 'missing')), /results\.json: cannot be read/);
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  });
});
