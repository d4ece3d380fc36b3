// NRRD inside a real VS Code: the analyze wizard picks a detached .nhdr image (the Colin27
// crop teem wrote), matches its .nrrd mask by name, and the engine host runs the experiment.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateMisas, misasTesting, nextFinish, repoRoot, workspaceFolder } from './helpers';

describe('NRRD inputs in VS Code', () => {
  const folder = () => path.join(workspaceFolder().fsPath, 'formats-suite');
  after(() => fs.rmSync(folder(), { recursive: true, force: true }));

  it('the wizard takes a detached .nhdr with its .nrrd mask, and the run completes with rows scored against that mask', async () => {
    const { api } = await activateMisas();
    fs.mkdirSync(folder(), { recursive: true });
    const copy = (from: string, to = path.basename(from)) => fs.copyFileSync(from, path.join(folder(), to));
    const data = path.join(repoRoot(), 'test', 'data', 'nrrd-metaimage');
    const example = path.join(repoRoot(), 'examples', 'colin27');
    copy(path.join(example, 'model.onnx'));
    copy(path.join(example, 'model.onnx.misas.json'));
    // The header names its data file crop_oblique_gzip.raw.gz, which stays beside it.
    copy(path.join(data, 'crop_oblique_gzip.nhdr'), 'crop_image.nhdr');
    copy(path.join(data, 'crop_oblique_gzip.raw.gz'));
    copy(path.join(data, 'crop_oblique_mask.nrrd'), 'crop_label.nrrd');

    const experimentFile = path.join(folder(), 'nrrd_run.misas.json');
    const finished = nextFinish(api.runs, experimentFile);
    const file = await (
      await misasTesting()
    ).analyze(
      { model: vscode.Uri.file(path.join(folder(), 'model.onnx')) },
      { images: [vscode.Uri.file(path.join(folder(), 'crop_image.nhdr'))], series: ['brightness'], name: 'nrrd run' },
    );
    assert.equal(file?.fsPath, experimentFile);
    const experiment = JSON.parse(fs.readFileSync(experimentFile, 'utf8'));
    assert.deepEqual(experiment.inputs, [{ image: 'crop_image.nhdr', mask: 'crop_label.nrrd' }]);

    const outcome = await finished;
    assert.equal(outcome.status, 'completed', outcome.message);
    const results = JSON.parse(fs.readFileSync(path.join(outcome.runDir!.fsPath, 'results.json'), 'utf8'));
    assert.deepEqual(results.problems ?? [], []);
    assert.equal(results.inputs.length, 1);
    assert.equal(path.basename(results.inputs[0].maskPath), 'crop_label.nrrd');
    const rows = results.series[0].rows as { metrics: { dice: Record<string, number | undefined> } }[];
    assert.ok(rows.length > 1, 'rows were scored');
    assert.ok(
      rows.every((row) => typeof row.metrics.dice.cortex === 'number'),
      'Dice against the NRRD mask on every row',
    );
  });
});
