/** Preset experiments: valid series, and the example that uses the ROOD-MRI preset keeps to it. */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadExperiment, resolveExperiment } from '../../../src/engine/sweep/experiment/load';
import { EXPERIMENT_PRESETS, ROOD_MRI_PRESET } from '../../../src/engine/sweep/experiment/presets';

const EXAMPLE = join(import.meta.dirname, '..', '..', '..', 'examples', 'colin27', 'colin27-rood.misas.json');

describe('experiment presets', () => {
  it('every preset is a valid list of series', () => {
    for (const preset of EXPERIMENT_PRESETS) {
      const resolved = resolveExperiment(
        { name: preset.id, model: 'm.onnx', inputs: [{ image: 'i.nii.gz' }], series: preset.series },
        '/work/study/x.misas.json',
      );
      assert.equal(resolved.series.length, preset.series.length);
    }
  });

  it('"ROOD-MRI severities" runs every ROOD-MRI family at all five levels, as the example does', async () => {
    assert.ok(ROOD_MRI_PRESET.series.every((s) => JSON.stringify(s.severities) === '[1,2,3,4,5]'));
    for (const transform of [
      'rotate',
      'anisotropy',
      'bias-field',
      'gamma',
      'elastic',
      'ghosting',
      'motion',
      'rician-noise',
      'blur',
    ])
      assert.ok(
        ROOD_MRI_PRESET.series.some((s) => s.transform === transform),
        transform,
      );
    const example = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
    assert.deepEqual(example.series, ROOD_MRI_PRESET.series);
    const resolved = await loadExperiment(EXAMPLE);
    assert.equal(resolved.models[resolved.referenceModel!].label, 'rotation aug. ±45°');
  });
});
