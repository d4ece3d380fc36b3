// The analyze wizard's model-card step inside a real VS Code: the engine host inspects a model
// without a card, the wizard asks about what it had to assume through real quick picks and
// input boxes, writes <model>.onnx.misas.json, and the run uses the answers.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CardStepSnapshot } from '../../src/extension/workspace/cardSteps';
import { activateMisas, misasTesting, waitFor, workspaceFolder } from './helpers';

/** The repository this suite was built from (out/test/extension/ is inside it): its test models. */
function repoRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'test', 'data', 'models'))) return dir;
  }
  throw new Error(`no test/data/models above ${__dirname}`);
}

/** A folder of this suite's own with a copy of a test model (no sidecar) and a grey PNG next to it. */
function prepare(folderName: string, modelName: string): { model: vscode.Uri; image: vscode.Uri; folder: string } {
  const folder = path.join(workspaceFolder().fsPath, 'model-card-suite', folderName);
  fs.mkdirSync(folder, { recursive: true });
  fs.copyFileSync(path.join(repoRoot(), 'test', 'data', 'models', modelName), path.join(folder, modelName));
  fs.copyFileSync(path.join(repoRoot(), 'test', 'data', 'colin27', 'ch2bet_z68.png'), path.join(folder, 'brain.png'));
  return { model: vscode.Uri.file(path.join(folder, modelName)), image: vscode.Uri.file(path.join(folder, 'brain.png')), folder };
}

const step = () => vscode.commands.executeCommand<CardStepSnapshot | undefined>('misas._cardStep');

/** Waits for the open model-card step whose title contains `title`. */
function stepTitled(title: string): Promise<CardStepSnapshot> {
  return waitFor(async () => {
    const open = await step();
    // A pick reports its active item once the workbench has shown it.
    return open?.title.includes(title) && (open.kind === 'input' || open.active !== undefined) ? open : undefined;
  }, 20_000, `the model-card step "${title}"`);
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
    const finished = new Promise<{ status: string; runDir?: vscode.Uri; message?: string }>((resolve) => {
      const subscription = api.runs.onDidFinish((outcome) => {
        if (outcome.experimentFile.fsPath !== experimentFile) return;
        subscription.dispose();
        resolve(outcome);
      });
    });
    const wizard = (await misasTesting()).analyze({ model }, {
      images: [image], masks: [null], series: ['brightness'], name: 'card test', modelCard: 'ask',
    });

    // nhwc.onnx states nothing: geometry, normalization, output, classes and slice axis are assumed.
    const geometry = await stepTitled('(1/5)');
    assert.equal(geometry.title, 'misas: Model card (1/5): geometry of nhwc.onnx');
    assert.equal(geometry.kind, 'pick');
    assert.match(geometry.text, /^The model takes any size; padding to a multiple of 16 is assumed\. Enter keeps the assumed pad-to-multiple\.$/);
    assert.deepEqual(geometry.items, ['pad-to-multiple', 'resize', 'pad-crop', 'sliding-window']);
    assert.equal(geometry.active, 'pad-to-multiple', 'the assumed policy is the default');
    await accept();
    const multiple = await stepTitled('geometry of nhwc.onnx: pad-to-multiple');
    assert.equal(multiple.kind, 'input');
    assert.equal(multiple.value, '16');
    await vscode.commands.executeCommand('misas._cardStep', { value: '8' });
    await accept();

    const normalization = await stepTitled('(2/5): normalization');
    assert.match(normalization.text, /^Neither the model nor a card says how intensities are normalised/);
    assert.deepEqual(normalization.items.slice(0, 2), ['z-score', 'none']);
    assert.equal(normalization.active, 'z-score');
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
    const repeated = await vscode.commands.executeCommand<CardStepSnapshot>('misas._cardStep', { value: 'background, dark, dark' });
    assert.match(repeated.validationMessage ?? '', /"dark" is named twice/);
    await accept(); // refused: the step stays open
    assert.match((await step())?.title ?? '', /\(4\/5\)/);
    await vscode.commands.executeCommand('misas._cardStep', { value: 'background, dark tissue, bright tissue' });
    await accept();

    const sliceAxis = await stepTitled('(5/5): slice axis');
    assert.equal(sliceAxis.active, '2: (x, y) planes');
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
      sliceAxis: 2,
    });

    const outcome = await finished;
    assert.equal(outcome.status, 'completed', outcome.message);
    const results = JSON.parse(fs.readFileSync(path.join(outcome.runDir!.fsPath, 'results.json'), 'utf8'));
    assert.deepEqual(results.classes, ['background', 'dark tissue', 'bright tissue']);
    assert.equal(results.models[0].card.normalization.kind, 'none');
    assert.equal(results.models[0].card.geometry.multiple, 8);
  });

  it('Escape at any step cancels the wizard and writes nothing', async () => {
    const { model, image, folder } = prepare('cancelled', 'nhwc.onnx');
    const wizard = (await misasTesting()).analyze({ model }, {
      images: [image], masks: [null], series: ['brightness'], name: 'cancelled', modelCard: 'ask',
    });
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

  it('asks nothing when the model has a sidecar card, and leaves that card alone', async () => {
    const { model, image } = prepare('has-card', 'nhwc.onnx');
    const cardFile = `${model.fsPath}.misas.json`;
    const text = '{ "normalization": { "kind": "none" } }\n';
    fs.writeFileSync(cardFile, text);
    const file = await (await misasTesting()).analyze({ model }, {
      images: [image], masks: [null], series: ['brightness'], name: 'has card', modelCard: 'ask', run: false,
    });
    assert.ok(file, 'the wizard stopped');
    assert.equal(fs.readFileSync(cardFile, 'utf8'), text);
  });

  it('stops at a model that is no segmentation model or cannot be read, without asking or writing', async () => {
    for (const modelName of ['classifier.onnx', 'truncated.onnx']) {
      const { model, image, folder } = prepare(modelName.replace('.onnx', ''), modelName);
      const file = await (await misasTesting()).analyze({ model }, {
        images: [image], masks: [null], series: ['brightness'], name: 'refused', modelCard: 'ask', run: false,
      });
      assert.equal(file, undefined, modelName);
      assert.equal(await step(), undefined, `${modelName}: a model-card step is open`);
      assert.deepEqual(fs.readdirSync(folder).sort(), ['brain.png', modelName]);
    }
  });

  it('with pre-made card answers it writes them without asking (unanswered ones keep the assumed value)', async () => {
    const { model, image } = prepare('automated', 'nhwc.onnx');
    const file = await (await misasTesting()).analyze({ model }, {
      images: [image], masks: [null], series: ['brightness'], name: 'automated', run: false,
      modelCard: { classes: ['background', 'a', 'b'], normalization: { kind: 'min-max' } },
    });
    assert.ok(file);
    const card = JSON.parse(fs.readFileSync(`${model.fsPath}.misas.json`, 'utf8'));
    assert.deepEqual(Object.keys(card), ['$comment', 'geometry', 'normalization', 'output', 'classes', 'sliceAxis']);
    assert.deepEqual(card.classes, ['background', 'a', 'b']);
    assert.deepEqual(card.normalization, { kind: 'min-max' });
    assert.deepEqual(card.geometry, { policy: 'pad-to-multiple', multiple: 16 });
  });
});
