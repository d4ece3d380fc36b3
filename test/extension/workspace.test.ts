// The workbench side of the extension, inside a real VS Code: contributions, the Experiments
// tree (fed by files on disk, as the CLI writes them), the analyze wizard, and run commands.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  resultsToJson,
  RESULTS_FORMAT,
  RESULTS_FORMAT_VERSION,
  type ResultsSeries,
  type RunResults,
} from '../../src/engine/report/results';
import { resolveExperiment } from '../../src/engine/sweep/experiment/load';
import type { NodeSnapshot, TreeSnapshot } from '../../src/extension/workspace/experimentsTree';
import { matchMasks } from '../../src/extension/workspace/masks';
import { startFromSelection } from '../../src/extension/workspace/wizardStart';
import { explorerSelection } from '../../src/extension/commandArgs';
import { COMMANDS, INTERNAL_COMMANDS } from '../../src/extension/commandIds';
import { activateMisas, holdEngineAtFirstRows, misasTesting, waitFor, workspaceFolder } from './helpers';

const suiteFolder = () => vscode.Uri.joinPath(workspaceFolder(), 'workspace-suite');

async function snapshot(): Promise<TreeSnapshot> {
  return (await vscode.commands.executeCommand<TreeSnapshot>('misas.internal.experimentsSnapshot'))!;
}

function findNode(nodes: NodeSnapshot[], resource: vscode.Uri): NodeSnapshot | undefined {
  return nodes.find((node) => node.resource === resource.toString());
}

/** A small results.json as the engine writes it: two series, one input, one foreground class. */
function craftResults(
  status: RunResults['status'],
  startedAt: string,
  durationMs: number,
  problems: RunResults['problems'] = [],
): RunResults {
  const series = (
    name: string,
    transform: string,
    unit: string,
    kind: 'spatial' | 'intensity',
    values: number[],
    identity: number,
  ): ResultsSeries => ({
    name,
    transform,
    options: {},
    unit,
    scale: 'linear',
    kind,
    values: [values],
    identity: [identity],
    rows: values.map((value) => ({
      model: 0,
      input: 0,
      value,
      baseline: value === identity,
      metrics: { dice: { background: 0.99, cortex: value === identity ? 0.9 : 0.5 } },
      empty: [],
    })),
    summaries: [
      {
        identity,
        baseline: 0.99,
        tau: 0.9,
        higherIsBetter: true,
        threshold: 0.891,
        tolerance: [identity, identity],
        breakdown: { below: null, above: null },
        nauc: 0.5,
        skipped: [],
        model: 0,
        input: 0,
        metric: 'dice',
        className: 'background',
        sentence: `background sentence for ${name}`,
        headline: false,
      },
      {
        identity,
        baseline: 0.9,
        tau: 0.9,
        higherIsBetter: true,
        threshold: 0.81,
        tolerance: [identity, identity],
        breakdown: { below: values[0], above: values[values.length - 1] },
        nauc: 0.5,
        skipped: [],
        model: 0,
        input: 0,
        metric: 'dice',
        className: 'cortex',
        sentence: `cortex headline for ${name}`,
        headline: true,
      },
    ],
    aggregates: [],
  });
  return {
    format: RESULTS_FORMAT,
    formatVersion: RESULTS_FORMAT_VERSION,
    status,
    engineVersion: 'test',
    experiment: {
      file: 'colin27.misas.json',
      content: { name: 'colin27-unet', model: 'model.onnx', inputs: [{ image: 'a.nii.gz' }], series: [] } as never,
    },
    models: [
      {
        index: 0,
        label: 'unet',
        path: 'model.onnx',
        sha256: '0'.repeat(64),
        classNames: ['background', 'cortex'],
        card: {},
      },
    ],
    inputs: [
      {
        input: 0,
        entry: 0,
        label: 'a',
        imagePath: 'a.nii.gz',
        dims: [4, 4],
        spacing: [1, 1],
        pseudoTruth: false,
        imageSha256: '0'.repeat(64),
      },
    ],
    baselines: [{ model: 0, input: 0, metrics: { dice: { background: 0.99, cortex: 0.9 } }, empty: [] }],
    problems,
    pseudoTruth: false,
    classes: ['background', 'cortex'],
    metrics: ['dice'],
    seed: 0,
    tolerance: 0.9,
    timing: { startedAt, finishedAt: new Date(Date.parse(startedAt) + durationMs).toISOString(), durationMs },
    series: [
      series('rotate', 'rotate', '°', 'spatial', [-30, 0, 30], 0),
      series('dark', 'brightness', '', 'intensity', [0.25, 1, 4], 1),
    ],
  };
}

/** Writes a run folder the way the engine and the CLI do: results.json last, plainly on disk. */
function writeRun(runsRoot: string, folderName: string, results?: RunResults): string {
  const runDir = path.join(runsRoot, folderName);
  fs.mkdirSync(runDir, { recursive: true });
  if (results) fs.writeFileSync(path.join(runDir, 'results.json'), resultsToJson(results));
  return runDir;
}

describe('misas workspace features', () => {
  let exampleExperiment: vscode.Uri;

  before(async () => {
    await activateMisas();
    exampleExperiment = (await (await misasTesting()).openExample(vscode.Uri.joinPath(suiteFolder(), 'colin27')))!;
    assert.ok(exampleExperiment, 'openExample returned no experiment file');
  });

  describe('contributions', () => {
    it('registers every command that package.json contributes', async () => {
      const { extension } = await activateMisas();
      const contributed: string[] = extension.packageJSON.contributes.commands.map(
        (c: { command: string }) => c.command,
      );
      const registered = new Set(await vscode.commands.getCommands(true));
      const missing = contributed.filter((id) => !registered.has(id));
      assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
      for (const id of [
        'misas.analyzeModel',
        'misas.analyzeImage',
        'misas.newExperiment',
        'misas.openResults',
        'misas.compareRuns',
        'misas.deleteRun',
        'misas.revealFile',
        'misas.refreshExperiments',
        'misas.runExperiment',
        'misas.cancelRun',
      ]) {
        assert.ok(contributed.includes(id), `${id} is not contributed`);
      }
      // The registry is the whole truth: exactly its ids are registered (VS Code adds misas.experiments.* for the view itself).
      const ours = [...registered]
        .filter((id) => id.startsWith('misas.') && !id.startsWith('misas.experiments.'))
        .sort();
      assert.deepEqual(ours, [...Object.values(COMMANDS), ...Object.values(INTERNAL_COMMANDS)].sort());
    });

    it('menus name only contributed commands, and each contributed command has the misas category', async () => {
      const { extension } = await activateMisas();
      const { commands, menus } = extension.packageJSON.contributes as {
        commands: Array<{ command: string; category: string }>;
        menus: Record<string, Array<{ command: string }>>;
      };
      const known = new Set(commands.map((c) => c.command));
      for (const [menu, entries] of Object.entries(menus)) {
        for (const entry of entries)
          assert.ok(known.has(entry.command), `${menu} names ${entry.command}, which is not contributed`);
      }
      for (const c of commands) assert.equal(c.category, 'misas', c.command);
    });

    it('jsonValidation, the view container icon and the walkthrough media point to files that exist', async () => {
      const { extension } = await activateMisas();
      const contributes = extension.packageJSON.contributes;
      const root = extension.extensionUri.fsPath;
      const urls: string[] = contributes.jsonValidation.map((entry: { url: string }) => entry.url);
      assert.ok(urls.includes('./schemas/experiment.schema.json') && urls.includes('./schemas/model-card.schema.json'));
      for (const url of urls) {
        const schema = JSON.parse(fs.readFileSync(path.join(root, url), 'utf8'));
        assert.equal(typeof schema, 'object', url);
      }
      const experimentEntry = contributes.jsonValidation.find(
        (entry: { url: string }) => entry.url === './schemas/experiment.schema.json',
      );
      assert.deepEqual(
        experimentEntry.fileMatch,
        ['*.misas.json', '!*.onnx.misas.json'],
        'model cards must not be validated as experiments',
      );
      for (const container of contributes.viewsContainers.activitybar)
        assert.ok(fs.existsSync(path.join(root, container.icon)), container.icon);
      const steps = contributes.walkthroughs[0].steps as Array<{ media: { markdown?: string; image?: string } }>;
      for (const step of steps) {
        const file = step.media.markdown ?? step.media.image!;
        assert.ok(fs.existsSync(path.join(root, file)), file);
      }
    });

    it('declares the settings of the contract with their defaults', () => {
      const config = vscode.workspace.getConfiguration('misas');
      assert.equal(config.get('threads'), 0);
      assert.equal(config.get('executionProvider'), 'cpu');
      assert.equal(config.get('batchSize'), 0);
      assert.deepEqual(config.get('defaultSeries'), [
        'rotate',
        'crop',
        'zoom',
        'dihedral',
        'resize',
        'brightness',
        'contrast',
        'spike',
        'ghosting',
        'bias-field',
      ]);
      assert.equal(config.get('tolerance'), 0.9);
      assert.equal(config.get('runsFolder'), '.misas/runs');
      assert.equal(config.get('keepPredictions'), false);
    });
  });

  describe('the bundled example', () => {
    it('is copied with its model, data and experiment, which the engine accepts', () => {
      const folder = path.dirname(exampleExperiment.fsPath);
      for (const file of [
        'model.onnx',
        'model.onnx.misas.json',
        'README.md',
        'data/colin27_z065_image.nii.gz',
        'data/colin27_z065_label.nii.gz',
      ]) {
        assert.ok(fs.existsSync(path.join(folder, file)), `${file} was not copied`);
      }
      const text = fs.readFileSync(exampleExperiment.fsPath, 'utf8');
      assert.doesNotMatch(
        text,
        /\$schema/,
        'the repository-relative $schema must not be copied (jsonValidation covers the file)',
      );
      const resolved = resolveExperiment(JSON.parse(text), exampleExperiment.fsPath, workspaceFolder().fsPath);
      assert.equal(resolved.experiment.name, 'colin27-unet');
      for (const input of resolved.inputs)
        assert.ok(fs.existsSync(input.image) && fs.existsSync(input.mask!), input.image);
    });
  });

  describe('Experiments tree', () => {
    // VS Code's file watcher starts with the workspace and can take a while on a busy machine;
    // events from before it is ready are lost. Wait until it reports a file of ours.
    before(async () => {
      const probe = vscode.Uri.joinPath(suiteFolder(), 'probe', 'probe.misas.json');
      const start = (await snapshot()).refreshCount;
      for (let attempt = 0; attempt < 30; attempt++) {
        await vscode.workspace.fs.writeFile(probe, new TextEncoder().encode(`{ "name": "probe ${attempt}" }\n`));
        await new Promise((resolve) => setTimeout(resolve, 1000));
        if ((await snapshot()).refreshCount > start) break;
      }
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(probe, '..'), { recursive: true });
    });

    it('lists the example experiment, without runs at first', async () => {
      const node = await waitFor(
        async () => findNode((await snapshot()).nodes, exampleExperiment),
        10_000,
        'the example in the tree',
      );
      assert.equal(node.kind, 'experiment');
      assert.equal(node.label, 'colin27-unet');
      assert.equal(node.contextValue, 'misas.experiment');
      assert.deepEqual(node.children, []);
    });

    it('does not list model cards as experiments', async () => {
      const card = vscode.Uri.joinPath(exampleExperiment, '..', 'model.onnx.misas.json');
      assert.equal(findNode((await snapshot()).nodes, card), undefined);
    });

    it('shows runs written on disk (as by the CLI) after the file watcher fires: newest first, with status, duration and series', async () => {
      const runsRoot = path.join(path.dirname(exampleExperiment.fsPath), '.misas', 'runs', 'colin27-unet');
      const before = (await snapshot()).refreshCount;
      const older = writeRun(
        runsRoot,
        '2026-01-02T03-04-05-006Z',
        craftResults('completed', '2026-01-02T03:04:05.006Z', 83_000),
      );
      const skipped = [
        { file: 'data/b.nii.gz', problem: 'data/b.nii.gz: file not found', action: 'skipped' as const, input: 1 },
        { file: 'data/c.nii.gz', problem: 'no mask matches data/c_seg.nii.gz', action: 'skipped' as const },
      ];
      const newer = writeRun(
        runsRoot,
        '2026-01-03T03-04-05-006Z',
        craftResults('cancelled', '2026-01-03T03:04:05.006Z', 4_200, skipped),
      );
      const failed = writeRun(runsRoot, '2026-01-01T00-00-00-000Z');

      // No explicit refresh: the watcher has to notice the new folders.
      let last: TreeSnapshot | undefined;
      const tree = await waitFor(
        async () => {
          const shot = (last = await snapshot());
          const node = findNode(shot.nodes, exampleExperiment);
          return shot.refreshCount > before && node?.children.length === 3 ? shot : undefined;
        },
        15_000,
        'the three runs to appear',
      ).catch((error: Error) => {
        const runs = findNode(last?.nodes ?? [], exampleExperiment)?.children.length;
        throw new Error(`${error.message} (refreshes ${before} → ${last?.refreshCount}, runs listed ${runs})`);
      });
      const runs = findNode(tree.nodes, exampleExperiment)!.children;
      assert.deepEqual(
        runs.map((run) => run.resource),
        [newer, older, failed].map((dir) => vscode.Uri.file(dir).toString()),
        'newest first',
      );
      assert.deepEqual(
        runs.map((run) => run.contextValue),
        ['misas.run.cancelled', 'misas.run.completed', 'misas.run.incomplete'],
      );
      assert.match(runs[0].description, /^cancelled · 4\.2 s · 2 inputs skipped$/);
      assert.match(runs[0].tooltip, /^.*model unet\W+model\W+onnx/m, 'the tooltip names the model and its file');
      assert.match(runs[0].tooltip, /2 inputs skipped/);
      assert.match(runs[0].tooltip, /file not found/);
      assert.match(runs[1].description, /^completed · 1 min 23 s$/);
      assert.match(runs[2].description, /^incomplete$/);
      for (const run of runs) assert.match(run.label, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, 'label = local start time');

      const series = runs[1].children;
      assert.deepEqual(
        series.map((s) => s.label),
        ['rotate', 'dark'],
      );
      assert.deepEqual(
        series.map((s) => s.contextValue),
        ['misas.series', 'misas.series'],
      );
      assert.equal(series[0].description, '-30 … 30 °');
      assert.equal(series[1].description, 'brightness · 0.25 … 4');
      assert.equal(series[0].tooltip, 'cortex headline for rotate', 'the tooltip is the headline sentence');
      assert.deepEqual(runs[2].children, [], 'an incomplete run has no series');
    });

    it('misas.openResults opens the results panel of a run node', async () => {
      const runs = findNode((await snapshot()).nodes, exampleExperiment)!.children;
      const runDir = vscode.Uri.parse(runs[1].resource!);
      await vscode.commands.executeCommand('misas.openResults', { runDir });
      const panels =
        await vscode.commands.executeCommand<{ runDir: string; visible: boolean }[]>('misas.internal.resultsPanels');
      const panel = panels.find((p) => vscode.Uri.parse(p.runDir).fsPath === runDir.fsPath);
      assert.ok(panel, `no panel for ${runDir.fsPath} among ${JSON.stringify(panels.map((p) => p.runDir))}`);
      assert.equal(panel.visible, true);
    });

    it('misas.deleteRun moves the run folder to the trash once confirmed (or, where there is no trash, deletes it after a second confirmation), and the tree drops it', async () => {
      const testing = await misasTesting();
      const runs = findNode((await snapshot()).nodes, exampleExperiment)!.children;
      const incomplete = vscode.Uri.parse(runs.find((run) => run.contextValue === 'misas.run.incomplete')!.resource!);
      const where = vscode.workspace.asRelativePath(incomplete, false);
      const asked: Array<{ message: string; detail: string; actions: string[] }> = [];
      // Cancel: nothing happens.
      testing.answerModals((question) => void asked.push(question));
      try {
        assert.equal(await vscode.commands.executeCommand<boolean>('misas.deleteRun', { runDir: incomplete }), false);
        assert.deepEqual(asked, [
          {
            message: `Delete the run ${where}?`,
            detail: 'Its folder, with results.json and results.csv, moves to the trash.',
            actions: ['Move to Trash'],
          },
        ]);
        assert.ok(fs.existsSync(incomplete.fsPath), 'cancelled, yet the folder is gone');
        // Confirmed: to the trash; if the file system cannot trash, a second question says so.
        asked.length = 0;
        testing.answerModals((question) => (asked.push(question), question.actions[0]));
        assert.equal(await vscode.commands.executeCommand<boolean>('misas.deleteRun', { runDir: incomplete }), true);
      } finally {
        testing.answerModals(undefined);
      }
      assert.equal(asked[0].message, `Delete the run ${where}?`);
      if (asked.length > 1) {
        assert.equal(asked.length, 2);
        assert.equal(asked[1].message, `The run ${where} cannot be moved to the trash.`);
        assert.deepEqual(asked[1].actions, ['Delete Permanently']);
      }
      assert.equal(fs.existsSync(incomplete.fsPath), false, 'the folder is still there');
      const after = findNode((await snapshot()).nodes, exampleExperiment)!.children;
      assert.equal(after.length, 2);
      assert.ok(!after.some((run) => run.resource === incomplete.toString()));
    });

    it('misas.deleteRun refuses anything but a run folder, asks nothing and deletes nothing', async () => {
      const testing = await misasTesting();
      const root = path.join(suiteFolder().fsPath, 'not-runs');
      fs.mkdirSync(root, { recursive: true });
      fs.writeFileSync(
        path.join(root, 'other.misas.json'),
        JSON.stringify({ name: 'other', model: 'm.onnx', inputs: [], series: [] }),
      );
      const runsOfOther = path.join(root, '.misas', 'runs', 'other');
      const candidates = [
        root, // a folder holding an experiment
        path.join(root, '2026-01-01T00-00-00-000Z'), // named like a run, but in no runs folder
        path.join(runsOfOther, 'keep-me'), // in a runs folder, but not named like a run
        runsOfOther, // the runs folder itself
        path.join(root, '.misas', 'runs', 'unknown-experiment', '2026-01-01T00-00-00-000Z'), // a run of no experiment in the workspace
      ];
      for (const dir of candidates) {
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, 'precious.txt'), dir);
      }
      const file = path.join(runsOfOther, 'results.json');
      fs.writeFileSync(file, '{}');
      const asked: string[] = [];
      testing.answerModals((question) => void asked.push(question.message));
      try {
        for (const target of [
          ...candidates.map((dir) => ({ runDir: vscode.Uri.file(dir) })),
          vscode.Uri.file(root),
          vscode.Uri.file(file),
          workspaceFolder(),
        ]) {
          assert.equal(
            await vscode.commands.executeCommand<boolean>('misas.deleteRun', target),
            false,
            `deleted ${JSON.stringify(target)}`,
          );
        }
      } finally {
        testing.answerModals(undefined);
      }
      assert.deepEqual(asked, [], 'asked to confirm deleting something that is not a run');
      for (const dir of candidates)
        assert.equal(fs.readFileSync(path.join(dir, 'precious.txt'), 'utf8'), dir, `${dir} lost a file`);
      assert.ok(fs.existsSync(file));
      fs.rmSync(root, { recursive: true, force: true });
    });
  });

  describe('analyze wizard (pre-made answers)', () => {
    it('writes a valid experiment next to the model with the picked images and masks matched by name', async () => {
      const folder = path.dirname(exampleExperiment.fsPath);
      const model = vscode.Uri.file(path.join(folder, 'model.onnx'));
      const images = ['data/colin27_z065_image.nii.gz', 'data/colin27_z085_image.png'].map((p) =>
        vscode.Uri.file(path.join(folder, p)),
      );
      const file = await (
        await misasTesting()
      ).analyze({ model }, { images, series: ['rotate', 'brightness'], name: 'wizard test', run: false });
      assert.ok(file, 'the wizard returned no file');
      assert.equal(file.fsPath, path.join(folder, 'wizard_test.misas.json'));
      const data = JSON.parse(fs.readFileSync(file.fsPath, 'utf8'));
      const resolved = resolveExperiment(data, file.fsPath, workspaceFolder().fsPath);
      assert.equal(resolved.experiment.name, 'wizard test');
      assert.equal(data.model, 'model.onnx');
      assert.deepEqual(data.inputs, [
        { image: 'data/colin27_z065_image.nii.gz', mask: 'data/colin27_z065_label.nii.gz' },
        { image: 'data/colin27_z085_image.png', mask: 'data/colin27_z085_label.png' },
      ]);
      assert.deepEqual(
        resolved.series.map((s) => s.transform),
        ['rotate', 'brightness'],
      );
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, file.fsPath, 'the file is opened');
    });

    it('takes "no mask" and the default series and name, and refuses to overwrite silently', async () => {
      const folder = path.dirname(exampleExperiment.fsPath);
      const model = vscode.Uri.file(path.join(folder, 'model.onnx'));
      const image = path.join(folder, 'data', 'colin27_z075_image.nii.gz');
      const file = (await (await misasTesting()).analyze({ model }, { images: [image], masks: [null], run: false }))!;
      assert.equal(path.basename(file.fsPath), 'model-sensitivity.misas.json');
      const data = JSON.parse(fs.readFileSync(file.fsPath, 'utf8'));
      resolveExperiment(data, file.fsPath, workspaceFolder().fsPath);
      assert.deepEqual(data.inputs, [{ image: 'data/colin27_z075_image.nii.gz' }]);
      assert.deepEqual(
        data.series.map((s: { transform: string }) => s.transform),
        vscode.workspace.getConfiguration('misas').get('defaultSeries'),
      );
      const again = await (
        await misasTesting()
      ).analyze({ model }, { images: [image], name: 'model-sensitivity', run: false });
      assert.equal(again, undefined, 'an existing experiment was replaced without overwrite: true');
    });

    it('spells out default ranges when asked to, so they can be edited', async () => {
      const folder = path.dirname(exampleExperiment.fsPath);
      const model = vscode.Uri.file(path.join(folder, 'model.onnx'));
      const image = path.join(folder, 'data', 'colin27_z075_image.nii.gz');
      const file = (await (
        await misasTesting()
      ).analyze(
        { model },
        { images: [image], series: ['rotate', 'resize'], name: 'ranges', explicitRanges: true, run: false },
      ))!;
      const data = JSON.parse(fs.readFileSync(file.fsPath, 'utf8'));
      const resolved = resolveExperiment(data, file.fsPath, workspaceFolder().fsPath);
      assert.deepEqual(data.series[1], { transform: 'resize' }, 'resize has no fixed default range');
      assert.ok(resolved.series[0].values.length > 3, 'rotate has an explicit range');
      assert.equal(resolved.series[0].values[0], data.series[0].start);
    });

    it('starts from what the Explorer passes: the clicked model, the selected images ticked, the rest named', () => {
      const folder = path.dirname(exampleExperiment.fsPath);
      const uri = (p: string) => vscode.Uri.file(path.join(folder, p));
      const [model, other, a, b, experiment] = [
        'model.onnx',
        'model-rotaug.onnx',
        'data/colin27_z065_image.nii.gz',
        'data/colin27_z085_image.png',
        'colin27.misas.json',
      ].map(uri);
      const names = (uris?: vscode.Uri[]) => uris?.map((u) => u.fsPath);
      // Right-click a model alone: VS Code passes (model, [model]).
      assert.deepEqual(startFromSelection(model, explorerSelection(model, [model])), { start: { model } });
      // A model with two images selected.
      const withImages = startFromSelection(model, explorerSelection(model, [a, model, b]));
      assert.equal(withImages.start.model?.fsPath, model.fsPath);
      assert.deepEqual(names(withImages.start.images), names([a, b]));
      assert.equal(withImages.note, undefined);
      // Analyze with Model… on one of two selected images: no model yet (the wizard asks), both images.
      const images = startFromSelection(b, explorerSelection(b, [a, b]));
      assert.equal(images.start.model, undefined);
      assert.deepEqual(names(images.start.images), names([a, b]));
      // Two models and an experiment: the clicked model; the others are named, not dropped silently.
      const mixed = startFromSelection(other, explorerSelection(other, [model, other, experiment]));
      assert.equal(mixed.start.model?.fsPath, other.fsPath);
      assert.match(mixed.note ?? '', /analyzes one model, model-rotaug\.onnx; also selected: model\.onnx/);
      assert.match(mixed.note ?? '', /not a model or an image\): colin27\.misas\.json/);
      // An editor tab's menu passes (uri, { groupId, … }): not a selection.
      assert.deepEqual(names(explorerSelection(model, { groupId: 1, editorIndex: 0 })), names([model]));
      // The palette passes nothing.
      assert.deepEqual(explorerSelection(undefined, undefined), []);
    });

    it('matches masks by name across common layouts', () => {
      const matched = matchMasks(
        ['a/case1_image.nii.gz', 'a/case2.png', 'imagesTr/brain_007_0000.nii.gz', 'b/scan-3.dcm', 'c/lonely.nii'],
        [
          'a/case1_seg.nii.gz',
          'a/case1_label.png',
          'a/case2_mask.png',
          'labelsTr/brain_007.nii.gz',
          'b/scan-3_gt.dcm',
          'c/other_label.nii',
          'a/case1_image.nii.gz',
        ],
      );
      assert.deepEqual(matched, [
        'a/case1_seg.nii.gz',
        'a/case2_mask.png',
        'labelsTr/brain_007.nii.gz',
        'b/scan-3_gt.dcm',
        undefined,
      ]);
    });
  });

  describe('new experiment', () => {
    it('writes a template that the schema accepts and opens it', async () => {
      const folder = vscode.Uri.joinPath(suiteFolder(), 'new');
      await vscode.workspace.fs.createDirectory(folder);
      const file = (await (await misasTesting()).newExperiment(folder, 'my study'))!;
      assert.equal(file.fsPath, path.join(folder.fsPath, 'my_study.misas.json'));
      const resolved = resolveExperiment(
        JSON.parse(fs.readFileSync(file.fsPath, 'utf8')),
        file.fsPath,
        workspaceFolder().fsPath,
      );
      assert.equal(resolved.experiment.name, 'my study');
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, file.fsPath);
    });
  });

  describe('with the run controller', () => {
    it('shows an active run as running with its id, refuses to delete it, and cancels it from the tree', async () => {
      const { api } = await activateMisas();
      const folder = path.dirname(exampleExperiment.fsPath);
      const images = ['data/colin27_z065_image.nii.gz', 'data/colin27_z075_image.nii.gz'].map((p) =>
        path.join(folder, p),
      );
      const file = (await (
        await misasTesting()
      ).analyze(
        { model: vscode.Uri.file(path.join(folder, 'model.onnx')) },
        { images, series: ['rotate', 'zoom'], name: 'to cancel', run: false },
      ))!;
      // A long rotate sweep, and the engine held still (SIGSTOP) from the run's first rows until the
      // delete has been refused: the run cannot end under the test however slow the machine is.
      const experiment = JSON.parse(fs.readFileSync(file.fsPath, 'utf8'));
      experiment.series = [{ transform: 'rotate', start: -180, stop: 180, steps: 2001 }, { transform: 'zoom' }];
      fs.writeFileSync(file.fsPath, JSON.stringify(experiment, null, 2));
      const hold = holdEngineAtFirstRows(api.runs);

      const outcome = api.runs.run(file);
      try {
        await waitFor(() => hold.heldPid(), 120_000, 'the first rows of the run');
        const running = await waitFor(
          async () => {
            if (api.runs.active.length === 0) return undefined;
            return findNode((await snapshot()).nodes, file)?.children.find(
              (run) => run.contextValue === 'misas.run.running',
            );
          },
          60_000,
          'the run to show as running',
        );
        assert.ok(running.runId, 'a running node carries the run id');
        assert.match(running.description, /^running/);
        const runDir = vscode.Uri.parse(running.resource!);

        const testing = await misasTesting();
        testing.answerModals((question) => question.actions[0]); // even a confirmation must not delete a running run
        try {
          assert.equal(
            await vscode.commands.executeCommand<boolean>('misas.deleteRun', { runDir }),
            false,
            'a running run was deleted',
          );
        } finally {
          testing.answerModals(undefined);
        }

        hold.release();
        await vscode.commands.executeCommand('misas.cancelRun', { runId: running.runId, runDir });
        const result = await outcome;
        assert.notEqual(result.status, 'failed', result.message);
        const after = await waitFor(
          async () => {
            const run = findNode((await snapshot()).nodes, file)?.children.find(
              (r) => r.resource === runDir.toString(),
            );
            return run && run.contextValue !== 'misas.run.running' ? run : undefined;
          },
          10_000,
          'the run to stop showing as running',
        );
        assert.match(after.contextValue, /^misas\.run\.(cancelled|completed|incomplete)$/);
      } finally {
        hold.release();
        await outcome.catch(() => undefined);
      }
    });
  });
});
