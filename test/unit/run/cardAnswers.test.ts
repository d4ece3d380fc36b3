import * as assert from 'node:assert/strict';
import { inferCard } from '../../../src/engine/model/card';
import type { ModelInspection, TensorDescription } from '../../../src/engine/model/inspect';
import { validateCardFile } from '../../../src/engine/model/sidecar';
import type { IntensityFacts } from '../../../src/engine/io/intensityFacts';
import { ORIENTATIONS_2D } from '../../../src/engine/model/orientation';
import {
  automatedAnswers,
  CARD_COMMENT,
  cardFromAnswers,
  cardSteps,
  editedCard,
  EDIT_CARD_COMMENT,
  type ChoiceStep,
  type TextStep,
} from '../../../src/extension/workspace/cardAnswers';
import { parseClassNames, parseSize } from '../../../src/extension/workspace/cardChoices';

const tensor = (name: string, shape: (number | string)[]): TensorDescription => ({
  name,
  elementType: 'float32',
  shape: shape.map((d) => (typeof d === 'number' ? d : null)),
  dimNames: shape.map((d) => (typeof d === 'string' ? d : null)),
});

/** Like test/data/models/nhwc.onnx: channels last, any size, three output channels, no metadata. */
const nhwc: ModelInspection = {
  path: '/models/nhwc.onnx',
  inputs: [tensor('image', ['batch', 'height', 'width', 3])],
  outputs: [tensor('logits', ['batch', 'height', 'width', 3])],
  metadata: {},
};

/** A fixed-size single-channel 2D model with a one-channel (sigmoid) output. */
const fixedSigmoid: ModelInspection = {
  path: '/models/fixed.onnx',
  inputs: [tensor('x', [1, 1, 64, 48])],
  outputs: [tensor('y', [1, 1, 64, 48])],
  metadata: {},
};

function stepsOf(inspection: ModelInspection) {
  const { card, unresolved } = inferCard(inspection);
  return { card, unresolved, steps: cardSteps(unresolved, { spatialDims: card.spatialDims }) };
}

const choice = (steps: ReturnType<typeof cardSteps>, field: string) =>
  steps.find((s) => s.field === field) as ChoiceStep;

describe('extension/workspace/cardAnswers', () => {
  it("asks one step per unresolved property, in card order, each with the inference's reason", () => {
    const { unresolved, steps } = stepsOf(nhwc);
    assert.deepEqual(
      steps.map((s) => s.field),
      ['geometry', 'normalization', 'output', 'classes', 'sliceAxis', 'orientation'],
    );
    for (const step of steps) assert.equal(step.reason, unresolved.find((u) => u.field === step.field)!.reason);
  });

  it("offers the engine's eight 2D orientations, as-stored (the assumed one) first, each with its description", () => {
    const orientation = choice(stepsOf(nhwc).steps, 'orientation');
    assert.deepEqual(
      orientation.choices.map((c) => c.value),
      ORIENTATIONS_2D.map((o) => o.value),
    );
    assert.match(orientation.choices[0].description ?? '', /^assumed · rows = y, columns = x/);
    assert.match(orientation.choices[1].description ?? '', /nibabel/);
  });

  it('offers the assumed value first, marked, so Enter keeps it; but never an assumed normalisation', () => {
    const { steps } = stepsOf(nhwc);
    const normalization = choice(steps, 'normalization');
    assert.deepEqual(
      normalization.choices.map((c) => c.label),
      ['none', 'min-max', 'z-score', 'percentile', 'fixed', 'scale'],
    );
    assert.equal(normalization.preselected, undefined, 'nothing in the model implies z-score');
    assert.ok(normalization.choices.every((c) => !/assumed/.test(c.description ?? '')));
    const geometry = choice(steps, 'geometry');
    assert.equal(geometry.preselected, 0);
    assert.match(geometry.choices[0].description!, /^assumed · /);
    assert.equal(choice(steps, 'geometry').choices[0].label, 'pad-to-multiple');
    assert.equal(choice(steps, 'output').choices[0].label, 'logits');
    assert.equal(choice(steps, 'sliceAxis').choices[0].value, 2);
    const classes = steps.find((s) => s.field === 'classes') as TextStep;
    assert.equal(classes.kind, 'text');
    assert.equal(classes.value, 'background, class 1, class 2');
  });

  it('accepting every default writes a card that resolves to what was assumed, with nothing left unresolved', () => {
    for (const inspection of [nhwc, fixedSigmoid]) {
      const { card, steps } = stepsOf(inspection);
      assert.throws(
        () => automatedAnswers(steps, {}),
        /the model card answers must give normalization: nothing follows from the images/,
      );
      const written = validateCardFile(
        cardFromAnswers(automatedAnswers(steps, { normalization: { kind: 'z-score' } })),
        `${inspection.path}.misas.json`,
      );
      const again = inferCard(inspection, written);
      assert.deepEqual(again.card, card, inspection.path);
      assert.deepEqual(again.unresolved, [], inspection.path);
      for (const step of steps) assert.equal(again.sources[step.field], 'sidecar', `${inspection.path}: ${step.field}`);
    }
  });

  it('writes only a $comment and the asked properties, in card order', () => {
    const { steps } = stepsOf(nhwc);
    const answers = automatedAnswers(steps, {
      classes: ['background', 'tumour', 'oedema'],
      normalization: { kind: 'scale', factor: 0.5 },
    });
    const card = cardFromAnswers(answers);
    assert.deepEqual(Object.keys(card), [
      '$comment',
      'geometry',
      'normalization',
      'output',
      'classes',
      'sliceAxis',
      'orientation',
    ]);
    assert.deepEqual(card, {
      $comment: CARD_COMMENT,
      geometry: { policy: 'pad-to-multiple', multiple: 16 },
      normalization: { kind: 'scale', factor: 0.5 },
      output: { kind: 'logits' },
      classes: ['background', 'tumour', 'oedema'],
      sliceAxis: 2,
      orientation: 'as-stored',
    });
    assert.deepEqual(inferCard(nhwc, validateCardFile(card, 'card.json')).card.classes, [
      'background',
      'tumour',
      'oedema',
    ]);
  });

  it('fits the choices to the shapes: no pad-to-multiple for a fixed size, no softmax for one channel', () => {
    const { steps } = stepsOf(fixedSigmoid);
    const geometry = choice(steps, 'geometry');
    assert.deepEqual(
      geometry.choices.map((c) => c.label),
      ['resize', 'pad-crop', 'sliding-window'],
    );
    assert.deepEqual(
      geometry.choices[1].value,
      { policy: 'pad-crop', size: [48, 64] },
      'the model size in image order (width, height)',
    );
    assert.deepEqual(
      choice(steps, 'output').choices.map((c) => c.label),
      ['sigmoid', 'sigmoid, applied', 'labels'],
    );
    // Each offered output kind is one the engine accepts for this model.
    for (const offered of choice(steps, 'output').choices) {
      assert.doesNotThrow(
        () => inferCard(fixedSigmoid, validateCardFile({ output: offered.value }, 'card.json')),
        offered.label,
      );
    }
  });

  it('reads typed parameters: percentiles, a fraction, a size, a multiple', () => {
    const { steps } = stepsOf(nhwc);
    const kinds = choice(steps, 'normalization').choices;
    const parameter = (label: string) => kinds.find((c) => c.label === label)!.parameter!;
    assert.deepEqual(parameter('percentile').parse('1, 99'), { value: { kind: 'percentile', lo: 1, hi: 99 } });
    assert.ok('error' in parameter('percentile').parse('99, 1'));
    assert.deepEqual(parameter('scale').parse(parameter('scale').value), { value: { kind: 'scale', factor: 1 / 255 } });
    assert.deepEqual(parameter('fixed').parse('120, 45'), { value: { kind: 'fixed', mean: 120, std: 45 } });
    assert.ok('error' in parameter('fixed').parse('120, 0'));
    const geometry = choice(steps, 'geometry').choices;
    assert.deepEqual(geometry.find((c) => c.label === 'resize')!.parameter!.parse('256x192'), {
      value: { policy: 'resize', size: [256, 192] },
    });
    assert.deepEqual(geometry[0].parameter!.parse('32'), { value: { policy: 'pad-to-multiple', multiple: 32 } });
    assert.deepEqual(parseSize('64 x 64 x 32', 3), { value: [64, 64, 32] });
    assert.ok('error' in parseSize('64x64', 3));
  });

  const facts = (dtype: string, min: number, max: number, dims = [181, 217], integers = true): IntensityFacts => ({
    dtype,
    dims,
    channels: 1,
    min,
    max,
    mean: (min + max) / 2,
    sd: (max - min) / 4,
    p1: min,
    p99: max * 0.9,
    integers,
  });

  it("shows the images' facts with the normalisation question and pre-selects only what they imply", () => {
    const { unresolved, card } = inferCard(nhwc);
    const uint8 = choice(
      cardSteps(unresolved, { spatialDims: card.spatialDims, images: [facts('uint8', 0, 125)], hasVolume: false }),
      'normalization',
    );
    assert.equal(uint8.note, 'uint8, 0…125 (p1 0, p99 113)');
    assert.equal(uint8.preselected, 0);
    assert.equal(uint8.choices[0].label, 'scale');
    assert.match(uint8.choices[0].description!, /^fits the images · /);
    assert.equal(uint8.choices[0].detail, '×1/255 → 0…0.49 — fits: 8-bit values into 0…1');
    assert.equal(uint8.choices.find((c) => c.label === 'z-score')!.detail, '(x − 62.5) / 31.3 → -2…2');

    const uint16 = choice(
      cardSteps(unresolved, { spatialDims: 2, images: [facts('uint16', 0, 4000)], hasVolume: false }),
      'normalization',
    );
    assert.equal(uint16.preselected, undefined, 'nothing fits: the user chooses');
    assert.equal(uint16.choices.at(-1)!.label, 'scale', 'contradicted choices come last');
    assert.equal(uint16.choices.at(-1)!.detail, '×1/255 → 0…15.7 — contradicted: leaves 0…1: the values reach 0…4000');

    const unit = choice(
      cardSteps(unresolved, { spatialDims: 2, images: [facts('float32', 0, 1, [64, 64], false)], hasVolume: false }),
      'normalization',
    );
    assert.equal(unit.choices[unit.preselected!].label, 'none');
  });

  it('asks the slice axis only when a volume is among the images (or when that is not known)', () => {
    const { unresolved } = inferCard(nhwc);
    const fields = (hasVolume?: boolean) =>
      cardSteps(unresolved, { spatialDims: 2, ...(hasVolume === undefined ? {} : { hasVolume }) }).map((s) => s.field);
    assert.ok(!fields(false).includes('sliceAxis'));
    assert.ok(fields(true).includes('sliceAxis'));
    assert.ok(fields(undefined).includes('sliceAxis'));
  });

  it('Edit Model Card: the current answers come first, marked by where they come from, parameters prefilled', () => {
    const steps = cardSteps(
      [
        {
          field: 'normalization',
          current: { kind: 'scale', factor: 1 / 255 },
          reason: 'the card says so',
          origin: 'card',
        },
        {
          field: 'geometry',
          current: { policy: 'pad-to-multiple', multiple: 8 },
          reason: 'the card says so',
          origin: 'card',
        },
        {
          field: 'output',
          current: { kind: 'logits', name: 'logits' },
          reason: "the model's metadata_props say so",
          origin: 'metadata',
        },
      ],
      { spatialDims: 2 },
    );
    const normalization = choice(steps, 'normalization');
    assert.equal(normalization.choices[0].label, 'scale');
    assert.match(normalization.choices[0].description!, /^from the card · /);
    assert.equal(normalization.choices[0].parameter!.value, '1/255');
    assert.equal(choice(steps, 'geometry').choices[0].parameter!.value, '8');
    assert.match(choice(steps, 'output').choices[0].description!, /^from the model's metadata · /);
  });

  it('Edit Model Card writes the answers over the sidecar, keeping what it did not ask and what the metadata already says', () => {
    const existing = {
      $schema: 'x.json',
      description: 'mine',
      geometry: { policy: 'pad-to-multiple' as const, multiple: 16, padValue: 'zero' as const },
      classes: ['bg', 'a', 'b'],
    };
    const card = editedCard(
      existing,
      {
        geometry: { policy: 'pad-to-multiple', multiple: 8 },
        normalization: { kind: 'none' },
        output: { kind: 'logits' },
      },
      { output: { kind: 'logits', name: 'logits' } },
    );
    assert.deepEqual(card, {
      $schema: 'x.json',
      description: 'mine',
      geometry: { policy: 'pad-to-multiple', multiple: 8, padValue: 'zero' },
      classes: ['bg', 'a', 'b'],
      normalization: { kind: 'none' },
    });
    assert.deepEqual(editedCard(undefined, { normalization: { kind: 'min-max' } }), {
      $comment: EDIT_CARD_COMMENT,
      normalization: { kind: 'min-max' },
    });
  });

  it('reads class names and refuses empty, single or repeated ones', () => {
    assert.deepEqual(parseClassNames(' background , liver,tumour '), { value: ['background', 'liver', 'tumour'] });
    assert.match((parseClassNames('background') as { error: string }).error, /at least two/);
    assert.match((parseClassNames('background,,liver') as { error: string }).error, /empty/);
    assert.match((parseClassNames('background, liver, liver') as { error: string }).error, /"liver" is named twice/);
  });
});
