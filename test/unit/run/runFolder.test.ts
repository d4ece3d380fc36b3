import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { experimentNameFrom, isExperimentFile, runFolderFor } from '../../../src/extension/run/runFolder';

describe('extension/run/runFolder', () => {
  const experiment = path.join('/work', 'study', 'brain.misas.json');
  const date = new Date('2026-03-04T05:06:07.089Z');

  it('puts runs under <experiment folder>/<runs folder>/<safe name>/<timestamp>', () => {
    assert.equal(
      runFolderFor(experiment, 'brain U-Net: v2', '.misas/runs', date),
      path.join('/work', 'study', '.misas', 'runs', 'brain_U-Net_v2', '2026-03-04T05-06-07-089Z'),
    );
  });

  it('takes an absolute runs folder as it is', () => {
    assert.equal(
      runFolderFor(experiment, 'brain', path.join('/data', 'runs'), date),
      path.join('/data', 'runs', 'brain', '2026-03-04T05-06-07-089Z'),
    );
  });

  it('reads the name from the experiment text, with a byte-order mark too', () => {
    assert.equal(experimentNameFrom('\uFEFF{"name": "colin27-unet", "model": "m.onnx"}', experiment), 'colin27-unet');
  });

  it('falls back to the file name when the text is no experiment', () => {
    for (const text of ['', '{not json', '[]', 'null', '{"name": ""}', '{"name": 3}']) {
      assert.equal(experimentNameFrom(text, experiment), 'brain', JSON.stringify(text));
    }
  });

  it('tells experiments from model cards', () => {
    assert.equal(isExperimentFile('/a/brain.misas.json'), true);
    assert.equal(isExperimentFile('/a/model.onnx.misas.json'), false);
    assert.equal(isExperimentFile('/a/model.onnx'), false);
  });
});
