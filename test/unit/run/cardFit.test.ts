import * as assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { readIntensityFacts } from '../../../src/engine/io/intensityFacts';
import { inferCard, inspectModel } from '../../../src/engine/model';
import { fitModel } from '../../../src/engine/model/fit';
import { cardSteps, type ChoiceStep } from '../../../src/extension/workspace/cardAnswers';
import { withFitResult } from '../../../src/extension/workspace/cardFitResult';

const MODEL = resolve('test/data/models/colin27_transposed_raw.onnx');
const DATA = resolve('examples/colin27/data');

describe("extension/workspace/cardAnswers: the wizard's fit check", () => {
  it('offers the fit check in the normalisation and orientation steps when masks are there, and pre-selects the winner with its Dice', async function () {
    this.timeout(120_000);
    const inputs = ['z065', 'z085'].map((z) => ({
      image: join(DATA, `colin27_${z}_image.png`),
      mask: join(DATA, `colin27_${z}_label.png`),
    }));
    const { unresolved, card } = inferCard(await inspectModel(MODEL));
    const images = await Promise.all(inputs.map((input) => readIntensityFacts(input.image)));
    const steps = cardSteps(unresolved, { spatialDims: card.spatialDims, images, hasVolume: false, fitCheck: true });
    const step = (field: string) => steps.find((s) => s.field === field) as ChoiceStep;
    assert.equal(step('normalization').fitCheck, 'offer');
    assert.equal(step('orientation').fitCheck, 'offer');
    assert.equal(step('geometry').fitCheck, undefined);
    // Before the check, the uint8 images imply ×1/255 …
    assert.equal(step('normalization').choices[0].label, 'scale');

    const report = await fitModel(MODEL, inputs);
    const fitted = withFitResult(steps, report);
    const after = (field: string) => fitted.find((s) => s.field === field) as ChoiceStep;
    // … but this model was trained on raw, transposed slices: the check finds that out.
    const normalization = after('normalization');
    assert.equal(normalization.fitCheck, 'done');
    assert.equal(normalization.preselected, 0);
    assert.equal(normalization.choices[0].label, 'none');
    const best = report.candidates[0];
    assert.equal(best.normalization.kind, 'none');
    assert.ok(best.meanDice! > 0.8, `best Dice ${best.meanDice}`);
    assert.match(
      normalization.choices[0].description!,
      new RegExp(`^fit check: best, mean foreground Dice ${best.meanDice!.toFixed(2)} · raw intensities$`),
    );
    const scale = normalization.choices.find((c) => c.label === 'scale')!;
    const scaleBest = report.candidates.find((c) => c.normalization.kind === 'scale')!;
    assert.match(scale.detail!, new RegExp(`fit check: mean foreground Dice ${scaleBest.meanDice!.toFixed(2)}$`));
    assert.ok(scaleBest.meanDice! < best.meanDice!);
    assert.match(normalization.choices.find((c) => c.label === 'fixed')!.detail!, /fit check: not tried$/);

    const orientation = after('orientation');
    assert.equal(orientation.choices[0].value, 'transposed');
    assert.equal(orientation.preselected, 0);
    assert.match(orientation.choices[0].description!, /^fit check: best, mean foreground Dice /);
    assert.equal(after('geometry'), step('geometry'), 'other steps are left as they were');
  });
});
