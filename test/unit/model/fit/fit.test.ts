/**
 * The fit check on a real model with a convention misas does not assume: the example U-Net
 * wrapped to take transposed, raw slices (tools/testmodels/make_transposed.py). The reference
 * is the example model on the same slices with its own card, and torch's Dice of it
 * (examples/colin27/reference/manifest.json).
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readImage, readLabelMap } from '../../../../src/engine/io';
import { computeMetrics } from '../../../../src/engine/metrics';
import { loadModel } from '../../../../src/engine/model';
import { fitModel, type FitReport } from '../../../../src/engine/model/fit';
import { writeFitCard } from '../../../../src/engine/model/fit/cardFile';
import { modelFile, modelWithSidecar } from '../fixtures';

const EXAMPLE = resolve('examples/colin27');
const ORIGINAL = join(EXAMPLE, 'model.onnx');
const TRANSPOSED = modelFile('colin27_transposed_raw');
/** The example's five validation slices: with fewer, the left-right mirror of the answer can win (see the ties test). */
const SLICES = ['z045', 'z065', 'z075', 'z085', 'z115'];
const paths = (id: string) => ({
  image: join(EXAMPLE, 'data', `colin27_${id}_image.nii.gz`),
  mask: join(EXAMPLE, 'data', `colin27_${id}_label.nii.gz`),
});
const WITH_MASKS = SLICES.map(paths);
// null (NaN in Python) = the class is in neither mask, which misas scores 1.
const torchDice = (
  JSON.parse(readFileSync(join(EXAMPLE, 'reference', 'manifest.json'), 'utf8').replace(/\bNaN\b/g, 'null')) as {
    items: { id: string; diceOriginalGrid: (number | null)[] }[];
  }
).items
  .filter((item) => SLICES.includes(item.id))
  .map((item) => item.diceOriginalGrid.map((dice) => dice ?? 1));
const meanOf = (rows: number[][], c: number) => rows.reduce((sum, row) => sum + row[c], 0) / rows.length;

/** The example model's identity Dice per foreground class, mean over the slices, as a run computes it. */
async function originalDice(): Promise<number[]> {
  const model = await loadModel(ORIGINAL);
  try {
    const perSlice: number[][] = [];
    for (const { image, mask } of WITH_MASKS) {
      const [prediction] = await model.predict([await readImage(image)]);
      const result = computeMetrics(prediction, await readLabelMap(mask), { classes: 4, metrics: ['dice'] });
      perSlice.push([1, 2, 3].map((c) => result.values.dice![c] as number));
    }
    return [0, 1, 2].map((c) => meanOf(perSlice, c));
  } finally {
    await model.dispose();
  }
}

describe('fit check (real onnxruntime on the Colin27 example)', () => {
  let withMasks: FitReport;
  before(async () => {
    withMasks = await fitModel(TRANSPOSED, WITH_MASKS);
  });

  it('ranks transposed + raw intensities + logits first for the transposed model, by Dice', () => {
    const [winner] = withMasks.candidates;
    assert.equal(withMasks.ranking, 'dice');
    assert.equal(winner.orientation, 'transposed');
    assert.deepEqual(winner.normalization, { kind: 'none' });
    assert.equal(winner.output.kind, 'logits');
    assert.equal(winner.label, 'transposed · none · logits');
    assert.deepEqual(withMasks.cardFields, {
      orientation: 'transposed',
      normalization: { kind: 'none' },
      output: { name: 'logits', kind: 'logits' },
    });
    // The uncalibrated alternatives are far behind: the as-stored slice is the transpose of what the model knows.
    const asStored = withMasks.candidates.find(
      (c) => c.orientation === 'as-stored' && c.normalization.kind === 'none',
    )!;
    assert.ok(asStored.score < winner.score - 0.2, `as-stored ${asStored.score} vs transposed ${winner.score}`);
  });

  it("reproduces the original model's identity Dice (its own card; torch's reference)", async () => {
    const [winner] = withMasks.candidates;
    const reference = await originalDice();
    const fitted = ['class 1', 'class 2', 'class 3'].map((name) => winner.dice![name]);
    fitted.forEach((dice, c) =>
      assert.ok(Math.abs(dice - reference[c]) <= 0.01, `class ${c + 1}: fit ${dice} vs original model ${reference[c]}`),
    );
    const torch = [0, 1, 2].map((c) => meanOf(torchDice, c));
    fitted.forEach((dice, c) =>
      assert.ok(Math.abs(dice - torch[c]) <= 0.01, `class ${c + 1}: fit ${dice} vs torch ${torch[c]}`),
    );
    assert.ok(Math.abs(winner.meanDice! - reference.reduce((a, b) => a + b) / 3) <= 0.01);
  });

  it('tries every trial on the first input and only the best few on the others', () => {
    const { candidates, timing, tried, fixed } = withMasks;
    assert.equal(timing.trials, 8 * 5); // uint8 slices: none, ×1/255, min-max, percentile, z-score
    assert.equal(candidates.length, 40);
    assert.equal(candidates.filter((c) => c.inputs === 5).length, 4);
    assert.ok(
      candidates.slice(0, 4).every((c) => c.inputs === 5),
      'candidates seen on every input rank first',
    );
    assert.deepEqual(
      tried.map((t) => t.field),
      ['orientation', 'normalization', 'output'],
    );
    assert.deepEqual(fixed, []);
    // 40 trials in batches of 8 on the first slice, then 4 trials in one batch on each of the other four.
    assert.equal(timing.modelCalls, 5 + 4);
    assert.ok(
      withMasks.assumed.some((item) => item.field === 'geometry'),
      'what the check did not test stays listed as assumed',
    );
  });

  it('reports the left-right mirror of the winner as a near tie instead of hiding it', () => {
    // The brain is nearly symmetric: transposed and transposed-then-mirrored (rotated-90) score alike.
    assert.deepEqual(withMasks.ties, ['rotated-90 · none · logits']);
  });

  it('without masks, the label-free score picks the same convention', async () => {
    const report = await fitModel(
      TRANSPOSED,
      SLICES.map((id) => ({ image: paths(id).image })),
    );
    assert.equal(report.ranking, 'label-free');
    assert.equal(report.candidates[0].label, 'transposed · none · logits');
    assert.equal(report.candidates[0].meanDice, null);
    // Raw intensities scaled down to 0…1 (then ×1/255 inside the model) leave an empty foreground: score 0.
    const scaled = report.candidates.find((c) => c.orientation === 'transposed' && c.normalization.kind === 'min-max')!;
    assert.equal(scaled.labelFree.score, 0);
  });

  it('holds what the card states fixed, and tests it with all', async () => {
    const report = await fitModel(ORIGINAL, WITH_MASKS);
    // Its card states orientation, normalisation and output: one trial, nothing to write.
    assert.deepEqual(
      report.fixed.map((f) => [f.field, f.source]),
      [
        ['orientation', 'sidecar'],
        ['normalization', 'sidecar'],
        ['output', 'sidecar'],
      ],
    );
    assert.equal(report.timing.trials, 1);
    assert.equal(report.candidates[0].label, 'as-stored · ×1/255 · logits');
    assert.deepEqual(report.cardFields, {});
    const all = await fitModel(ORIGINAL, WITH_MASKS, { all: true });
    assert.equal(all.timing.trials, 40);
    assert.deepEqual(all.fixed, []);
    assert.equal(all.candidates[0].label, 'as-stored · ×1/255 · logits');
  });

  it('writes the winner into a new card, refuses to replace one without force, keeps untested fields', async () => {
    const model = await modelWithSidecar(TRANSPOSED);
    const report = { ...withMasks, model };
    const written = await writeFitCard(report);
    assert.equal(written.replaced, false);
    const card = JSON.parse(await readFile(`${model}.misas.json`, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(card.normalization, { kind: 'none' });
    assert.deepEqual(card.output, { name: 'logits', kind: 'logits' });
    await assert.rejects(writeFitCard(report), /a model card exists already; give --force/);
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(`${model}.misas.json`, JSON.stringify({ ...card, classes: ['bg', 'cortex', 'deep', 'cb'] })),
    );
    const forced = await writeFitCard(
      { ...report, cardFields: { normalization: { kind: 'scale', factor: 2 } } },
      { force: true },
    );
    assert.equal(forced.replaced, true);
    const updated = JSON.parse(await readFile(`${model}.misas.json`, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(updated.classes, ['bg', 'cortex', 'deep', 'cb']);
    assert.deepEqual(updated.normalization, { kind: 'scale', factor: 2 });
  });

  it('says which file is bad', async () => {
    await assert.rejects(
      fitModel(TRANSPOSED, [{ image: join(EXAMPLE, 'data', 'missing.nii.gz') }]),
      /missing\.nii\.gz/,
    );
    await assert.rejects(
      fitModel(TRANSPOSED, [
        { image: paths('z065').image, mask: resolve('test/data/colin27/ch2bet_crop40x48x10.nii.gz') },
      ]),
      /ch2bet_crop40x48x10\.nii\.gz.*same dims/,
    );
  });
});
