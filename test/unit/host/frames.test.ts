// Overlay frames (src/host/frames.ts) on the bundled example: a rotate frame checked against a
// rotation by pixel permutation (90° about the centre maps pixel centres onto pixel centres),
// the prediction against the model on that image, and a noise frame against the prediction the
// runner itself made at that step (same seed derivation: experiment seed, series, input entry);
// inputs and models come from results.json, a picked slice of a volume included.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readImage, readLabelMap, writeNifti } from '../../../src/engine/io';
import { loadModel, type OnnxSegmentationModel } from '../../../src/engine/model';
import { resolveExperiment } from '../../../src/engine/sweep/experiment/load';
import { runSweeps } from '../../../src/engine/sweep/run/runner';
import type { Volume } from '../../../src/engine/volume';
import { computeFrame, frameModelPath, loadFrameContext, type FrameContext } from '../../../src/host/frames';

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
    series: [
      { transform: 'rotate', values: [0, 90] },
      { transform: 'gaussian-noise', values: [0, 0.2] },
    ],
    seed: 27,
  };
  const experimentFile = join(example, 'frames.misas.json');

  before(async () => {
    model = await loadModel(join(example, 'model.onnx'), { threads: 1 });
    image = await readImage(join(example, IMAGE));
    mask = await readLabelMap(join(example, MASK));
    const experiment = resolveExperiment(experimentContent, experimentFile);
    context = {
      file: join(example, 'results.json'),
      seed: 27,
      series: new Map(
        experiment.series.map((s, index) => [s.name, { index, transform: s.transform, options: s.options }]),
      ),
      inputs: [{ image: join(example, IMAGE), mask: join(example, MASK), entry: 0 }],
      models: [join(example, 'model.onnx')],
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
    for (let i = 0; i < expectedImage.length; i++)
      maxError = Math.max(maxError, Math.abs(frame.image[i] - expectedImage[i]));
    assert.ok(maxError <= 1e-3, `image differs from the permutation by ${maxError}`);
    assert.deepEqual(frame.range, [Math.min(...frame.image), Math.max(...frame.image)]);

    assert.ok(frame.truth instanceof Uint8Array);
    assert.deepEqual(
      [...frame.truth],
      rotate90(mask.data, nx, ny, 0),
      'truth rotated with nearest neighbour, filled with background',
    );

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
    assert.ok(
      countDifferences(frame.prediction, rotated.prediction) > 100,
      'the 90° prediction differs from the 0° one',
    );
  });

  it('draws the same noise as the runner did for that step (seeded by experiment, series and input)', async () => {
    const predictions = new Map<string, Uint8Array>();
    const experiment = resolveExperiment(experimentContent, experimentFile);
    for await (const _event of runSweeps(experiment, [model], {
      onPrediction: ({ series, value, prediction }) =>
        void predictions.set(`${series}@${value}`, Uint8Array.from(prediction.data)),
    })) {
      /* rows are not needed here */
    }
    const frame = await computeFrame(context, model, { series: 'gaussian-noise', input: 0, value: 0.2 });
    assert.deepEqual([...frame.prediction], [...predictions.get('gaussian-noise@0.2')!]);
    // Another series index draws other noise: the frame must not be right by accident.
    const shifted: FrameContext = {
      ...context,
      series: new Map([['gaussian-noise', { ...context.series.get('gaussian-noise')!, index: 5 }]]),
    };
    const other = await computeFrame(shifted, model, { series: 'gaussian-noise', input: 0, value: 0.2 });
    assert.notDeepEqual([...other.image], [...frame.image]);
    // So does another experiment entry (the seed's input part is the entry, not the loaded input).
    const otherEntry = await computeFrame({ ...context, inputs: [{ ...context.inputs[0], entry: 1 }] }, model, {
      series: 'gaussian-noise',
      input: 0,
      value: 0.2,
    });
    assert.notDeepEqual([...otherEntry.image], [...frame.image]);
  });

  it('uses the pseudo-truth (prediction on the untransformed image) without a mask', async () => {
    const frame = await computeFrame({ ...context, inputs: [{ image: join(example, IMAGE), entry: 0 }] }, model, {
      series: 'gaussian-noise',
      input: 0,
      value: 0.2,
    });
    assert.equal(frame.pseudoTruth, true);
    const [original] = await model.predict([image]);
    assert.deepEqual([...frame.truth], [...original.data]);
  });

  it('refuses unknown series, inputs and models, and inputs the run skipped, naming results.json', async () => {
    await assert.rejects(
      computeFrame(context, model, { series: 'nope', input: 0, value: 1 }),
      /results\.json: the run has no series named "nope"/,
    );
    await assert.rejects(
      computeFrame(context, model, { series: 'rotate', input: 3, value: 90 }),
      /results\.json: the run has no input 3 \(it has 1\)/,
    );
    assert.throws(() => frameModelPath(context, 1), /results\.json: the run has no model 1 \(it has 1\)/);
    assert.equal(frameModelPath(context), join(example, 'model.onnx'));
    const skipped: FrameContext = { ...context, inputs: [{ ...context.inputs[0], problem: 'needs 9 GB' }] };
    await assert.rejects(
      computeFrame(skipped, model, { series: 'rotate', input: 0, value: 90 }),
      /was not run: needs 9 GB/,
    );
  });

  it('shows a picked slice of a volume exactly as the same image given alone', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'misas-frames-volume-'));
    try {
      // Three slices along axis 2, the example image in the middle one (first axis fastest: slices are consecutive blocks).
      const plane = image.dims[0] * image.dims[1];
      const stack = (volume: Volume, Data: Float32ArrayConstructor | Uint8ArrayConstructor) => {
        const data = new Data(plane * 3);
        data.set(volume.data as ArrayLike<number>, plane);
        return { ...volume, dims: [image.dims[0], image.dims[1], 3], spacing: [...volume.spacing, 1], data } as Volume;
      };
      await writeNifti(join(folder, 'vol.nii.gz'), stack(image, Float32Array));
      await writeNifti(join(folder, 'vol_seg.nii.gz'), stack(mask, Uint8Array));
      const sliced: FrameContext = {
        ...context,
        inputs: [
          {
            image: join(folder, 'vol.nii.gz'),
            mask: join(folder, 'vol_seg.nii.gz'),
            entry: 0,
            slice: { axis: 2, index: 1 },
          },
        ],
      };
      for (const value of [0, 90]) {
        const fromVolume = await computeFrame(sliced, model, { series: 'rotate', input: 0, value });
        const alone = await computeFrame(context, model, { series: 'rotate', input: 0, value });
        assert.equal(fromVolume.slices, undefined, 'a picked slice is a 2D input');
        assert.deepEqual([...fromVolume.image], [...alone.image], `image at ${value}`);
        assert.deepEqual([...fromVolume.truth], [...alone.truth], `truth at ${value}`);
        assert.deepEqual([...fromVolume.prediction], [...alone.prediction], `prediction at ${value}`);
      }
      const outside: FrameContext = { ...sliced, inputs: [{ ...sliced.inputs[0], slice: { axis: 2, index: 3 } }] };
      await assert.rejects(
        computeFrame(outside, model, { series: 'rotate', input: 0, value: 90 }),
        /vol\.nii\.gz: has no slice 3 along axis 2/,
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('reads series order, seed, inputs and models from the run folder (paths relative to the experiment, kept inside the root)', async () => {
    const runDir = mkdtempSync(join(tmpdir(), 'misas-frames-'));
    try {
      // A real run's results.json (so it passes the reader's format and schema checks) with these fields changed.
      const real = JSON.parse(
        readFileSync(join(import.meta.dirname, '..', '..', 'report', 'fixtures', 'dataset', 'results.json'), 'utf8'),
      );
      const results = {
        ...real,
        experiment: { file: 'frames.misas.json', content: experimentContent },
        seed: 27,
        models: [
          { ...real.models[0], index: 0, label: 'a', path: 'model.onnx' },
          { ...real.models[1], index: 1, label: 'b', path: 'models/other.onnx' },
        ],
        inputs: [
          { input: 0, entry: 3, label: 'x', imagePath: IMAGE, maskPath: MASK, pseudoTruth: false },
          {
            input: 1,
            entry: 4,
            label: 'y',
            imagePath: 'data/vol.nii.gz',
            slice: { axis: 2, index: 7 },
            pseudoTruth: true,
            problem: 'unreadable',
          },
        ],
        series: [
          {
            ...real.series[0],
            name: 'gaussian-noise',
            transform: 'gaussian-noise',
            options: { relative: true, mean: 0 },
          },
        ],
      };
      writeFileSync(join(runDir, 'results.json'), JSON.stringify(results));
      const loaded = await loadFrameContext(experimentFile, example, runDir);
      assert.equal(loaded.seed, 27);
      assert.equal(loaded.file, join(runDir, 'results.json'));
      assert.deepEqual([...loaded.series.keys()], ['gaussian-noise']);
      assert.equal(loaded.series.get('gaussian-noise')!.index, 0);
      assert.deepEqual(loaded.models, [join(example, 'model.onnx'), join(example, 'models', 'other.onnx')]);
      assert.deepEqual(loaded.inputs, [
        { image: join(example, IMAGE), mask: join(example, MASK), entry: 3 },
        { image: join(example, 'data', 'vol.nii.gz'), entry: 4, slice: { axis: 2, index: 7 }, problem: 'unreadable' },
      ]);
      assert.equal(frameModelPath(loaded, 1), join(example, 'models', 'other.onnx'));

      // A results.json edited to point outside the workspace is refused.
      const escaping = { ...results, inputs: [{ ...results.inputs[0], imagePath: '../../../etc/passwd' }] };
      mkdirSync(join(runDir, 'escaping'));
      writeFileSync(join(runDir, 'escaping', 'results.json'), JSON.stringify(escaping));
      await assert.rejects(
        loadFrameContext(experimentFile, example, join(runDir, 'escaping')),
        /results\.json: \$\.inputs\[0\]\.imagePath: .* points outside/,
      );
      await assert.rejects(
        loadFrameContext(experimentFile, example, join(runDir, 'missing')),
        /results\.json: cannot be read/,
      );
      // Not a misas results file (no format): refused by the same checks as the tree's and the CLI's, naming the file.
      mkdirSync(join(runDir, 'foreign'));
      writeFileSync(join(runDir, 'foreign', 'results.json'), JSON.stringify({ ...results, format: undefined }));
      await assert.rejects(
        loadFrameContext(experimentFile, example, join(runDir, 'foreign')),
        /foreign.results\.json: is not a misas results file \(format missing/,
      );
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  });
});
