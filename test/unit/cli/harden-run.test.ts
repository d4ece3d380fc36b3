/**
 * The CLI (in-process, test/helpers/cli.ts) on broken and hostile runs: predictions kept, sweeps too large to run,
 * output folders that cannot be written or already hold a run, runs whose every input is
 * skipped, paths that leave the experiment's folder through symbolic links. The real example
 * model runs on real Colin27 slices; broken files are made here.
 */
import * as assert from 'node:assert/strict';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { encode } from 'fast-png';
import { resultsFromJson } from '../../../src/engine/report/results';
import { misas } from '../../helpers/cli';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'colin27');

/** A folder with the example model, card and one real slice with its label, and an experiment writer. */
function project(): { dir: string; write: (name: string, extra: Record<string, unknown>) => string } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'misas-harden-')));
  mkdirSync(join(dir, 'data'));
  copyFileSync(join(EXAMPLE, 'model.onnx'), join(dir, 'model.onnx'));
  copyFileSync(join(EXAMPLE, 'model.onnx.misas.json'), join(dir, 'model.onnx.misas.json'));
  copyFileSync(join(EXAMPLE, 'data', 'colin27_z075_image.nii.gz'), join(dir, 'data', 'img.nii.gz'));
  copyFileSync(join(EXAMPLE, 'data', 'colin27_z075_label.nii.gz'), join(dir, 'data', 'seg.nii.gz'));
  const write = (name: string, extra: Record<string, unknown>) => {
    const file = join(dir, `${name}.misas.json`);
    const experiment = {
      name,
      model: 'model.onnx',
      inputs: [{ image: 'data/img.nii.gz', mask: 'data/seg.nii.gz' }],
      series: [{ transform: 'rotate', values: [-10, 10] }],
      ...extra,
    };
    writeFileSync(file, JSON.stringify(experiment));
    return file;
  };
  return { dir, write };
}

describe('misas CLI: runs, paths, limits and run folders', function () {
  this.timeout(180_000);
  const made: string[] = [];
  const newProject = () => {
    const p = project();
    made.push(p.dir);
    return p;
  };
  after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('keeps every prediction as NIfTI when the experiment asks for it', async () => {
    const { dir, write } = newProject();
    const file = write('keep', { keepPredictions: true });
    const { code, stderr } = await misas('run', file, '--out', join(dir, 'out'));
    assert.equal(code, 0, stderr);
    const files = readdirSync(join(dir, 'out', 'predictions')).sort();
    // −10 and 10 as asked, and the identity 0 that every series adds.
    assert.deepEqual(files, ['rotate_input0_0.nii.gz', 'rotate_input0_10.nii.gz', 'rotate_input0_m10.nii.gz']);
    const header = gunzipSync(readFileSync(join(dir, 'out', 'predictions', files[0])));
    assert.equal(header.readInt32LE(0), 348, 'a NIfTI-1 header');
    assert.equal(resultsFromJson(readFileSync(join(dir, 'out', 'results.json'), 'utf8')).status, 'completed');
  });

  it('refuses a sweep or a run too large before any work, names the series and the way to raise the limit', async () => {
    const { dir, write } = newProject();
    const huge = await misas(
      'run',
      write('huge', { series: [{ transform: 'rotate', start: 0, stop: 1, steps: 1e9 }] }),
    );
    assert.equal(huge.code, 2);
    assert.match(
      huge.stderr,
      /huge\.misas\.json: \$\.series\[0\]: the sweep has 1,000,000,000 values, more than the limit of 10,000 per series \(raise it with --max-values N/,
    );
    const many = write('many', {
      series: [
        { transform: 'rotate', start: 0, stop: 1, steps: 300 },
        { transform: 'zoom', start: 0, stop: 1, steps: 3 },
      ],
    });
    const tooMany = await misas('run', many, '--max-steps', '300');
    assert.equal(tooMany.code, 2);
    assert.match(
      tooMany.stderr,
      /many\.misas\.json: the run would take 303 model steps \(303 values × 1 input × 1 model\), more than the limit of 300/,
    );
    assert.equal(existsSync(join(dir, '.misas')), false, 'a refused run leaves no folder');
    // --series leaves out what will not run; the limit counts the rest.
    const one = await misas('run', many, '--max-steps', '300', '--series', 'zoom', '--out', join(dir, 'zoom'));
    assert.equal(one.code, 0, one.stderr);
  });

  it('refuses an --out that cannot be made, names it, and never hangs', async () => {
    const { write } = newProject();
    const file = write('proc', {});
    const proc = await misas('run', file, '--out', '/proc/misas-test-x');
    assert.equal(proc.code, 2);
    assert.match(proc.stderr, /\/proc\/misas-test-x: cannot create the run folder: \/proc does not allow new folders/);
    const underFile = await misas('run', file, '--out', join(file, 'out'));
    assert.equal(underFile.code, 2);
    assert.match(
      underFile.stderr,
      /proc\.misas\.json\/out: cannot use this as the run folder: a part of the path is a file, not a folder/,
    );
  });

  it('refuses a non-empty --out unless --overwrite, so a second run never silently replaces the first', async () => {
    const { dir, write } = newProject();
    const file = write('twice', {});
    const out = join(dir, 'out');
    assert.equal((await misas('run', file, '--out', out)).code, 0);
    const first = readFileSync(join(out, 'results.json'), 'utf8');
    const again = await misas('run', file, '--out', out);
    assert.equal(again.code, 2);
    assert.match(
      again.stderr,
      new RegExp(`${out}: the run folder is not empty \\(results.csv, results.json\\); .*--overwrite`),
    );
    assert.equal(readFileSync(join(out, 'results.json'), 'utf8'), first, 'the first run is untouched');
    const overwritten = await misas('run', file, '--out', out, '--overwrite');
    assert.equal(overwritten.code, 0, overwritten.stderr);
    assert.notEqual(readFileSync(join(out, 'results.json'), 'utf8'), first);
    assert.deepEqual(readdirSync(out).sort(), ['results.csv', 'results.json'], 'no lock file left behind');
  });

  it('refuses an --out another live run writes into', async () => {
    const { dir, write } = newProject();
    const out = join(dir, 'busy');
    mkdirSync(out);
    // The lock a running misas holds, by a live process other than this one (the CLI runs in-process
    // here, and a lock of its own process is its own): the test's parent, like a run in progress.
    writeFileSync(join(out, '.misas-run.lock'), `${process.ppid}\n`);
    const busy = await misas('run', write('busy', {}), '--out', out, '--overwrite');
    assert.equal(busy.code, 2);
    assert.match(
      busy.stderr,
      new RegExp(`busy: another misas run \\(process ${process.ppid}\\) is writing into this folder`),
    );
    // A lock whose process is gone (killed run) does not block.
    writeFileSync(join(out, '.misas-run.lock'), '999999999\n');
    assert.equal((await misas('run', write('busy', {}), '--out', out)).code, 0);
  });

  it('fails a run whose every input was skipped: exit 1, the reasons listed, no folder left', async () => {
    const { dir, write } = newProject();
    // A mask on another grid (60×50, the image is 181×217): readable header, refused when the pair is loaded.
    writeFileSync(
      join(dir, 'data', 'other.png'),
      encode({ width: 60, height: 50, data: new Uint8Array(60 * 50), channels: 1, depth: 8 }),
    );
    const file = write('skipped', { inputs: [{ image: 'data/img.nii.gz', mask: 'data/other.png' }] });
    const failed = await misas('run', file, '--json');
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(
      failed.stderr,
      /skipped\.misas\.json: every input was skipped, nothing was measured:\n {2}data\/other\.png: /,
    );
    const report = JSON.parse(failed.stdout) as { status: string; problems: Array<{ file: string; action: string }> };
    assert.equal(report.status, 'failed');
    assert.deepEqual(
      report.problems.map((p) => [p.file, p.action]),
      [['data/other.png', 'skipped']],
    );
    assert.equal(existsSync(join(dir, '.misas')), false, 'no empty timestamp folder');
  });

  it('refuses a model that is a symbolic link out of the experiment folder; --root widens it', async () => {
    const { dir, write } = newProject();
    const outside = realpathSync(mkdtempSync(join(tmpdir(), 'misas-outside-')));
    made.push(outside);
    copyFileSync(join(dir, 'model.onnx'), join(outside, 'model.onnx'));
    symlinkSync(join(outside, 'model.onnx'), join(dir, 'linked.onnx'));
    const file = write('linked', { model: 'linked.onnx' });
    const refused = await misas('run', file);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      new RegExp(
        `linked\\.misas\\.json: \\$\\.model: "linked\\.onnx" is or passes through a symbolic link to ${outside}/model\\.onnx, outside ${dir}; paths must stay inside`,
      ),
    );
    assert.equal(existsSync(join(dir, '.misas')), false);
    const wide = await misas('run', file, '--root', realpathSync(tmpdir()), '--out', join(dir, 'wide'));
    assert.equal(wide.code, 0, wide.stderr);
  });

  it('report and merge refuse a results.json of an unknown version or shape, naming the file and the JSON path', async () => {
    const { dir } = newProject();
    const real = JSON.parse(
      readFileSync(join(ROOT, 'test', 'report', 'fixtures', 'dataset', 'results.json'), 'utf8'),
    ) as Record<string, unknown>;
    mkdirSync(join(dir, 'newer'));
    writeFileSync(join(dir, 'newer', 'results.json'), JSON.stringify({ ...real, formatVersion: 9 }));
    const newer = await misas('report', join(dir, 'newer'));
    assert.equal(newer.code, 2);
    assert.match(newer.stderr, /newer\/results\.json: has results format version 9; this misas reads versions 1 and 2/);
    mkdirSync(join(dir, 'oops'));
    writeFileSync(join(dir, 'oops', 'results.json'), JSON.stringify({ ...real, series: 'oops' }));
    const merged = await misas('merge', join(dir, 'oops'), '--out', join(dir, 'merged'));
    assert.equal(merged.code, 2);
    assert.match(
      merged.stderr,
      /oops\/results\.json: invalid results file:\n {2}\$\.series: must be a list \[ … \], not the string "oops"/,
    );
    assert.equal(existsSync(join(dir, 'merged')), false);
  });
});
