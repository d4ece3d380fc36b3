// A DICOM series folder inside a real VS Code: the analyze wizard takes the folder (the Colin27
// crop pydicom wrote one file per slice, shuffled names) beside the same grid as NIfTI, both
// with the NIfTI mask; the engine host runs the experiment, and the overlay frames of the series
// equal the NIfTI's (so the viewer shows the series the way it shows the NIfTI). A JPEG-LS
// compressed copy of the series (GDCM wrote it; decoded by the engine host's WebAssembly codec,
// loaded from dist/) scores and shows the same.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunController } from '../../src/extension/run/controller';
import { activateMisas, misasTesting, nextFinish, repoRoot, workspaceFolder } from './helpers';

describe('DICOM series folders in VS Code', function () {
  this.timeout(120_000);
  const folder = () => path.join(workspaceFolder().fsPath, 'dicom-series-suite');
  after(() => fs.rmSync(folder(), { recursive: true, force: true }));

  it('the wizard takes a series folder; the run scores it like the NIfTI, and its overlay frames equal the NIfTI’s', async () => {
    const { api } = await activateMisas<{ runs: RunController }>();
    fs.mkdirSync(folder(), { recursive: true });
    const data = path.join(repoRoot(), 'test', 'data', 'dicom-series');
    const example = path.join(repoRoot(), 'examples', 'colin27');
    for (const file of [path.join(example, 'model.onnx'), path.join(example, 'model.onnx.misas.json')])
      fs.copyFileSync(file, path.join(folder(), path.basename(file)));
    for (const name of ['reference.nii.gz', 'reference_mask.nii.gz'])
      fs.copyFileSync(path.join(data, name), path.join(folder(), name));
    fs.cpSync(path.join(data, 'oblique'), path.join(folder(), 'series'), { recursive: true });
    const compressed = path.join(repoRoot(), 'test', 'data', 'dicom-compressed', 'jpeg-ls-8bit');
    fs.cpSync(compressed, path.join(folder(), 'jpeg-ls'), { recursive: true });

    const experimentFile = path.join(folder(), 'series_run.misas.json');
    const finished = nextFinish(api.runs, experimentFile);
    const at = (name: string) => vscode.Uri.file(path.join(folder(), name));
    const file = await (
      await misasTesting()
    ).analyze(
      { model: at('model.onnx') },
      {
        images: [at('series'), at('reference.nii.gz'), at('jpeg-ls')],
        masks: [at('reference_mask.nii.gz'), at('reference_mask.nii.gz'), at('reference_mask.nii.gz')],
        series: ['brightness'],
        name: 'series run',
      },
    );
    assert.equal(file?.fsPath, experimentFile);
    const experiment = JSON.parse(fs.readFileSync(experimentFile, 'utf8'));
    assert.deepEqual(experiment.inputs, [
      { image: 'series', mask: 'reference_mask.nii.gz' },
      { image: 'reference.nii.gz', mask: 'reference_mask.nii.gz' },
      { image: 'jpeg-ls', mask: 'reference_mask.nii.gz' },
    ]);

    const outcome = await finished;
    assert.equal(outcome.status, 'completed', outcome.message);
    const results = JSON.parse(fs.readFileSync(path.join(outcome.runDir!.fsPath, 'results.json'), 'utf8'));
    assert.deepEqual(results.problems ?? [], []);
    type Row = { input: number; value: number; metrics: unknown };
    const rowsOf = (input: number) =>
      (results.series[0].rows as Row[])
        .filter((row) => row.input === input)
        .map(({ value, metrics }) => ({ value, metrics }));
    assert.ok(rowsOf(0).length > 1, 'the series was scored');
    assert.deepEqual(rowsOf(0), rowsOf(1));
    assert.deepEqual(rowsOf(2), rowsOf(1));

    const frame = (input: number) =>
      api.runs.frame({
        experimentFile: vscode.Uri.file(experimentFile),
        runDir: outcome.runDir!,
        series: 'brightness',
        input,
        value: 1,
      });
    const [series, nifti, jpegLs] = [await frame(0), await frame(1), await frame(2)];
    assert.deepEqual(series.dims, [40, 48]);
    assert.equal(series.slices, 10);
    assert.deepEqual(series.dims, nifti.dims);
    assert.deepEqual(Array.from(series.image), Array.from(nifti.image));
    assert.deepEqual(Array.from(series.truth), Array.from(nifti.truth));
    assert.deepEqual(Array.from(series.prediction), Array.from(nifti.prediction));
    assert.deepEqual(Array.from(jpegLs.image), Array.from(nifti.image));
    assert.deepEqual(Array.from(jpegLs.prediction), Array.from(nifti.prediction));
  });
});
