/**
 * The fit check's conventions on the tiny hand-made models (known weights): what a card states
 * stays fixed; --all tries it; a one-channel sigmoid output is read both as raw scores and as
 * probabilities; a 3D model tries as-stored and reversed axes.
 */
import * as assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNifti } from '../../../../src/engine/io';
import { fitModel } from '../../../../src/engine/model/fit';
import type { Volume } from '../../../../src/engine/volume';
import { image2d, modelFile, modelWithSidecar, SIGMOID, volume3d } from '../fixtures';

/** sigmoid_out.onnx's labels for raw scores s_c = W[c]·x + B[c]: the highest score ≥ 0 gives its plane + 1, else 0 (hand rule). */
function sigmoidLabels(image: Volume): Uint8Array {
  return Uint8Array.from(image.data, (x) => {
    let label = 0,
      best = -Infinity;
    SIGMOID.W.forEach((w, c) => {
      const s = w[0] * x + SIGMOID.B[c];
      if (s >= 0 && s > best) [label, best] = [c + 1, s];
    });
    return label;
  });
}

describe('fit check conventions (hand-made models)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-fit-'));
  });

  it('holds the stated sigmoid output and normalisation fixed; with all, the raw-score reading of as-stored raw input wins with Dice 1', async () => {
    const image = image2d(20, 12, 7);
    const mask: Volume = { ...image, data: sigmoidLabels(image) };
    await writeNifti(join(dir, 'img.nii'), image);
    await writeNifti(join(dir, 'seg.nii'), mask);
    const inputs = [{ image: join(dir, 'img.nii'), mask: join(dir, 'seg.nii') }];

    const stated = await fitModel(modelFile('sigmoid_out'), inputs);
    assert.deepEqual(
      stated.fixed.map((f) => f.field),
      ['normalization', 'output'],
    );
    assert.equal(stated.timing.trials, 8);
    // A 1×1 convolution cannot tell orientations apart: all eight score 1, first in trial order, the rest reported as ties.
    assert.equal(stated.candidates[0].label, 'as-stored · none · sigmoid (raw scores)');
    assert.equal(stated.candidates[0].score, 1);
    assert.equal(stated.ties.length, 7);
    assert.ok(stated.ties.every((label) => label.endsWith(' · none · sigmoid (raw scores)')));

    const all = await fitModel(modelFile('sigmoid_out'), inputs, { all: true });
    // A float image has no dtype scale: none, min-max, percentile, z-score; two readings each.
    assert.equal(all.timing.trials, 8 * 4);
    assert.equal(all.candidates.length, 8 * 4 * 2);
    assert.equal(all.candidates[0].label, 'as-stored · none · sigmoid (raw scores)');
    assert.equal(all.candidates[0].score, 1);
    const applied = all.candidates.find((c) => c.label === 'as-stored · none · sigmoid (applied in the model)')!;
    assert.ok(applied.score < 1, 'thresholding raw scores at 0.5 labels fewer pixels');
    assert.deepEqual(all.cardFields.output, { name: 'logits', kind: 'sigmoid', sigmoidApplied: false });
  });

  it('tries as-stored and reversed-axes for a 3D model', async () => {
    const model = await modelWithSidecar('seg3d');
    const volume = volume3d([8, 6, 4], 3);
    await writeNifti(join(dir, 'vol.nii'), volume);
    const report = await fitModel(model, [{ image: join(dir, 'vol.nii') }]);
    assert.deepEqual(report.tried.find((t) => t.field === 'orientation')?.values, ['as-stored', 'reversed-axes']);
    assert.equal(report.ranking, 'label-free');
  });
});
