import * as assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MisasInputError } from '../../../src/engine/errors';
import { experimentSchema } from '../../../src/engine/sweep/experiment/schema';
import { loadExperiment, resolveExperiment } from '../../../src/engine/sweep/experiment/load';
import { transforms } from '../../../src/engine/transforms/registry';

const FILE = '/work/study/exp.misas.json';

function minimal(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'study',
    model: 'model.onnx',
    inputs: [{ image: 'img.nii.gz', mask: 'seg.nii.gz' }],
    series: [{ transform: 'rotate' }],
    ...extra,
  };
}

function problemOf(data: unknown, file = FILE): string {
  try {
    resolveExperiment(data, file);
  } catch (thrown) {
    assert.ok(thrown instanceof MisasInputError, `expected MisasInputError, got ${String(thrown)}`);
    assert.equal(thrown.file, file);
    return thrown.problem;
  }
  assert.fail('expected the experiment to be refused');
}

describe('experiment files', () => {
  it('resolves paths against the file and fills defaults', () => {
    const resolved = resolveExperiment(minimal(), FILE);
    assert.equal(resolved.models[0].path, '/work/study/model.onnx');
    assert.deepEqual(resolved.inputs, [{ image: '/work/study/img.nii.gz', mask: '/work/study/seg.nii.gz' }]);
    assert.deepEqual(resolved.metrics, ['dice']);
    assert.equal(resolved.seed, 0);
    assert.equal(resolved.tolerance, 0.9);
    assert.equal(resolved.series[0].name, 'rotate');
    assert.deepEqual(resolved.series[0].values, [], 'no values: the registry default applies per input');
    assert.equal(resolved.series[0].options.interpolation, 'linear');
  });

  it('expands the three sweep forms', () => {
    const resolved = resolveExperiment(
      minimal({
        series: [
          { transform: 'rotate', values: [-10, 0, 10] },
          { transform: 'rotate', start: 0, stop: 20, step: 10 },
          { transform: 'zoom', start: 0.1, stop: 0.4, steps: 3, scale: 'log' },
        ],
      }),
      FILE,
    );
    assert.deepEqual(
      resolved.series.map((s) => s.name),
      ['rotate-1', 'rotate-2', 'zoom'],
    );
    assert.deepEqual(
      resolved.series.map((s) => s.values),
      [
        [-10, 0, 10],
        [0, 10, 20],
        [0.1, 0.2, 0.4],
      ],
    );
  });

  it('names the JSON path and the expectation of schema errors', () => {
    const problem = problemOf(minimal({ series: [{ transform: 'rotate', values: ['ten'] }], seed: -1, colour: 'red' }));
    assert.match(problem, /\$\.series\[0\]\.values\[0\]: must be a number, not the string "ten"/);
    assert.match(problem, /\$\.seed: must be at least 0, not -1/);
    assert.match(problem, /\$: unknown property "colour"/);
  });

  it('refuses unknown transforms, unknown options and options of the wrong type', () => {
    assert.match(
      problemOf(minimal({ series: [{ transform: 'twirl' }] })),
      /\$\.series\[0\]\.transform: must be one of "rotate"/,
    );
    assert.match(
      problemOf(minimal({ series: [{ transform: 'rotate', params: { speed: 3 } }] })),
      /\$\.series\[0\]\.params: unknown property "speed"/,
    );
    assert.match(
      problemOf(minimal({ series: [{ transform: 'rotate', params: { interpolation: 'cubic' } }] })),
      /\$\.series\[0\]\.params\.interpolation: must be one of "linear", "nearest"/,
    );
  });

  it('refuses mixed sweep forms, sweeps that never arrive and fractional dihedral steps', () => {
    assert.match(
      problemOf(minimal({ series: [{ transform: 'rotate', values: [1], step: 2, start: 0, stop: 3 }] })),
      /\$\.series\[0\]: give either "values", or "start", "stop" and "step"/,
    );
    assert.match(
      problemOf(minimal({ series: [{ transform: 'rotate', start: 0, step: 2 }] })),
      /\$\.series\[0\]: give either/,
    );
    assert.match(
      problemOf(minimal({ series: [{ transform: 'rotate', start: 0, stop: 10, step: -1 }] })),
      /\$\.series\[0\]: sweep from 0 to 10 never arrives/,
    );
    assert.match(problemOf(minimal({ series: [{ transform: 'dihedral', values: [0.5] }] })), /whole numbers/);
  });

  it('reads "refine" on a series, and refuses a resolution ≤ 0 or refinement of a whole-number transform', () => {
    const resolved = resolveExperiment(
      minimal({ series: [{ transform: 'rotate', start: -45, stop: 45, step: 15, refine: { resolution: 1 } }] }),
      FILE,
    );
    assert.deepEqual(resolved.series[0].refine, { resolution: 1 });
    assert.equal(resolveExperiment(minimal(), FILE).series[0].refine, undefined);
    for (const resolution of [0, -1])
      assert.match(
        problemOf(minimal({ series: [{ transform: 'rotate', refine: { resolution } }] })),
        /\$\.series\[0\]\.refine\.resolution: must be greater than 0/,
      );
    assert.match(
      problemOf(minimal({ series: [{ transform: 'rotate', refine: {} }] })),
      /\$\.series\[0\]\.refine: missing required property "resolution"/,
    );
    assert.match(
      problemOf(minimal({ series: [{ transform: 'dihedral', refine: { resolution: 1 } }] })),
      /series 1 \(dihedral, \$\.series\[0\]\.refine\): dihedral takes whole numbers only, so there is nothing between its values to refine/,
    );
  });

  it('reads "severities" on a series instead of a sweep, and refuses mixing them with a sweep or refinement', () => {
    const resolved = resolveExperiment(minimal({ series: [{ transform: 'rotate', severities: [5, 1, 3] }] }), FILE);
    // Levels are kept ascending; the values depend on the input (pixels), so none are expanded here.
    assert.deepEqual(resolved.series[0].severities, [1, 3, 5]);
    assert.deepEqual(resolved.series[0].values, []);
    assert.equal(resolveExperiment(minimal(), FILE).series[0].severities, undefined);
    assert.match(
      problemOf(minimal({ series: [{ transform: 'rotate', severities: [1, 6] }] })),
      /\$\.series\[0\]\.severities\[1\]: must be at most 5, not 6/,
    );
    assert.match(problemOf(minimal({ series: [{ transform: 'rotate', severities: [] }] })), /severities/);
    assert.match(problemOf(minimal({ series: [{ transform: 'rotate', severities: [2, 2] }] })), /severities/);
    assert.match(
      problemOf(minimal({ series: [{ transform: 'rotate', severities: [1], start: 0, stop: 10, step: 5 }] })),
      /series 1 \(rotate, \$\.series\[0\]\): "severities" replaces the sweep; remove "start", "stop", "step"/,
    );
    assert.match(
      problemOf(minimal({ series: [{ transform: 'rotate', severities: [1], refine: { resolution: 1 } }] })),
      /"severities" replaces the sweep; remove "refine"/,
    );
  });

  it('resolves "referenceModel" by name or path, and refuses an unknown one or a single model', () => {
    const models = [{ path: 'a.onnx', name: 'plain' }, 'b.onnx'];
    assert.equal(
      resolveExperiment(minimal({ model: undefined, models, referenceModel: 'plain' }), FILE).referenceModel,
      0,
    );
    assert.equal(
      resolveExperiment(minimal({ model: undefined, models, referenceModel: 'b.onnx' }), FILE).referenceModel,
      1,
    );
    assert.equal(resolveExperiment(minimal({ model: undefined, models }), FILE).referenceModel, undefined);
    assert.match(
      problemOf(minimal({ model: undefined, models, referenceModel: 'c' })),
      /\$\.referenceModel: "c" is none of the experiment's models; they are: "plain", "b.onnx"/,
    );
    assert.match(
      problemOf(minimal({ referenceModel: 'model.onnx' })),
      /\$\.referenceModel: a reference for the corruption error needs at least two models/,
    );
  });

  it('refuses paths that leave the experiment folder', () => {
    assert.match(
      problemOf(minimal({ model: '../../etc/model.onnx' })),
      /\$\.model: "..\/..\/etc\/model.onnx" points outside \/work\/study/,
    );
    assert.match(
      problemOf(minimal({ inputs: [{ image: '/tmp/x.nii' }] })),
      /\$\.inputs\[0\]\.image: .* points outside/,
    );
    assert.equal(
      resolveExperiment(minimal({ model: '../models/m.onnx' }), FILE, '/work').models[0].path,
      '/work/models/m.onnx',
    );
  });

  it('takes one model or a list of models with unique labels, never both', () => {
    const { model: _model, ...withoutModel } = minimal();
    const resolved = resolveExperiment(
      { ...withoutModel, models: ['a/unet.onnx', { path: 'b/unet.onnx' }, { path: 'c.onnx', name: 'rot. aug.' }] },
      FILE,
    );
    assert.deepEqual(resolved.models, [
      { path: '/work/study/a/unet.onnx', label: 'unet.onnx' },
      { path: '/work/study/b/unet.onnx', label: 'unet.onnx (2)' },
      { path: '/work/study/c.onnx', label: 'rot. aug.' },
    ]);
    assert.match(problemOf(minimal({ models: ['b.onnx'] })), /give either "model" or "models", not both/);
    assert.match(problemOf(withoutModel), /missing required property "model" \(or "models"/);
    assert.match(
      problemOf({
        ...withoutModel,
        models: [
          { path: 'a.onnx', name: 'x' },
          { path: 'b.onnx', name: 'x' },
        ],
      }),
      /\$\.models\[1\]\.name: "x" names more than one model/,
    );
    assert.match(problemOf({ ...withoutModel, models: ['../../m.onnx'] }), /\$\.models\[0\]: .* points outside/);
  });

  it('refuses two series with the same explicit name', () => {
    assert.match(
      problemOf(
        minimal({
          series: [
            { transform: 'rotate', name: 'a' },
            { transform: 'zoom', name: 'a' },
          ],
        }),
      ),
      /\$\.series\[1\]\.name: "a" is used by more than one series/,
    );
  });

  it('reads files with a byte-order mark and reports bad JSON and missing files by name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'misas-exp-'));
    const good = join(dir, 'good.misas.json');
    await writeFile(good, '\ufeff' + JSON.stringify(minimal()));
    assert.equal((await loadExperiment(good)).experiment.name, 'study');
    const bad = join(dir, 'bad.misas.json');
    await writeFile(bad, '{"name": "x",');
    await assert.rejects(
      loadExperiment(bad),
      (e: MisasInputError) => e.file === bad && /not valid JSON/.test(e.problem),
    );
    await assert.rejects(loadExperiment(join(dir, 'missing.misas.json')), /missing\.misas\.json: file not found/);
  });

  it('has a schema entry, with its options, for every registered transform', () => {
    const schema = experimentSchema() as {
      properties: { series: { items: { properties: { transform: { enum: string[] } }; allOf: unknown[] } } };
    };
    assert.deepEqual(
      schema.properties.series.items.properties.transform.enum,
      transforms.map((t) => t.name),
    );
    assert.equal(schema.properties.series.items.allOf.length, transforms.length);
  });
});

describe('files generated from the registry', () => {
  it('schemas/experiment.schema.json and docs/TRANSFORMS.md are up to date (run `npm run generate`)', async () => {
    const { readFile } = await import('node:fs/promises');
    const { experimentSchemaText } = await import('../../../src/engine/sweep/experiment/schema');
    const { transformsMarkdown } = await import('../../../src/engine/transforms/docs');
    const root = join(import.meta.dirname, '..', '..', '..');
    assert.equal(await readFile(join(root, 'schemas', 'experiment.schema.json'), 'utf8'), experimentSchemaText());
    assert.equal(await readFile(join(root, 'docs', 'TRANSFORMS.md'), 'utf8'), transformsMarkdown());
  });
});
