/**
 * One home per setting default: package.json declares every `misas.*` setting with a default (it
 * cannot import code), the extension falls back to SETTING_DEFAULTS, and the engine applies its
 * own constants when the CLI or an experiment gives no value. All of them must agree.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_RUNS_FOLDER, DEFAULT_TOLERANCE } from '../../../src/engine/defaults';
import { DEFAULT_LIMITS } from '../../../src/engine/defaults';
import { resolveExperiment } from '../../../src/engine/sweep/experiment/load';
import { defaultRunDir } from '../../../src/engine/sweep/run/runPaths';
import { summarizeCurve } from '../../../src/engine/sweep/analysis/curve';
import { getTransform } from '../../../src/engine/transforms/registry';
import { SETTING_DEFAULTS } from '../../../src/extension/settingDefaults';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const declared = packageJson.contributes.configuration.properties as Record<string, { default?: unknown }>;

describe('settings: one default per setting', () => {
  it('package.json declares exactly the settings the extension reads, each with the same default', () => {
    assert.deepEqual(
      Object.keys(declared).sort(),
      Object.keys(SETTING_DEFAULTS)
        .map((name) => `misas.${name}`)
        .sort(),
    );
    for (const [name, value] of Object.entries(SETTING_DEFAULTS)) {
      assert.deepEqual(
        declared[`misas.${name}`].default,
        value,
        `misas.${name}: package.json's default differs from SETTING_DEFAULTS`,
      );
    }
  });

  it('the defaults the engine applies itself are the ones the settings declare', () => {
    assert.equal(declared['misas.tolerance'].default, DEFAULT_TOLERANCE);
    assert.equal(declared['misas.runsFolder'].default, DEFAULT_RUNS_FOLDER);
    assert.equal(declared['misas.maxValuesPerSeries'].default, DEFAULT_LIMITS.maxValuesPerSeries);
    assert.equal(declared['misas.maxTotalSteps'].default, DEFAULT_LIMITS.maxTotalSteps);
    for (const name of SETTING_DEFAULTS.defaultSeries)
      assert.ok(getTransform(name), `misas.defaultSeries names ${name}, which is no transform`);
  });

  it('the engine uses them: an experiment without tolerance, the default run folder, a curve summary without τ', () => {
    const file = join(ROOT, 'study', 'a.misas.json');
    const experiment = resolveExperiment(
      { name: 'a', model: 'm.onnx', inputs: [{ image: 'i.png' }], series: [{ transform: 'rotate', values: [0] }] },
      file,
    );
    assert.equal(experiment.tolerance, declared['misas.tolerance'].default);
    const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'experiment.schema.json'), 'utf8'));
    assert.equal(
      schema.properties.tolerance.default,
      declared['misas.tolerance'].default,
      'schemas/experiment.schema.json is stale (npm run generate)',
    );
    const runDir = defaultRunDir(experiment, new Date('2026-01-02T03:04:05.006Z'));
    assert.equal(
      runDir,
      join(dirname(file), ...String(declared['misas.runsFolder'].default).split('/'), 'a', '2026-01-02T03-04-05-006Z'),
    );
    // τ = 0.9 by default: 0.9 × 1 is tolerated, 0.89 is not.
    const curve = (metric: number) =>
      summarizeCurve(
        [
          { value: -1, metric },
          { value: 0, metric: 1 },
          { value: 1, metric },
        ],
        { identity: 0, baseline: 1 },
      ).tolerance;
    assert.deepEqual(curve(0.9), [-1, 1]);
    assert.deepEqual(curve(0.89), [0, 0]);
  });
});
