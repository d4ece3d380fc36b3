import * as assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, encode } from 'fast-png';
import { resultsFromJson } from '../../../src/engine/report/results';
import { transforms } from '../../../src/engine/transforms/registry';
import { misas } from '../../helpers/cli';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** A grey PNG with rows and columns swapped: the slice as a pipeline with the other array convention hands it over. */
async function writeTransposedPng(source: string, target: string): Promise<void> {
  const png = decode(await readFile(source));
  assert.equal(png.channels, 1, `${source} is a grey PNG`);
  const data = new Uint8Array(png.width * png.height);
  for (let y = 0; y < png.height; y++)
    for (let x = 0; x < png.width; x++) data[x * png.height + y] = png.data[y * png.width + x];
  await writeFile(target, encode({ width: png.height, height: png.width, data, channels: 1, depth: 8 }));
}
const EXAMPLE = join(ROOT, 'examples', 'colin27', 'colin27.misas.json');

describe('misas CLI', function () {
  this.timeout(180_000);

  it('lists every registered transform', async () => {
    const { code, stdout } = await misas('transforms', '--json');
    assert.equal(code, 0);
    assert.deepEqual(
      (JSON.parse(stdout) as { name: string }[]).map((t) => t.name),
      transforms.map((t) => t.name),
    );
  });

  it('exits 2 with usage for missing or unknown commands and bad options', async () => {
    assert.equal((await misas()).code, 2);
    const unknown = await misas('frobnicate');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
    assert.equal((await misas('run', EXAMPLE, '--threads', 'many')).code, 2);
    assert.equal((await misas('run', EXAMPLE, '--colour')).code, 2);
  });

  it('exits 2 naming the file for a missing or invalid experiment', async () => {
    const missing = await misas('run', 'nowhere.misas.json');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nowhere\.misas\.json: file not found/);
    const dir = await mkdtemp(join(tmpdir(), 'misas-cli-'));
    const bad = join(dir, 'bad.misas.json');
    await writeFile(bad, JSON.stringify({ name: 'x', model: 'm.onnx', inputs: [], series: [{ transform: 'rotate' }] }));
    const invalid = await misas('run', bad);
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /bad\.misas\.json: invalid experiment:\n {2}\$\.inputs: needs at least 1 entry/);
  });

  it('inspects the example model and refuses a classifier', async () => {
    const { code, stdout } = await misas('inspect', join(ROOT, 'examples', 'colin27', 'model.onnx'));
    assert.equal(code, 0);
    assert.match(stdout, /image: float32 \[batch, 1, 128, 128\]/);
    assert.match(stdout, /classes: \["background","cortex","deep_gm","cerebellum"\]/);
    const classifier = await misas('inspect', join(ROOT, 'test', 'data', 'models', 'classifier.onnx'));
    assert.equal(classifier.code, 2);
    assert.match(classifier.stderr, /classifier\.onnx: .*not a segmentation model|classifier\.onnx: .*expected/);
  });

  it('runs the example and finds real rotation sensitivity', async () => {
    const out = await mkdtemp(join(tmpdir(), 'misas-cli-run-'));
    const { code, stdout, stderr } = await misas('run', EXAMPLE, '--series', 'rotate', '--out', out, '--threads', '2');
    assert.equal(code, 0, stderr);
    assert.match(stdout, /deep_gm \(mean of 5 inputs\): Dice ≥ 90% of baseline for rotate/);
    // The example model's one baseline failure: cerebellum on slice z075 (input 2), where it is small.
    const warnings = stdout.split('\n').filter((line) => line.startsWith('warning: '));
    assert.deepEqual(
      warnings.map((line) => line.replace(/ \(Dice .*/, '')),
      ['warning: cerebellum (input 2) fails at baseline'],
    );
    const results = resultsFromJson(await readFile(join(out, 'results.json'), 'utf8'));
    assert.equal(results.status, 'completed');
    assert.equal(results.series.length, 1);
    assert.equal(results.series[0].rows.length, 5 * 73);
    const deep = results.series[0].summaries.find((s) => s.input === 'mean' && s.className === 'deep_gm')!;
    assert.ok(deep.tolerance, 'deep GM has a tolerance interval');
    const [lo, hi] = deep.tolerance;
    assert.ok(
      lo > -180 && hi < 180,
      `deep GM tolerates ${lo}…${hi}: a model trained without rotation augmentation must break before ±180°`,
    );
    assert.ok(deep.baseline! > 0.5, `baseline Dice ${deep.baseline}`);
  });

  it('runs a refined series and says how many of its model calls were refinement', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'misas-cli-refine-'));
    const exampleDir = join(ROOT, 'examples', 'colin27');
    await mkdir(join(dir, 'data'));
    for (const name of [
      'model.onnx',
      'model.onnx.misas.json',
      'data/colin27_z045_image.nii.gz',
      'data/colin27_z045_label.nii.gz',
    ]) {
      await copyFile(join(exampleDir, name), join(dir, name));
    }
    const file = join(dir, 'refined.misas.json');
    await writeFile(
      file,
      JSON.stringify({
        name: 'refined',
        model: 'model.onnx',
        inputs: [{ image: 'data/colin27_z045_image.nii.gz', mask: 'data/colin27_z045_label.nii.gz' }],
        series: [{ transform: 'rotate', start: -60, stop: 60, step: 15, refine: { resolution: 1 } }],
      }),
    );
    const { code, stdout, stderr } = await misas('run', file, '--out', join(dir, 'run'), '--threads', '2');
    assert.equal(code, 0, stderr);
    const results = resultsFromJson(await readFile(join(dir, 'run', 'results.json'), 'utf8'));
    const [rotate] = results.series;
    const refined = rotate.rows.filter((row) => row.refined).length;
    assert.ok(refined > 0, 'cortex and cerebellum break inside ±60° on z045');
    assert.deepEqual(rotate.modelCalls, { sweep: 8, refinement: refined });
    assert.ok(stdout.includes(`\nrotate (refined to 1°: ${refined} of ${8 + refined} model calls):\n`), stdout);
  });

  it('prints baseline warnings first: a transposed slice fails at baseline and a dihedral value beats the identity', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'misas-cli-baseline-'));
    const exampleDir = join(ROOT, 'examples', 'colin27');
    await copyFile(join(exampleDir, 'model.onnx'), join(dir, 'model.onnx'));
    await copyFile(join(exampleDir, 'model.onnx.misas.json'), join(dir, 'model.onnx.misas.json'));
    await writeTransposedPng(join(exampleDir, 'data', 'colin27_z085_image.png'), join(dir, 'image.png'));
    await writeTransposedPng(join(exampleDir, 'data', 'colin27_z085_label.png'), join(dir, 'label.png'));
    const file = join(dir, 'transposed.misas.json');
    await writeFile(
      file,
      JSON.stringify({
        name: 'transposed',
        model: 'model.onnx',
        inputs: [{ image: 'image.png', mask: 'label.png' }],
        series: [{ transform: 'dihedral' }, { transform: 'brightness', values: [0.5, 2] }],
      }),
    );
    const { code, stdout, stderr } = await misas('run', file, '--out', join(dir, 'run'));
    assert.equal(code, 0, stderr);
    const results = resultsFromJson(await readFile(join(dir, 'run', 'results.json'), 'utf8'));
    const baseline = results.baselines[0];
    const lines = stdout.split('\n');
    const warnings = lines.filter((line) => line.startsWith('warning: '));
    // Every warning comes before the first series' sentences.
    assert.ok(lines.indexOf(warnings.at(-1)!) < lines.indexOf('dihedral:'));
    // deep_gm: the truth has it, the model finds almost none of it. Cerebellum: not in this slice's truth, so not judged.
    assert.ok(baseline.inTruth!.includes('deep_gm') && !baseline.inTruth!.includes('cerebellum'));
    const deepGm = baseline.metrics.dice!.deep_gm!;
    assert.ok(deepGm < 0.5, `deep_gm baseline ${deepGm}`);
    assert.ok(
      warnings.includes(
        `warning: deep_gm fails at baseline (Dice ${deepGm.toFixed(2)}) on the untransformed input: no tolerance interval is reported for it; check the model card (normalisation, orientation) against the data.`,
      ),
      stdout,
    );
    assert.ok(!warnings.some((line) => line.includes('cerebellum')), stdout);
    assert.match(stdout, /\n {2}deep_gm: fails at baseline \(Dice \d\.\d\d\); no tolerance computed\n/);
    // The hint: the dihedral value that undoes the transpose; brightness (intensity) never gives one.
    const hints = warnings.filter((line) => line.includes('input conventions'));
    assert.equal(hints.length, 1, stdout);
    assert.match(
      hints[0],
      /^warning: dihedral \d scores mean foreground Dice \d\.\d\d against \d\.\d\d untransformed: .*misas fit <model> <image> --mask <mask>/,
    );
    // Independent of the engine's check: the mean over the foreground classes in the truth (cortex and deep_gm here), from the rows.
    const fg = (metrics: typeof baseline.metrics, empty: string[]) => {
      const scored = ['cortex', 'deep_gm'].filter((c) => !empty.includes(c)).map((c) => metrics.dice![c]!);
      return scored.reduce((a, b) => a + b, 0) / scored.length;
    };
    const best = results.series[0].rows.reduce((a, b) => (fg(b.metrics, b.empty) > fg(a.metrics, a.empty) ? b : a));
    assert.match(
      hints[0],
      new RegExp(
        `^warning: dihedral ${best.value} scores mean foreground Dice ${fg(best.metrics, best.empty).toFixed(2)} against ${fg(baseline.metrics, baseline.empty).toFixed(2)} `,
      ),
    );
    assert.deepEqual(
      results.baselineChecks!.map((c) => c.kind),
      ['fails-at-baseline', 'convention'],
    );
  });

  it('runs shards and merges them into the results of a single run', async () => {
    const out = await mkdtemp(join(tmpdir(), 'misas-cli-shards-'));
    const common = ['--series', 'brightness', '--threads', '2'];
    assert.equal((await misas('run', EXAMPLE, ...common, '--out', join(out, 'single'))).code, 0);
    for (const shard of ['1/2', '2/2']) {
      const { code, stdout, stderr } = await misas(
        'run',
        EXAMPLE,
        ...common,
        '--shard',
        shard,
        '--out',
        join(out, shard.replace('/', 'of')),
      );
      assert.equal(code, 0, stderr);
      assert.match(stdout, new RegExp(`shard ${shard} in `));
    }
    assert.equal((await misas('run', EXAMPLE, '--shard', '3/2')).code, 2);
    const merged = await misas('merge', join(out, '1of2'), join(out, '2of2'), '--out', join(out, 'merged'));
    assert.equal(merged.code, 0, merged.stderr);
    const read = async (dir: string) => {
      const { timing: _timing, ...rest } = resultsFromJson(await readFile(join(out, dir, 'results.json'), 'utf8'));
      return rest;
    };
    assert.deepEqual(await read('merged'), await read('single'));
    assert.equal(
      await readFile(join(out, 'merged', 'results.csv'), 'utf8'),
      await readFile(join(out, 'single', 'results.csv'), 'utf8'),
    );
    const incomplete = await misas('merge', join(out, '1of2'), '--out', join(out, 'partial'));
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
    await writeFile(
      file,
      JSON.stringify({
        name: 'outside',
        model: '../model.onnx',
        inputs: [{ image: '../z075.nii.gz' }],
        series: [{ transform: 'brightness', values: [0.5] }],
      }),
    );
    const refused = await misas('run', file, '--out', join(dir, 'run'));
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /\$\.inputs\[0\]\.image: "\.\.\/z075\.nii\.gz" points outside .*experiments.*--root DIR/,
    );
    const widened = await misas('run', file, '--root', dir, '--out', join(dir, 'run'));
    assert.equal(widened.code, 0, widened.stderr);
    assert.equal(resultsFromJson(await readFile(join(dir, 'run', 'results.json'), 'utf8')).series[0].rows.length, 2);
  });
});
