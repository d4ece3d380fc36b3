import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resultsFromJson } from '../../../src/engine/report/results';
import { transforms } from '../../../src/engine/transforms/registry';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'colin27', 'colin27.misas.json');

function misas(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('misas CLI', function () {
  this.timeout(180_000);

  it('lists every registered transform', () => {
    const { code, stdout } = misas('transforms', '--json');
    assert.equal(code, 0);
    assert.deepEqual((JSON.parse(stdout) as { name: string }[]).map((t) => t.name), transforms.map((t) => t.name));
  });

  it('exits 2 with usage for missing or unknown commands and bad options', () => {
    assert.equal(misas().code, 2);
    const unknown = misas('frobnicate');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
    assert.equal(misas('run', EXAMPLE, '--threads', 'many').code, 2);
    assert.equal(misas('run', EXAMPLE, '--colour').code, 2);
  });

  it('exits 2 naming the file for a missing or invalid experiment', async () => {
    const missing = misas('run', 'nowhere.misas.json');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nowhere\.misas\.json: file not found/);
    const dir = await mkdtemp(join(tmpdir(), 'misas-cli-'));
    const bad = join(dir, 'bad.misas.json');
    await writeFile(bad, JSON.stringify({ name: 'x', model: 'm.onnx', inputs: [], series: [{ transform: 'rotate' }] }));
    const invalid = misas('run', bad);
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /bad\.misas\.json: invalid experiment:\n {2}\$\.inputs: needs at least 1 entry/);
  });

  it('inspects the example model and refuses a classifier', () => {
    const { code, stdout } = misas('inspect', 'examples/colin27/model.onnx');
    assert.equal(code, 0);
    assert.match(stdout, /image: float32 \[batch, 1, 128, 128\]/);
    assert.match(stdout, /classes: \["background","cortex","deep_gm","cerebellum"\]/);
    const classifier = misas('inspect', 'test/data/models/classifier.onnx');
    assert.equal(classifier.code, 2);
    assert.match(classifier.stderr, /classifier\.onnx: .*not a segmentation model|classifier\.onnx: .*expected/);
  });

  it('runs the example and finds real rotation sensitivity', async () => {
    const out = await mkdtemp(join(tmpdir(), 'misas-cli-run-'));
    const { code, stdout, stderr } = misas('run', EXAMPLE, '--series', 'rotate', '--out', out, '--threads', '2');
    assert.equal(code, 0, stderr);
    assert.match(stdout, /deep_gm \(mean of 5 inputs\): Dice ≥ 90% of baseline for rotate/);
    const results = resultsFromJson(await readFile(join(out, 'results.json'), 'utf8'));
    assert.equal(results.status, 'completed');
    assert.equal(results.series.length, 1);
    assert.equal(results.series[0].rows.length, 5 * 73);
    const deep = results.series[0].summaries.find((s) => s.input === 'mean' && s.className === 'deep_gm')!;
    assert.ok(deep.tolerance, 'deep GM has a tolerance interval');
    const [lo, hi] = deep.tolerance;
    assert.ok(lo > -180 && hi < 180, `deep GM tolerates ${lo}…${hi}: a model trained without rotation augmentation must break before ±180°`);
    assert.ok(deep.baseline! > 0.5, `baseline Dice ${deep.baseline}`);
  });

  it('runs shards and merges them into the results of a single run', async () => {
    const out = await mkdtemp(join(tmpdir(), 'misas-cli-shards-'));
    const common = ['--series', 'brightness', '--threads', '2'];
    assert.equal(misas('run', EXAMPLE, ...common, '--out', join(out, 'single')).code, 0);
    for (const shard of ['1/2', '2/2']) {
      const { code, stdout, stderr } = misas('run', EXAMPLE, ...common, '--shard', shard, '--out', join(out, shard.replace('/', 'of')));
      assert.equal(code, 0, stderr);
      assert.match(stdout, new RegExp(`shard ${shard} in `));
    }
    assert.equal(misas('run', EXAMPLE, '--shard', '3/2').code, 2);
    const merged = misas('merge', join(out, '1of2'), join(out, '2of2'), '--out', join(out, 'merged'));
    assert.equal(merged.code, 0, merged.stderr);
    const read = async (dir: string) => {
      const { timing: _timing, ...rest } = resultsFromJson(await readFile(join(out, dir, 'results.json'), 'utf8'));
      return rest;
    };
    assert.deepEqual(await read('merged'), await read('single'));
    assert.equal(await readFile(join(out, 'merged', 'results.csv'), 'utf8'), await readFile(join(out, 'single', 'results.csv'), 'utf8'));
    const incomplete = misas('merge', join(out, '1of2'), '--out', join(out, 'partial'));
    assert.equal(incomplete.code, 2);
    assert.match(incomplete.stderr, /shards 2\/2 are missing/);
  });

  it('bounds paths by the experiment folder unless --root names a wider one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'misas-cli-root-'));
    await mkdir(join(dir, 'experiments'));
    const file = join(dir, 'experiments', 'outside.misas.json');
    const exampleDir = join(ROOT, 'examples', 'colin27');
    await copyFile(join(exampleDir, 'model.onnx'), join(dir, 'model.onnx'));
    await copyFile(join(exampleDir, 'model.onnx.misas.json'), join(dir, 'model.onnx.misas.json'));
    await copyFile(join(exampleDir, 'data', 'colin27_z075_image.nii.gz'), join(dir, 'z075.nii.gz'));
    await writeFile(file, JSON.stringify({ name: 'outside', model: '../model.onnx', inputs: [{ image: '../z075.nii.gz' }], series: [{ transform: 'brightness', values: [0.5] }] }));
    const refused = misas('run', file, '--out', join(dir, 'run'));
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /\$\.inputs\[0\]\.image: "\.\.\/z075\.nii\.gz" points outside .*experiments.*--root DIR/);
    const widened = misas('run', file, '--root', dir, '--out', join(dir, 'run'));
    assert.equal(widened.code, 0, widened.stderr);
    assert.equal(resultsFromJson(await readFile(join(dir, 'run', 'results.json'), 'utf8')).series[0].rows.length, 2);
  });
});
