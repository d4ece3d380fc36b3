// The analyze wizard's model-card step inside a real VS Code: the engine host inspects a model
// without a card, the wizard asks about what it had to assume through real quick picks and
// input boxes, writes <model>.onnx.misas.json, and the run uses the answers.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CardStepSnapshot } from '../../src/extension/workspace/cardSteps';
import { activateMisas, misasTesting, nextFinish, repoRoot, waitFor, workspaceFolder } from './helpers';

/** A folder of this suite's own with a copy of a test model (no sidecar) and a grey PNG next to it. */
function prepare(folderName: string, modelName: string): { model: vscode.Uri; image: vscode.Uri; folder: string } {
  const folder = path.join(workspaceFolder().fsPath, 'model-card-suite', folderName);
  fs.mkdirSync(folder, { recursive: true });
  fs.copyFileSync(path.join(repoRoot(), 'test', 'data', 'models', modelName), path.join(folder, modelName));
  fs.copyFileSync(path.join(repoRoot(), 'test', 'data', 'colin27', 'ch2bet_z68.png'), path.join(folder, 'brain.png'));
  return {
    model: vscode.Uri.file(path.join(folder, modelName)),
    image: vscode.Uri.file(path.join(folder, 'brain.png')),
    folder,
  };
}

const step = () => vscode.commands.executeCommand<CardStepSnapshot | undefined>('misas.internal.cardStep');

/** Waits for the open model-card step whose title contains `title`. */
function stepTitled(title: string): Promise<CardStepSnapshot> {
  return waitFor(
    async () => {
      const open = await step();
      // A pick reports its active item once the workbench has shown it.
      return open?.title.includes(title) && (open.kind === 'input' || open.active !== undefined) ? open : undefined;
    },
    20_000,
    `the model-card step "${title}"`,
  );
}

/** Enter, as the keyboard does it. */
const accept = () => vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');

describe('analyze wizard: model-card step', () => {
  before(async () => {
    await activateMisas();
  });

  afterEach(async () => {
    // A failed test must not leave its quick input open for the next one.
    if (await step()) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  it('asks about each unresolved property, writes only those to the sidecar card, and the run uses the class names', async () => {
    const { api } = await activateMisas();
    const { model, image, folder } = prepare('asked', 'nhwc.onnx');
    const experimentFile = path.join(folder, 'card_test.misas.json');
    const finished = nextFinish(api.runs, experimentFile);
    const wizard = (await misasTesting()).analyze(
      { model },
      {
        images: [image],
        masks: [null],
        series: ['brightness'],
        name: 'card test',
        modelCard: 'ask',
      },
    );

    // nhwc.onnx states nothing: geometry, normalization, output, classes and orientation are assumed (the slice axis is not asked: the image is 2D).
    const geometry = await stepTitled('(1/5)');
    assert.equal(geometry.title, 'misas: Model card (1/5): geometry of nhwc.onnx');
    assert.equal(geometry.kind, 'pick');
    assert.match(
      geometry.text,
      /^The model takes any size; padding to a multiple of 16 is assumed\. Enter keeps the assumed pad-to-multiple\.$/,
    );
    assert.deepEqual(geometry.items, ['pad-to-multiple', 'resize', 'pad-crop', 'sliding-window']);
    assert.equal(geometry.active, 'pad-to-multiple', 'the assumed policy is the default');
    await accept();
    const multiple = await stepTitled('geometry of nhwc.onnx: pad-to-multiple');
    assert.equal(multiple.kind, 'input');
    assert.equal(multiple.value, '16');
    await vscode.commands.executeCommand('misas.internal.cardStep', { value: '8' });
    await accept();

    // The image's facts beside the question; the 8-bit image implies ×1/255, never the assumed z-score.
    const normalization = await stepTitled('(2/5): normalization');
    assert.match(
      normalization.text,
      /^Images: uint8, 0…\d+ \(p1 \d+, p99 \d+\)\. Neither the model nor a card says how intensities are normalised\. Enter keeps scale\.$/,
    );
    assert.deepEqual(normalization.items, ['scale', 'none', 'min-max', 'z-score', 'percentile', 'fixed']);
    assert.equal(normalization.active, 'scale');
    assert.match(
      normalization.itemTexts[0],
      /^fits the images · .* \| ×1\/255 → 0…0\.\d+ — fits: 8-bit values into 0…1$/,
    );
    assert.match(normalization.itemTexts[1], /\| as is: 0…\d+$/);
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext'); // ↓ to "none"
    await waitFor(async () => ((await step())?.active === 'none' ? true : undefined), 5_000, '"none" to become active');
    await accept();

    const output = await stepTitled('(3/5): output');
    assert.equal(output.active, 'logits');
    await accept();

    const classes = await stepTitled('(4/5): class names');
    assert.equal(classes.kind, 'input');
    assert.equal(classes.value, 'background, class 1, class 2', 'prefilled with the assumed names');
    assert.match(classes.text, /^The model does not name its classes\./);
    const repeated = await vscode.commands.executeCommand<CardStepSnapshot>('misas.internal.cardStep', {
      value: 'background, dark, dark',
    });
    assert.match(repeated.validationMessage ?? '', /"dark" is named twice/);
    await accept(); // refused: the step stays open
    assert.match((await step())?.title ?? '', /\(4\/5\)/);
    await vscode.commands.executeCommand('misas.internal.cardStep', {
      value: 'background, dark tissue, bright tissue',
    });
    await accept();

    const orientation = await stepTitled('(5/5): orientation');
    assert.deepEqual(orientation.items.slice(0, 2), ['as-stored', 'transposed']);
    assert.equal(orientation.active, 'as-stored');
    assert.match(orientation.text, /nibabel's data\[:, :, k\] wants transposed/);
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext'); // ↓ to "transposed"
    await waitFor(
      async () => ((await step())?.active === 'transposed' ? true : undefined),
      5_000,
      '"transposed" to become active',
    );
    await accept();

    const file = await wizard;
    assert.equal(file?.fsPath, experimentFile);
    const card = JSON.parse(fs.readFileSync(`${model.fsPath}.misas.json`, 'utf8'));
    assert.match(card.$comment, /Written by misas/);
    delete card.$comment;
    assert.deepEqual(card, {
      geometry: { policy: 'pad-to-multiple', multiple: 8 },
      normalization: { kind: 'none' },
      output: { kind: 'logits' },
      classes: ['background', 'dark tissue', 'bright tissue'],
      orientation: 'transposed',
    });

    const outcome = await finished;
    assert.equal(outcome.status, 'completed', outcome.message);
    const results = JSON.parse(fs.readFileSync(path.join(outcome.runDir!.fsPath, 'results.json'), 'utf8'));
    assert.deepEqual(results.classes, ['background', 'dark tissue', 'bright tissue']);
    assert.equal(results.models[0].card.normalization.kind, 'none');
    assert.equal(results.models[0].card.geometry.multiple, 8);
    assert.equal(results.models[0].card.orientation, 'transposed');
  });

  it('Escape at any step cancels the wizard and writes nothing', async () => {
    const { model, image, folder } = prepare('cancelled', 'nhwc.onnx');
    const wizard = (await misasTesting()).analyze(
      { model },
      {
        images: [image],
        masks: [null],
        series: ['brightness'],
        name: 'cancelled',
        modelCard: 'ask',
      },
    );
    await stepTitled('(1/5)');
    await accept();
    await stepTitled('pad-to-multiple');
    await accept();
    await stepTitled('(2/5)');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen'); // Escape
    assert.equal(await wizard, undefined);
    assert.equal(fs.existsSync(`${model.fsPath}.misas.json`), false, 'a card was written');
    assert.deepEqual(fs.readdirSync(folder).sort(), ['brain.png', 'nhwc.onnx'], 'a file was written');
  });

  it('offers to review an existing card and keeps it by default (Enter), untouched', async () => {
    const { model, image } = prepare('has-card', 'nhwc.onnx');
    const cardFile = `${model.fsPath}.misas.json`;
    const text = '{ "normalization": { "kind": "none" } }\n';
    fs.writeFileSync(cardFile, text);
    const wizard = (await misasTesting()).analyze(
      { model },
      {
        images: [image],
        masks: [null],
        series: ['brightness'],
        name: 'has card',
        modelCard: 'ask',
        run: false,
      },
    );
    const review = await stepTitled('Model card of nhwc.onnx');
    assert.deepEqual(review.items, ['Keep the model card', 'Review the model card…']);
    assert.equal(review.active, 'Keep the model card');
    await accept();
    assert.ok(await wizard, 'the wizard stopped');
    assert.equal(fs.readFileSync(cardFile, 'utf8'), text);
  });

  it('stops at a model that is no segmentation model or cannot be read, without asking or writing', async () => {
    for (const modelName of ['classifier.onnx', 'truncated.onnx']) {
      const { model, image, folder } = prepare(modelName.replace('.onnx', ''), modelName);
      const file = await (
        await misasTesting()
      ).analyze(
        { model },
        {
          images: [image],
          masks: [null],
          series: ['brightness'],
          name: 'refused',
          modelCard: 'ask',
          run: false,
        },
      );
      assert.equal(file, undefined, modelName);
      assert.equal(await step(), undefined, `${modelName}: a model-card step is open`);
      assert.deepEqual(fs.readdirSync(folder).sort(), ['brain.png', modelName]);
    }
  });

  it('with pre-made card answers it writes them without asking (unanswered ones keep the assumed value)', async () => {
    const { model, image } = prepare('automated', 'nhwc.onnx');
    const file = await (
      await misasTesting()
    ).analyze(
      { model },
      {
        images: [image],
        masks: [null],
        series: ['brightness'],
        name: 'automated',
        run: false,
        modelCard: { classes: ['background', 'a', 'b'], normalization: { kind: 'min-max' } },
      },
    );
    assert.ok(file);
    const card = JSON.parse(fs.readFileSync(`${model.fsPath}.misas.json`, 'utf8'));
    assert.deepEqual(
      Object.keys(card),
      ['$comment', 'geometry', 'normalization', 'output', 'classes', 'orientation'],
      'no slice axis for a 2D image',
    );
    assert.deepEqual(card.classes, ['background', 'a', 'b']);
    assert.deepEqual(card.normalization, { kind: 'min-max' });
    assert.deepEqual(card.geometry, { policy: 'pad-to-multiple', multiple: 16 });
  });

  it("the example's uint8 images: their facts beside the normalisation question, ×1/255 pre-selected (not z-score)", async () => {
    // The example's own model states its card in metadata_props; nhwc.onnx states nothing, so normalisation is asked.
    const { model, folder } = prepare('example-images', 'nhwc.onnx');
    const example = path.join(repoRoot(), 'examples', 'colin27', 'data');
    const images = ['z065', 'z085'].map((z) => {
      for (const role of ['image', 'label'])
        fs.copyFileSync(path.join(example, `colin27_${z}_${role}.png`), path.join(folder, `colin27_${z}_${role}.png`));
      return vscode.Uri.file(path.join(folder, `colin27_${z}_image.png`));
    });
    // Without masks: no fit check is offered, the facts alone decide what is pre-selected.
    const wizard = (await misasTesting()).analyze(
      { model },
      {
        images,
        masks: [null, null],
        series: ['brightness'],
        name: 'facts',
        modelCard: 'ask',
        run: false,
      },
    );
    await stepTitled('geometry of nhwc.onnx');
    await accept();
    await stepTitled('geometry of nhwc.onnx: pad-to-multiple');
    await accept();
    const normalization = await stepTitled('normalization of nhwc.onnx');
    assert.match(normalization.text, /^Images: uint8, 0…1\d\d \(p1 0, p99 1\d\d\)\./);
    assert.equal(normalization.active, 'scale', 'the 8-bit images imply ×1/255');
    assert.notEqual(normalization.items[0], 'z-score');
    assert.match(normalization.itemTexts[0], /×1\/255 → 0…0\.\d+ \(first image\) — fits: 8-bit values into 0…1$/);
    assert.match(normalization.itemTexts[normalization.items.indexOf('z-score')], /\(x − [\d.]+\) \/ [\d.]+ → /);
    await accept();
    const factor = await stepTitled('normalization of nhwc.onnx: scale');
    assert.equal(factor.value, '1/255');
    await accept();
    await stepTitled('output of nhwc.onnx');
    await accept();
    await stepTitled('class names of nhwc.onnx');
    await accept();
    await stepTitled('orientation of nhwc.onnx');
    await accept();
    assert.ok(await wizard);
    // What the example's model was trained with (its metadata_props: misas.normalization = scale:1/255).
    assert.deepEqual(JSON.parse(fs.readFileSync(`${model.fsPath}.misas.json`, 'utf8')).normalization, {
      kind: 'scale',
      factor: 1 / 255,
    });
  });

  it('with masks, a fit check is offered first; it finds the raw, transposed convention of a model the facts alone would misjudge, and the run scores well', async () => {
    const { api } = await activateMisas();
    const { model, folder } = prepare('fit-check', 'colin27_transposed_raw.onnx');
    const example = path.join(repoRoot(), 'examples', 'colin27', 'data');
    const images = ['z065', 'z085'].map((z) => {
      for (const role of ['image', 'label'])
        fs.copyFileSync(path.join(example, `colin27_${z}_${role}.png`), path.join(folder, `colin27_${z}_${role}.png`));
      return vscode.Uri.file(path.join(folder, `colin27_${z}_image.png`));
    });
    const masks = images.map((image) => vscode.Uri.file(image.fsPath.replace('_image', '_label')));
    const experimentFile = path.join(folder, 'fitted.misas.json');
    const finished = nextFinish(api.runs, experimentFile);
    const wizard = (await misasTesting()).analyze(
      { model },
      {
        images,
        masks,
        series: ['brightness'],
        name: 'fitted',
        modelCard: 'ask',
      },
    );
    await stepTitled('geometry of colin27_transposed_raw.onnx');
    await accept();
    const offered = await stepTitled('normalization of colin27_transposed_raw.onnx');
    assert.equal(offered.items[0], '$(beaker) Find out with a fit check (recommended)');
    assert.equal(offered.active, offered.items[0]);
    assert.match(offered.text, /Enter runs a fit check on the images and their masks \(recommended\)\.$/);
    await accept();
    const fitted = await waitFor(
      async () => {
        const open = await step();
        return open?.title.includes('normalization of') && open.active === 'none' ? open : undefined;
      },
      120_000,
      "the normalisation step with the fit check's winner",
    );
    assert.ok(!fitted.items.some((item) => item.includes('fit check')), 'the fit check is not offered again');
    assert.match(fitted.itemTexts[0], /^fit check: best, mean foreground Dice 0\.(8|9)\d · raw intensities/);
    assert.match(fitted.itemTexts[fitted.items.indexOf('scale')], /fit check: mean foreground Dice 0\.\d\d$/);
    await accept();
    await stepTitled('output of colin27_transposed_raw.onnx');
    await accept();
    await stepTitled('class names of colin27_transposed_raw.onnx');
    await vscode.commands.executeCommand('misas.internal.cardStep', {
      value: 'background, cortex, deep_gm, cerebellum',
    });
    await accept();
    const orientation = await stepTitled('orientation of colin27_transposed_raw.onnx');
    assert.equal(orientation.active, 'transposed', "the fit check's winner, without asking again");
    assert.match(orientation.itemTexts[0], /^fit check: best, mean foreground Dice /);
    await accept();
    assert.equal((await wizard)?.fsPath, experimentFile);
    const card = JSON.parse(fs.readFileSync(`${model.fsPath}.misas.json`, 'utf8'));
    assert.deepEqual([card.normalization, card.orientation], [{ kind: 'none' }, 'transposed']);

    const outcome = await finished;
    assert.equal(outcome.status, 'completed', outcome.message);
    const results = JSON.parse(fs.readFileSync(path.join(outcome.runDir!.fsPath, 'results.json'), 'utf8'));
    const foreground = (results.baselines as Array<{ metrics: { dice: Record<string, number | null> } }>).flatMap((b) =>
      Object.entries(b.metrics.dice)
        .filter(([name, dice]) => name !== 'background' && dice !== null)
        .map(([, dice]) => dice!),
    );
    assert.ok(
      foreground.length >= 4 && foreground.every((dice) => dice > 0.7),
      `identity Dice ${JSON.stringify(foreground)}`,
    );
  });

  it('Edit Model Card asks every question again with the current answers selected, Back keeps answers, and writes the change over the card', async () => {
    const { model } = prepare('edit', 'nhwc.onnx');
    const cardFile = `${model.fsPath}.misas.json`;
    fs.writeFileSync(
      cardFile,
      JSON.stringify({
        description: 'keep me',
        geometry: { policy: 'pad-to-multiple', multiple: 8, padValue: 'zero' },
        normalization: { kind: 'none' },
      }),
    );
    const edit = vscode.commands.executeCommand<vscode.Uri | undefined>('misas.editModelCard', model, [model]);

    const geometry = await stepTitled('(1/6): geometry of nhwc.onnx');
    assert.equal(geometry.active, 'pad-to-multiple');
    assert.match(geometry.itemTexts[0], /^from the card · /);
    await accept();
    const multiple = await stepTitled('geometry of nhwc.onnx: pad-to-multiple');
    assert.equal(multiple.value, '8', "prefilled with the card's multiple");
    await accept();
    const normalization = await stepTitled('(2/6): normalization');
    assert.equal(normalization.active, 'none');
    assert.match(normalization.itemTexts[0], /^from the card · /);
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext'); // ↓ to "min-max"
    await waitFor(
      async () => ((await step())?.active === 'min-max' ? true : undefined),
      5_000,
      '"min-max" to become active',
    );
    await accept();
    const output = await stepTitled('(3/6): output');
    assert.equal(output.active, 'logits');
    assert.match(output.itemTexts[0], /^inferred · /);
    await vscode.commands.executeCommand('workbench.action.quickInputBack');
    const again = await stepTitled('(2/6): normalization');
    assert.equal(again.active, 'min-max', 'Back shows the answer given');
    await accept();
    await stepTitled('(3/6): output');
    await accept();
    const classes = await stepTitled('(4/6): class names');
    assert.equal(classes.value, 'background, class 1, class 2');
    await accept();
    const sliceAxis = await stepTitled('(5/6): slice axis');
    assert.equal(sliceAxis.active, '2: (x, y) planes');
    await accept();
    const orientation = await stepTitled('(6/6): orientation');
    assert.equal(orientation.active, 'as-stored');
    await accept();

    assert.equal((await edit)?.fsPath, cardFile);
    assert.deepEqual(JSON.parse(fs.readFileSync(cardFile, 'utf8')), {
      description: 'keep me',
      geometry: { policy: 'pad-to-multiple', multiple: 8, padValue: 'zero' },
      normalization: { kind: 'min-max' },
      output: { kind: 'logits' },
      classes: ['background', 'class 1', 'class 2'],
      sliceAxis: 2,
      orientation: 'as-stored',
    });
    await waitFor(
      () => (vscode.window.activeTextEditor?.document.uri.fsPath === cardFile ? true : undefined),
      10_000,
      'the card to be opened',
    );
  });

  it('Edit Model Card: Escape writes nothing; from the card file itself it edits that model', async () => {
    const { model } = prepare('edit-escape', 'nhwc.onnx');
    const cardFile = `${model.fsPath}.misas.json`;
    const text = '{ "normalization": { "kind": "none" } }';
    fs.writeFileSync(cardFile, text);
    const edit = vscode.commands.executeCommand<vscode.Uri | undefined>(
      'misas.editModelCard',
      vscode.Uri.file(cardFile),
      [vscode.Uri.file(cardFile)],
    );
    await stepTitled('geometry of nhwc.onnx');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen'); // Escape
    assert.equal(await edit, undefined);
    assert.equal(fs.readFileSync(cardFile, 'utf8'), text);
  });
});
