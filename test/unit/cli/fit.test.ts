/**
 * `misas fit` as a user runs it: the example network wrapped to take transposed raw slices
 * (test/data/models/colin27_transposed_raw.onnx, no card) on the example's validation slices;
 * after --write-card, `misas run` of the wrapped model gives the baseline Dice of the example
 * model with its own card.
 */
import * as assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sidecarPath } from '../../../src/engine/model/sidecar';
import { resultsFromJson } from '../../../src/engine/report/results';
import { misas, misasInterrupted } from '../../helpers/cli';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const DATA = join(ROOT, 'examples', 'colin27', 'data');
const SLICES = ['z045', 'z065', 'z075', 'z085', 'z115'];
const image = (id: string) => join(DATA, `colin27_${id}_image.nii.gz`);
const mask = (id: string) => join(DATA, `colin27_${id}_label.nii.gz`);

/** The baseline Dice per class (in class order) of a run folder, per input. */
async function baselineDice(runDir: string): Promise<number[][]> {
  const results = resultsFromJson(await readFile(join(runDir, 'results.json'), 'utf8'));
  return results.baselines.map((baseline) => Object.values(baseline.metrics.dice!) as number[]);
}

describe('misas fit', function () {
  this.timeout(240_000);
  let dir: string;
  let model: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-cli-fit-'));
    model = join(dir, 'wrapped.onnx');
    await copyFile(join(ROOT, 'test', 'data', 'models', 'colin27_transposed_raw.onnx'), model);
  });

  it('stops on Ctrl-C: exit 1, "cancelled", and no card written even with --write-card', async () => {
    await assert.rejects(readFile(sidecarPath(model)), { code: 'ENOENT' }, 'no card before');
    const { code, stderr, interrupts } = await misasInterrupted('fit', model, image('z065'), '--write-card');
    assert.equal(interrupts, 1, 'fit arms the interrupt while it works');
    assert.equal(code, 1, stderr);
    assert.match(stderr, /misas fit: cancelled; no card written/);
    await assert.rejects(readFile(sidecarPath(model)), { code: 'ENOENT' }, 'no card after');
  });

  it('exits 2 for a mask count that does not match the images, and names a missing image', async () => {
    const mismatch = await misas('fit', model, image('z065'), image('z075'), '--mask', mask('z065'));
    assert.equal(mismatch.code, 2);
    assert.match(mismatch.stderr, /one --mask per image, in order: 2 image\(s\), 1 mask\(s\)/);
    const missing = await misas('fit', model, join(DATA, 'nowhere.nii.gz'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nowhere\.nii\.gz: file not found/);
    assert.doesNotMatch(missing.stderr, /\n\s+at /, 'no stack trace');
  });

  it('ranks transposed + none first, writes the card, refuses to overwrite it, and the run reproduces the original baseline', async () => {
    const args = ['fit', model, ...SLICES.map(image), ...SLICES.flatMap((id) => ['--mask', mask(id)])];
    const { code, stdout, stderr } = await misas(...args, '--write-card');
    assert.equal(code, 0, stderr);
    assert.match(stdout, /ranked by mean foreground Dice against the masks \(5 images\)/);
    assert.match(stdout, /^1 +transposed +none +logits +0\.7\d\d /m);
    assert.match(stdout, /near tie: rotated-90 · none · logits/);
    assert.match(
      stdout,
      /wrote .*wrapped\.onnx\.misas\.json: orientation "transposed", normalization \{"kind":"none"\}, output/,
    );
    const card = JSON.parse(await readFile(`${model}.misas.json`, 'utf8')) as Record<string, unknown>;
    assert.equal(card.orientation, 'transposed');
    assert.deepEqual(card.normalization, { kind: 'none' });

    const again = await misas(...args, '--write-card');
    assert.equal(again.code, 2);
    assert.match(again.stderr, /wrapped\.onnx\.misas\.json: a model card exists already; give --force/);

    // The same small experiment with the wrapped model (its new card) and with the example model (its own card).
    await copyFile(join(ROOT, 'examples', 'colin27', 'model.onnx'), join(dir, 'original.onnx'));
    await copyFile(join(ROOT, 'examples', 'colin27', 'model.onnx.misas.json'), join(dir, 'original.onnx.misas.json'));
    for (const id of ['z065', 'z075']) {
      await copyFile(image(id), join(dir, `${id}_image.nii.gz`));
      await copyFile(mask(id), join(dir, `${id}_label.nii.gz`));
    }
    const baselines: number[][][] = [];
    for (const name of ['wrapped', 'original']) {
      const experiment = join(dir, `${name}.misas.json`);
      await writeFile(
        experiment,
        JSON.stringify({
          name,
          model: `${name}.onnx`,
          inputs: ['z065', 'z075'].map((id) => ({ image: `${id}_image.nii.gz`, mask: `${id}_label.nii.gz` })),
          series: [{ transform: 'rotate', values: [0, 10] }],
        }),
      );
      const run = await misas('run', experiment, '--out', join(dir, `run-${name}`), '--threads', '2');
      assert.equal(run.code, 0, run.stderr);
      baselines.push(await baselineDice(join(dir, `run-${name}`)));
    }
    const [wrapped, original] = baselines;
    original.forEach((perClass, input) =>
      perClass.forEach((dice, c) => {
        assert.ok(
          Math.abs(wrapped[input][c] - dice) <= 0.005,
          `input ${input}, class ${c}: wrapped ${wrapped[input][c]} vs original ${dice}`,
        );
      }),
    );
  });

  it('ranks without masks by the label-free score', async () => {
    const { code, stdout, stderr } = await misas('fit', model, ...SLICES.map(image), '--json');
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout) as { ranking: string; candidates: { label: string }[] };
    assert.equal(report.ranking, 'label-free');
    assert.equal(report.candidates[0].label, 'transposed · none · logits');
  });
});
