/**
 * `misas check` through the CLI on the example's two models (examples/colin27): the U-Net
 * trained without rotation augmentation and the same network trained with it, each run once
 * on rotate −90°…+90° in 15° steps on one slice (z065: 13 model calls per run). On that slice
 * the augmented model tolerates rotate −15°…+15° for deep grey matter and cerebellum, the other
 * 0° only (checked by hand, and read back from the runs below). On the mean of all five slices
 * the augmented model's cerebellum interval is 0°…+30° against −15°…+15°: no clean "reverse
 * passes", hence the one slice.
 */
import * as assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resultsFromJson } from '../../../src/engine/report/results';
import { misas } from '../../helpers/cli';

const EXAMPLE = join(import.meta.dirname, '..', '..', '..', 'examples', 'colin27');

/** Copies a model and the z065 slice into `dir` and runs the rotate series; returns the run folder. */
async function runRotate(dir: string, model: string): Promise<string> {
  await copyFile(join(EXAMPLE, model), join(dir, model));
  await copyFile(join(EXAMPLE, `${model}.misas.json`), join(dir, `${model}.misas.json`));
  const experiment = join(dir, `${model}.misas.json`.replace('.onnx', ''));
  await writeFile(
    experiment,
    JSON.stringify({
      name: model,
      model,
      inputs: [{ image: 'z065_image.nii.gz', mask: 'z065_label.nii.gz' }],
      series: [{ transform: 'rotate', start: -90, stop: 90, step: 15 }],
      metrics: ['dice'],
    }),
  );
  const out = join(dir, 'runs', model);
  const { code, stderr } = await misas('run', experiment, '--out', out, '--threads', '1');
  assert.equal(code, 0, stderr);
  return out;
}

/** The pooled Dice tolerance interval of a class as the run itself summarised it. */
async function interval(runDir: string, className: string): Promise<[number, number] | null> {
  const results = resultsFromJson(await readFile(join(runDir, 'results.json'), 'utf8'));
  return results.series[0].summaries.find((s) => s.className === className && s.metric === 'dice')!.tolerance;
}

describe('misas check (CLI, the example models)', function () {
  this.timeout(120_000);
  let dir: string;
  let plain: string;
  let augmented: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-check-'));
    await copyFile(join(EXAMPLE, 'data', 'colin27_z065_image.nii.gz'), join(dir, 'z065_image.nii.gz'));
    await copyFile(join(EXAMPLE, 'data', 'colin27_z065_label.nii.gz'), join(dir, 'z065_label.nii.gz'));
    plain = await runRotate(dir, 'model.onnx');
    augmented = await runRotate(dir, 'model-rotaug.onnx');
  });

  it('the data shows what the check should find: rotation augmentation widens the deep-structure intervals', async () => {
    for (const className of ['deep_gm', 'cerebellum']) {
      assert.deepEqual(await interval(plain, className), [0, 0], `${className} without augmentation`);
      assert.deepEqual(await interval(augmented, className), [-15, 15], `${className} with augmentation`);
    }
  });

  it('checking the model without augmentation against the augmented one reports the shrunken intervals and exits 1', async () => {
    const markdown = join(dir, 'summary.md');
    const junit = join(dir, 'reports', 'check.xml');
    const { code, stdout, stderr } = await misas(
      'check',
      plain,
      '--baseline',
      augmented,
      '--markdown',
      markdown,
      '--junit',
      junit,
    );
    assert.equal(code, 1, stderr);
    assert.equal(stderr, '');
    const lines = stdout.split('\n');
    assert.match(lines[0], /^misas check .*model\.onnx.*results\.json against .*: 2 regressions \(3 comparisons/);
    const rows = lines.filter((line) => /^(REGRESSED|worse|improved|not gated)/.test(line));
    assert.match(rows[0], /^REGRESSED +rotate +deep_gm +−15°…\+15° → 0° only/);
    assert.match(rows[1], /^REGRESSED +rotate +cerebellum +−15°…\+15° → 0° only/);
    assert.ok(!rows.slice(2).some((row) => row.startsWith('REGRESSED')), 'regressions come first');
    assert.ok(
      lines.includes(
        'rotate, deep_gm (Dice): tolerance interval −15°…+15° → 0° only (15° lost below, 15° lost above; allowed shrink 0°)',
      ),
      stdout,
    );
    assert.match(stdout, /note: models paired by their place in the run.*"model\.onnx" ↔ "model-rotaug\.onnx"/);

    const summary = await readFile(markdown, 'utf8');
    assert.match(summary, /^### misas check: ❌ 2 regressions/);
    assert.match(summary, /\n\| REGRESSED \| rotate \| deep_gm \| −15°…\+15° → 0° only \| /);
    const xml = await readFile(junit, 'utf8');
    assert.match(xml, /<testsuites name="misas check" tests="3" failures="2" errors="0" skipped="0">/);
    assert.deepEqual(
      [...xml.matchAll(/<testcase classname="([^"]*)" name="([^"]*)"/g)].map((m) => `${m[1]} × ${m[2]}`),
      ['rotate × deep_gm', 'rotate × cerebellum', 'rotate × cortex'],
    );
    assert.equal([...xml.matchAll(/<failure /g)].length, 2);
  });

  it('the reverse (the augmented model against the plain one, as a results.json) passes with exit 0', async () => {
    const { code, stdout, stderr } = await misas('check', augmented, '--baseline', join(plain, 'results.json'));
    assert.equal(code, 0, stderr);
    assert.match(stdout, /: no regressions \(3 comparisons: 1 worse within the allowance, 2 improved\)/);
    assert.match(stdout, /\nimproved +rotate +cerebellum +0° only → −15°…\+15°/);
    // deep_gm's interval widened too, but its baseline Dice fell 2.1%: within the 5% allowed.
    assert.match(stdout, /\nworse, allowed +rotate +deep_gm +0° only → −15°…\+15° .* 0\.781 → 0\.765 \(−2\.08%\)/);
    const strict = await misas('check', augmented, '--baseline', plain, '--max-baseline-drop', '0.01');
    assert.equal(strict.code, 1, 'a stricter allowance makes that drop a regression');
    assert.match(
      strict.stdout,
      /rotate, deep_gm \(Dice\): baseline Dice 0\.781 → 0\.765 \(−2\.08%\); allowed 1% worse/,
    );
  });

  it('lets the shrink through when --max-shrink allows it, and prints JSON', async () => {
    const { code, stdout } = await misas(
      'check',
      plain,
      '--baseline',
      augmented,
      '--max-shrink',
      '15',
      '--max-nauc-drop',
      '0.6',
      '--max-baseline-drop',
      '0.1',
      '--json',
    );
    assert.equal(code, 0, stdout);
    const report = JSON.parse(stdout) as { regressed: boolean; items: { className: string; verdict: string }[] };
    assert.equal(report.regressed, false);
    assert.deepEqual(
      report.items.map((item) => [item.className, item.verdict]),
      [
        ['cortex', 'worse'],
        ['deep_gm', 'worse'],
        ['cerebellum', 'worse'],
      ],
    );
  });

  it('exits 2 naming the problem for bad arguments, unreadable runs and runs with nothing in common', async () => {
    const noBaseline = await misas('check', plain);
    assert.equal(noBaseline.code, 2);
    assert.match(noBaseline.stderr, /check needs --baseline/);
    assert.match(noBaseline.stderr, /misas check <run-dir> --baseline/, 'the usage follows');
    const negative = await misas('check', plain, '--baseline', augmented, '--max-shrink=-1');
    assert.equal(negative.code, 2);
    assert.match(negative.stderr, /--max-shrink must be a number ≥ 0, got "-1"/);
    const fraction = await misas('check', plain, '--baseline', augmented, '--max-nauc-drop', '5%');
    assert.match(fraction.stderr, /--max-nauc-drop must be a number from 0 to 1, got "5%"/);
    const missing = await misas('check', join(dir, 'nowhere'), '--baseline', augmented);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nowhere: no such run folder or results file/);
    const unwritable = await misas(
      'check',
      plain,
      '--baseline',
      augmented,
      '--junit',
      join(plain, 'results.json', 'x.xml'),
    );
    assert.equal(unwritable.code, 2, 'exit 1 would read as a regression');
    assert.match(unwritable.stderr, /results\.json.x\.xml: cannot write: /);
    await mkdir(join(dir, 'unfinished'));
    const unfinished = await misas('check', plain, '--baseline', join(dir, 'unfinished'));
    assert.equal(unfinished.code, 2);
    assert.match(
      unfinished.stderr,
      /unfinished.results\.json: cannot be read \(is this a finished misas run folder\?\)/,
    );

    const other = JSON.parse(await readFile(join(augmented, 'results.json'), 'utf8')) as {
      series: { name: string }[];
    };
    other.series[0].name = 'rotate-misas';
    await writeFile(join(dir, 'other.json'), JSON.stringify(other));
    const disjoint = await misas('check', plain, '--baseline', join(dir, 'other.json'));
    assert.equal(disjoint.code, 2);
    assert.match(
      disjoint.stderr,
      /other\.json: has nothing in common with .* to compare:\n {2}series rotate: not in the baseline run\n {2}series rotate-misas: only in the baseline run/,
    );
  });
});
