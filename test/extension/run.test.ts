// Running experiments from VS Code: the engine host process, progress, cancel, crash recovery,
// errors, Restricted Mode, and what the packaged extension contains. Runs inside the extension
// host (see docs/TESTING.md) against the bundled Colin27 example, copied into the workspace.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunController, RunOutcome } from '../../src/extension/run/controller';
import { UNTRUSTED_MESSAGE } from '../../src/extension/run/messages';
import { activateMisas, untrustedController, workspaceFolder } from './helpers';

/** The test's view of the controller: the contract plus the hook for killing the engine. */
type TestableRuns = RunController & { readonly enginePid: number | undefined };

interface ResultsFile {
  status: string;
  series: Array<{ name: string; rows: Array<{ input: number; value: number }> }>;
}

async function misas(): Promise<{ extension: vscode.Extension<unknown>; runs: TestableRuns }> {
  const { extension, api } = await activateMisas<{ runs: TestableRuns }>();
  return { extension, runs: api.runs };
}

const example = () => vscode.Uri.joinPath(workspaceFolder(), 'colin27');
const image = (z: string) => ({ image: `data/colin27_${z}_image.nii.gz`, mask: `data/colin27_${z}_label.nii.gz` });

/** Writes an experiment next to the copied example; its paths are relative to that folder. */
async function writeExperiment(fileName: string, content: object): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(example(), fileName);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(content, null, 2)));
  return uri;
}

function readResults(runDir: vscode.Uri | undefined): ResultsFile {
  assert.ok(runDir, 'the outcome names no run folder');
  const file = path.join(runDir.fsPath, 'results.json');
  assert.ok(fs.existsSync(file), `${file} was not written`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ResultsFile;
}

const rowCount = (results: ResultsFile) => results.series.reduce((sum, series) => sum + series.rows.length, 0);

/**
 * Starts a run of `experiment` and resolves once it has finished `steps` steps (then a test
 * cancels or kills it); fails at once if the run ends before that.
 */
async function startAndWait(
  runs: RunController,
  experiment: vscode.Uri,
  steps: number,
): Promise<{ runId: string; result: Promise<RunOutcome> }> {
  let subscription: vscode.Disposable | undefined;
  const running = new Promise<string>((resolve) => {
    subscription = runs.onDidChange(() => {
      const run = runs.active.find((r) => r.experimentFile.toString() === experiment.toString() && r.done >= steps);
      if (run) resolve(run.id);
    });
  });
  const result = runs.run(experiment);
  const endedEarly = result.then((outcome) => {
    throw new Error(`the run ended (${outcome.status}: ${outcome.message}) before ${steps} steps`);
  });
  endedEarly.catch(() => {}); // once the run is under way, its normal end is not a failure
  try {
    return { runId: await Promise.race([running, endedEarly]), result };
  } finally {
    subscription?.dispose();
  }
}

// Two inputs × (3 rotations + 3 brightness values) = 12 steps: a complete run in a second or two.
const QUICK = {
  name: 'quick test',
  model: 'model.onnx',
  inputs: [image('z075'), image('z115')],
  series: [
    { transform: 'rotate', values: [-20, 0, 20] },
    { transform: 'brightness', values: [0.5, 1, 2] },
  ],
  metrics: ['dice'],
  seed: 3,
};
// 2001 rotations (~25 ms each here): long enough to be cancelled or killed mid-run.
const LONG = {
  name: 'long test',
  model: 'model.onnx',
  inputs: [image('z075')],
  series: [{ transform: 'rotate', start: -180, stop: 180, steps: 2001 }],
  metrics: ['dice'],
};

describe('misas: running experiments', function () {
  this.timeout(120_000);
  let quick: vscode.Uri;
  let long: vscode.Uri;

  before(async () => {
    const { extension } = await misas();
    // The example as the packaged extension ships it (the walkthrough copies it the same way).
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(extension.extensionUri, 'examples', 'colin27'), example(), {
      overwrite: true,
    });
    quick = await writeExperiment('quick.misas.json', QUICK);
    long = await writeExperiment('long.misas.json', LONG);
  });

  it('registers the run commands', async () => {
    await misas();
    const commands = await vscode.commands.getCommands(true);
    for (const id of [
      'misas.runExperiment',
      'misas.rerunLast',
      'misas.cancelRun',
      'misas.inspectModel',
      'misas.showTransforms',
      'misas.openLog',
    ]) {
      assert.ok(commands.includes(id), `${id} is not registered`);
    }
  });

  it('runs an experiment through misas.runExperiment and writes a completed results.json', async () => {
    const outcome = await vscode.commands.executeCommand<RunOutcome>('misas.runExperiment', quick);
    assert.equal(outcome.status, 'completed', outcome.message);
    // <experiment folder>/.misas/runs/<safe name>/<timestamp>/ (the default misas.runsFolder)
    const runsOfQuick = path.join(example().fsPath, '.misas', 'runs', 'quick_test');
    assert.equal(path.dirname(outcome.runDir!.fsPath), runsOfQuick);
    const results = readResults(outcome.runDir);
    assert.equal(results.status, 'completed');
    assert.deepEqual(
      results.series.map((s) => s.name),
      ['rotate', 'brightness'],
    );
    assert.equal(rowCount(results), 2 * (3 + 3));
    for (const series of results.series) {
      assert.deepEqual(
        [...new Set(series.rows.map((row) => row.input))].sort(),
        [0, 1],
        `${series.name} covers both inputs`,
      );
    }
  });

  it('runs through the API with a series filter, reports progress and finishes with an event', async () => {
    const { runs } = await misas();
    const progress: number[] = [];
    const seen = runs.onDidChange(() =>
      runs.active.forEach((run) => run.experimentFile.toString() === quick.toString() && progress.push(run.done)),
    );
    const finished = new Promise<RunOutcome & { experimentFile: vscode.Uri }>((resolve) => {
      const once = runs.onDidFinish((event) => {
        once.dispose();
        resolve(event);
      });
    });
    const outcome = await runs.run(quick, { series: ['brightness'] });
    seen.dispose();
    assert.equal(outcome.status, 'completed', outcome.message);
    const results = readResults(outcome.runDir);
    assert.deepEqual(
      results.series.map((s) => s.name),
      ['brightness'],
    );
    assert.equal(rowCount(results), 2 * 3);
    assert.equal(progress.at(-1), 6, `progress seen: ${progress.join(', ')}`);
    const event = await finished;
    assert.equal(event.status, 'completed');
    assert.equal(event.experimentFile.toString(), quick.toString());
    assert.equal(runs.active.length, 0);
    assert.equal(runs.lastExperiment?.toString(), quick.toString());
  });

  it('re-runs the last experiment with misas.rerunLast', async () => {
    const { runs } = await misas();
    await runs.run(quick, { series: ['rotate'] });
    const outcome = await vscode.commands.executeCommand<RunOutcome>('misas.rerunLast');
    assert.equal(outcome.status, 'completed', outcome.message);
    assert.equal(rowCount(readResults(outcome.runDir)), 12, 'the re-run runs the whole experiment');
  });

  it('cancels a run mid-way (misas.cancelRun): status cancelled, partial results kept', async () => {
    const { runs } = await misas();
    const { runId, result } = await startAndWait(runs, long, 10);
    await vscode.commands.executeCommand('misas.cancelRun', runId);
    const outcome = await result;
    assert.equal(outcome.status, 'cancelled', outcome.message);
    const results = readResults(outcome.runDir);
    assert.equal(results.status, 'cancelled');
    const rows = rowCount(results);
    assert.ok(rows >= 10 && rows < 2001, `${rows} rows kept`);
    assert.equal(runs.active.length, 0);
  });

  it('reports a killed engine process as a failed run, and the next run starts a fresh one', async () => {
    const { runs } = await misas();
    const { result } = await startAndWait(runs, long, 5);
    const pid = runs.enginePid;
    assert.ok(pid, 'no engine process while a run is active');
    assert.notEqual(pid, process.pid, 'the engine must not run in the extension host');
    process.kill(pid, 'SIGKILL');
    const outcome = await result;
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.message ?? '', /^engine stopped unexpectedly: killed by SIGKILL, run marked failed$/);
    assert.ok(!fs.existsSync(path.join(outcome.runDir!.fsPath, 'results.json')), 'a failed run writes no results.json');

    const next = await runs.run(quick);
    assert.equal(next.status, 'completed', next.message);
    assert.equal(rowCount(readResults(next.runDir)), 12);
    assert.ok(runs.enginePid && runs.enginePid !== pid, 'a fresh engine process runs the next experiment');
  });

  it('goes on without an input file it cannot read, and says so in the outcome and in results.json', async () => {
    const { runs } = await misas();
    const partly = await writeExperiment('partly.misas.json', {
      ...QUICK,
      name: 'partly',
      inputs: [{ image: 'data/no_such_image.nii.gz' }, image('z075')],
    });
    const outcome = await runs.run(partly);
    assert.equal(outcome.status, 'completed', outcome.message);
    assert.match(outcome.message ?? '', /partly finished: 6 rows; 1 input skipped/);
    const results = JSON.parse(fs.readFileSync(path.join(outcome.runDir!.fsPath, 'results.json'), 'utf8')) as {
      problems: Array<{ file: string; problem: string; action: string }>;
    };
    assert.deepEqual(
      results.problems.map((p) => [path.basename(p.file), p.action]),
      [['no_such_image.nii.gz', 'skipped']],
    );
  });

  it('reports a missing model as one message that names the file, without a stack trace', async () => {
    const { runs } = await misas();
    const broken = await writeExperiment('broken.misas.json', {
      ...QUICK,
      name: 'broken',
      model: 'no_such_model.onnx',
    });
    const outcome = await runs.run(broken);
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.message ?? '', /no_such_model\.onnx/);
    assert.doesNotMatch(outcome.message ?? '', /\n\s+at /, 'no stack trace');
  });

  it('refuses paths that leave the workspace', async () => {
    const { runs } = await misas();
    const escaping = await writeExperiment('escaping.misas.json', {
      ...QUICK,
      name: 'escaping',
      model: '../../outside.onnx',
    });
    const outcome = await runs.run(escaping);
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.message ?? '', /escaping\.misas\.json: .*outside/);
  });

  it('inspects a model in the engine and shows the report in a read-only document', async () => {
    const inspection = await vscode.commands.executeCommand<
      { inputs: Array<{ shape: unknown[] }>; outputs: Array<{ name: string }> } | undefined
    >('misas.inspectModel', vscode.Uri.joinPath(example(), 'model.onnx'));
    assert.ok(inspection, 'no inspection returned');
    assert.deepEqual(inspection.inputs[0].shape, ['batch', 1, 128, 128]);
    assert.deepEqual(
      inspection.outputs.map((o) => o.name),
      ['logits'],
    );
    const report = vscode.window.activeTextEditor?.document;
    assert.equal(report?.uri.scheme, 'misas-inspect');
    assert.match(report.getText(), /logits: float32 \[batch, 4, 128, 128\]/);
  });
});

describe('misas: Restricted Mode', () => {
  // The runners start VS Code with --disable-workspace-trust (otherwise Restricted Mode keeps the
  // extension's activation waiting on a dialog), so vscode.workspace.isTrusted is true here. The
  // refusal is checked on a controller built with an untrusted seam and a fake engine.
  it('runs nothing in an untrusted workspace and says why', async () => {
    let refusals = 0;
    const { controller, requests, dispose } = untrustedController('misas restricted-mode test', {
      refusedUntrusted: () => refusals++,
    });
    try {
      const outcome = await controller.run(vscode.Uri.joinPath(workspaceFolder(), 'colin27', 'quick.misas.json'));
      assert.deepEqual(outcome, { status: 'failed', message: UNTRUSTED_MESSAGE });
      assert.equal(refusals, 1, 'the user is told once, with the Manage Workspace Trust action');
      assert.equal(requests.length, 0);
      assert.equal(controller.active.length, 0);
    } finally {
      dispose();
    }
  });

  it('the test runner itself runs trusted (so the real refusal path cannot be reached here)', () => {
    assert.equal(vscode.workspace.isTrusted, true);
  });
});

describe('misas: what the extension host loads', () => {
  it('dist/extension.cjs never loads onnxruntime (the engine host process does)', async () => {
    const { extension } = await misas();
    const bundle = (name: string) => fs.readFileSync(path.join(extension.extensionUri.fsPath, 'dist', name), 'utf8');
    const loadsOnnxruntime = /require\(\s*["']onnxruntime-node["']\s*\)|onnxruntime_binding|InferenceSession\.create/;
    assert.doesNotMatch(bundle('extension.cjs'), loadsOnnxruntime);
    assert.match(bundle('host.cjs'), loadsOnnxruntime, 'the check must recognise the engine host bundle');
    const loaded = Object.keys(require.cache ?? {}).filter((file) => file.includes('onnxruntime'));
    assert.deepEqual(loaded, [], 'onnxruntime modules in the extension host');
  });

  it('ships only this platform’s onnxruntime binaries when installed from the VSIX', async () => {
    const { extension } = await misas();
    const root = extension.extensionUri.fsPath;
    const binaries = path.join(root, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6');
    const platforms = fs
      .readdirSync(binaries)
      .flatMap((platform) => fs.readdirSync(path.join(binaries, platform)).map((arch) => `${platform}/${arch}`));
    assert.ok(
      platforms.includes(`${process.platform}/${process.arch}`),
      `no binaries for this platform in ${platforms.join(', ')}`,
    );
    const fromVsix = !fs.existsSync(path.join(root, 'src'));
    if (fromVsix) {
      assert.deepEqual(platforms, [`${process.platform}/${process.arch}`]);
      assert.ok(!fs.existsSync(path.join(root, 'test')), 'tests are not packaged');
    } else {
      assert.equal(process.env.MISAS_E2E_EXTENSION, 'sources', 'running from the sources only when asked to');
    }
  });
});
