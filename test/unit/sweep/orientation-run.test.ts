/**
 * A run end to end with a model that wants its slices transposed (as a model trained on
 * nibabel's data[:, :, k] does): the position-dependent posgate2d model, whose golden labels
 * (numpy) serve as the mask. With the card's orientation the identity step scores Dice 1 and the
 * kept prediction equals the mask on the image's own grid; stated as-stored, the model sees the wrong
 * layout (resized to the model's 6 × 4) and scores far less.
 */
import * as assert from 'node:assert/strict';
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readImage } from '../../../src/engine/io/read';
import { writeNifti } from '../../../src/engine/io/nifti-write';
import { loadModel } from '../../../src/engine/model';
import { executeRun } from '../../../src/engine/sweep/run/execute';
import { loadExperiment } from '../../../src/engine/sweep/experiment/load';
import { identityAffine, type Volume } from '../../../src/engine/volume';
import { dimsOf, loadGoldens } from '../../helpers/goldens';
import { modelFile } from '../model/fixtures';

const GOLDEN = loadGoldens('orientation/posgate.json').cases['2d/transposed'];

function volume(data: Float32Array | Uint8Array): Volume {
  const dims = dimsOf(GOLDEN.arrays.image);
  return { data, dims, spacing: [1, 1], affine: identityAffine([1, 1, 1]), channels: 1 };
}

async function runWith(orientation: string): Promise<{ dice: number; kept: Volume }> {
  const dir = await mkdtemp(join(tmpdir(), 'misas-orientation-'));
  await copyFile(modelFile('posgate2d'), join(dir, 'model.onnx'));
  await writeFile(
    join(dir, 'model.onnx.misas.json'),
    JSON.stringify({
      orientation,
      normalization: { kind: 'none' },
      classes: ['off', 'on'],
    }),
  );
  await writeNifti(join(dir, 'image.nii.gz'), volume(Float32Array.from(GOLDEN.arrays.image.data)));
  await writeNifti(join(dir, 'mask.nii.gz'), volume(Uint8Array.from(GOLDEN.arrays.labels.data)));
  const file = join(dir, 'exp.misas.json');
  await writeFile(
    file,
    JSON.stringify({
      name: 'transposed',
      model: 'model.onnx',
      inputs: [{ image: 'image.nii.gz', mask: 'mask.nii.gz' }],
      series: [{ transform: 'brightness', values: [1, 2] }],
      keepPredictions: true,
    }),
  );
  const experiment = await loadExperiment(file);
  const model = await loadModel(join(dir, 'model.onnx'));
  try {
    const out = join(dir, 'run');
    const { results } = await executeRun(experiment, [model], { outDir: out });
    const dice = (results.baselines[0].metrics as { dice: Record<string, number> }).dice.on;
    return { dice, kept: await readImage(join(out, 'predictions', 'brightness_input0_1.nii.gz')) };
  } finally {
    await model.dispose();
  }
}

describe('a run with a transposed model', () => {
  it('scores Dice 1 at identity and keeps predictions on the image grid equal to the numpy labels', async () => {
    const { dice, kept } = await runWith('transposed');
    assert.equal(dice, 1);
    assert.deepEqual(kept.dims, dimsOf(GOLDEN.arrays.image));
    assert.deepEqual([...kept.data], GOLDEN.arrays.labels.data);
  });

  it('stated as-stored, the same model sees the wrong layout (resized to fit) and scores far less', async () => {
    const { dice, kept } = await runWith('as-stored');
    assert.deepEqual(kept.dims, dimsOf(GOLDEN.arrays.image));
    assert.ok(dice < 0.9, String(dice));
  });
});
