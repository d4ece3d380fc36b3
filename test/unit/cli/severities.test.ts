/**
 * Severity series through the CLI on the example (examples/colin27): both models on two slices,
 * rotate at levels 1…5 and Rician noise at levels 1, 3, 5, Dice and HD95, the model with
 * rotation augmentation as the reference. `misas run` prints ROOD-MRI's robustness and the
 * corruption error, results.json carries them, and `misas export --format rood-csv` — run as its
 * own process, as a user or a CI job would — writes ROOD-MRI's table, read back line by line
 * against results.json.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resultsFromJson, type RunResults } from '../../../src/engine/report/results';
import { misas } from '../../helpers/cli';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'colin27');
const STACK_FRAME = /\n\s+at /;

function misasProcess(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], {
    cwd: ROOT,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** ROOD-MRI's CSV as records (no quoting needed: the example's names have no commas). */
function records(csv: string): Record<string, string>[] {
  const [header, ...lines] = csv.trimEnd().split('\n');
  const columns = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell])));
}

const cell = (value: number | null | undefined): string =>
  value === null || value === undefined ? '' : Number.isFinite(value) ? String(value) : 'inf';

describe('severity series, benchmark metrics and misas export --format rood-csv (CLI, the example models)', function () {
  this.timeout(180_000);
  let dir: string;
  let runDir: string;
  let results: RunResults;
  let stdout: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-severities-'));
    for (const file of ['model.onnx', 'model.onnx.misas.json', 'model-rotaug.onnx', 'model-rotaug.onnx.misas.json'])
      await copyFile(join(EXAMPLE, file), join(dir, file));
    for (const slice of ['z065', 'z085'])
      for (const kind of ['image', 'label'])
        await copyFile(join(EXAMPLE, 'data', `colin27_${slice}_${kind}.nii.gz`), join(dir, `${slice}_${kind}.nii.gz`));
    await writeFile(
      join(dir, 'rood.misas.json'),
      JSON.stringify({
        name: 'rood',
        models: [
          { path: 'model.onnx', name: 'plain' },
          { path: 'model-rotaug.onnx', name: 'rotaug' },
        ],
        referenceModel: 'rotaug',
        inputs: [
          { image: 'z065_image.nii.gz', mask: 'z065_label.nii.gz' },
          { image: 'z085_image.nii.gz', mask: 'z085_label.nii.gz' },
        ],
        series: [
          { transform: 'rotate', severities: [1, 2, 3, 4, 5] },
          { transform: 'rician-noise', severities: [5, 1, 3] },
          { transform: 'zoom', values: [0.2] },
        ],
        metrics: ['dice', 'hd95'],
        seed: 3,
      }),
    );
    runDir = join(dir, 'run');
    const run = await misas('run', join(dir, 'rood.misas.json'), '--out', runDir, '--threads', '1');
    assert.equal(run.code, 0, run.stderr);
    stdout = run.stdout;
    results = resultsFromJson(await readFile(join(runDir, 'results.json'), 'utf8'));
  });

  it("lists every transform's severity levels (misas transforms --severities, and --json)", async () => {
    const listed = await misas('transforms', '--severities');
    assert.equal(listed.code, 0);
    assert.match(listed.stdout, /^rotate .*\n\s+severities 1…5: 6°, 12°, 18°, 24°, 30° \(ROOD-MRI/);
    const json = JSON.parse((await misas('transforms', '--json')).stdout) as Array<{
      name: string;
      severityValues: number[] | null;
    }>;
    assert.deepEqual(json.find((t) => t.name === 'blur')!.severityValues, [0.8, 1.6, 2.4, 3.2, 4]);
    assert.equal(json.find((t) => t.name === 'translate')!.severityValues, null, 'pixels: depends on the input');
  });

  it("runs each level's value of the registry (rotate 6°…30°) plus the unchanged input, rows carrying their level", () => {
    const rotate = results.series.find((s) => s.name === 'rotate')!;
    assert.deepEqual(rotate.values[0], [0, 6, 12, 18, 24, 30]);
    assert.deepEqual(rotate.severities, [
      [0, 1, 2, 3, 4, 5],
      [0, 1, 2, 3, 4, 5],
    ]);
    assert.deepEqual(
      rotate.rows.filter((r) => r.model === 0 && r.input === 0).map((r) => [r.value, r.severity, r.baseline]),
      [
        [0, 0, true],
        [6, 1, false],
        [12, 2, false],
        [18, 3, false],
        [24, 4, false],
        [30, 5, false],
      ],
    );
    // Levels in ascending order whatever the order written; σ = 0.16 × level.
    const noise = results.series.find((s) => s.name === 'rician-noise')!;
    assert.deepEqual(noise.values[0], [0, 0.16, 0.48, 0.8]);
    assert.deepEqual(noise.severities![0], [0, 1, 3, 5]);
    // A swept series has no levels.
    const zoom = results.series.find((s) => s.name === 'zoom')!;
    assert.equal(zoom.severities, undefined);
    assert.ok(zoom.rows.every((r) => r.severity === undefined));
  });

  it('prints and records the robustness of each series and the corruption error against the reference', async () => {
    const benchmark = results.benchmark!;
    assert.equal(benchmark.referenceModel, 1);
    assert.deepEqual([...new Set(benchmark.robustness.map((r) => r.series))], ['rotate', 'rician-noise']);
    const cortex = benchmark.robustness.find(
      (r) => r.model === 0 && r.series === 'rotate' && r.metric === 'dice' && r.className === 'cortex',
    )!;
    // M0 is the mean of the two untransformed inputs' Dice.
    const clean = results.baselines.filter((b) => b.model === 0).map((b) => b.metrics.dice!.cortex!);
    assert.equal(cortex.clean, (clean[0] + clean[1]) / 2);
    assert.match(stdout, /ROOD-MRI robustness \(Dice/);
    assert.ok(
      stdout.includes(
        `  rotate · cortex (plain): Overall ${cortex.overall!.toFixed(3)}, Degradation ${cortex.degradation!.toFixed(3)} (levels 1,2,3,4,5)`,
      ),
      stdout,
    );
    const mce = benchmark.meanCorruptionErrors!.find((m) => m.model === 0 && m.className === 'deep_gm')!;
    assert.match(stdout, /corruption error against rotaug/);
    assert.ok(
      stdout.includes(`  plain · deep_gm: mCE ${mce.mce!.toFixed(3)}, relative mCE ${mce.relativeMce!.toFixed(3)}`),
      stdout,
    );
    // The model trained without rotations errs more under rotation than the one trained with them.
    const rotateCe = benchmark.corruptionErrors!.find(
      (c) => c.model === 0 && c.series === 'rotate' && c.className === 'deep_gm',
    )!;
    assert.ok(rotateCe.ce! > 1, `CE ${rotateCe.ce}`);
    const csv = (await readFile(join(runDir, 'results.csv'), 'utf8')).split('\n');
    assert.match(csv[0], /,value,baseline,.*,score,severity$/);
    assert.ok(csv.some((line) => line.startsWith('rotate,rotate,plain,0,') && line.endsWith(',5')));
  });

  it('exports ROOD-MRI’s table to standard output and to a file, every line as results.json has it', async () => {
    const printed = await misasProcess(['export', runDir, '--format', 'rood-csv']);
    assert.equal(printed.code, 0, printed.stderr);
    assert.equal(printed.stdout.split('\n')[0], 'Model,Task,Transform,Severity,Subject_ID,DSC,HD95');
    const table = records(printed.stdout);
    // 2 models × 3 foreground classes × 2 inputs × (Clean + 5 rotate levels + 3 noise levels).
    assert.equal(table.length, 2 * 3 * 2 * (1 + 5 + 3));
    assert.deepEqual(
      [...new Set(table.map((r) => `${r.Transform} ${r.Severity}`))],
      [
        'Clean 0',
        'rotate 1',
        'rotate 2',
        'rotate 3',
        'rotate 4',
        'rotate 5',
        'rician-noise 1',
        'rician-noise 3',
        'rician-noise 5',
      ],
    );
    const find = (model: string, task: string, transform: string, severity: string, subject: string) =>
      table.find(
        (r) =>
          r.Model === model &&
          r.Task === task &&
          r.Transform === transform &&
          r.Severity === severity &&
          r.Subject_ID === subject,
      )!;
    for (const input of results.inputs) {
      for (const baseline of results.baselines.filter((b) => b.input === input.input)) {
        const model = results.models[baseline.model].label;
        const clean = find(model, 'deep_gm', 'Clean', '0', input.label);
        assert.equal(clean.DSC, cell(baseline.metrics.dice!.deep_gm));
        assert.equal(clean.HD95, cell(baseline.metrics.hd95!.deep_gm));
      }
      const row = results.series[1].rows.find((r) => r.model === 1 && r.input === input.input && r.severity === 3)!;
      const line = find('rotaug', 'cerebellum', 'rician-noise', '3', input.label);
      assert.equal(line.DSC, cell(row.metrics.dice!.cerebellum));
      assert.equal(line.HD95, cell(row.metrics.hd95!.cerebellum));
    }
    const out = join(dir, 'rood.csv');
    const written = await misasProcess(['export', runDir, '--format', 'rood-csv', '--out', out]);
    assert.equal(written.code, 0, written.stderr);
    assert.equal(written.stdout, '');
    assert.equal(await readFile(out, 'utf8'), printed.stdout);
  });

  it('leaves HD95 empty when the run did not compute it, and refuses a run without severity series (exit 2)', async () => {
    const experiment = join(dir, 'dice-only.misas.json');
    await writeFile(
      experiment,
      JSON.stringify({
        name: 'dice-only',
        model: 'model.onnx',
        inputs: [{ image: 'z065_image.nii.gz', mask: 'z065_label.nii.gz' }],
        series: [
          { transform: 'gamma', severities: [2] },
          { transform: 'zoom', values: [0.2] },
        ],
      }),
    );
    const graded = join(dir, 'dice-only');
    assert.equal((await misas('run', experiment, '--out', graded, '--threads', '1')).code, 0);
    const table = records((await misas('export', graded, '--format', 'rood-csv')).stdout);
    assert.equal(table.length, 3 * 2, 'three classes, Clean and gamma level 2');
    assert.ok(table.every((r) => r.DSC !== '' && r.HD95 === ''));

    const swept = join(dir, 'swept-only');
    assert.equal((await misas('run', experiment, '--out', swept, '--series', 'zoom', '--threads', '1')).code, 0);
    const refused = await misasProcess(['export', swept, '--format', 'rood-csv']);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /results\.json: no series of this run has severity levels.*"severities": \[1, 2, 3, 4, 5\]/,
    );
    assert.doesNotMatch(refused.stderr, STACK_FRAME);
    const badFormat = await misasProcess(['export', swept, '--format', 'csv']);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.stderr, /unknown export format "csv"; formats: rood-csv/);
  });
});
