/**
 * The `misas` process itself, the part the in-process tests (test/helpers/cli.ts) cannot see:
 * the bin entry turns main's result into the exit code (0 ok, 2 bad input, 1 for a run that did
 * not complete: here a cancelled one), no stack trace reaches stderr, and Ctrl-C (SIGINT)
 * cancels a run, which keeps its partial results. Each case starts node + tsx (+ onnxruntime),
 * seconds on a busy machine, so there are few; a failed run's exit 1 is tested in-process
 * (harden-run.test.ts).
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resultsFromJson } from '../../../src/engine/report/results';
import { ENGINE_VERSION } from '../../../src/engine/version';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'colin27');
const STACK_FRAME = /\n\s+at /;

interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts `misas <args>` as its own process; `onStderr` sees stderr as it grows. With
 * `closedStdout` the reader of its standard output is gone before it writes (`misas … | head`).
 */
function misasProcess(
  args: string[],
  onStderr?: (stderr: string, pid: number) => void,
  closedStdout = false,
): Promise<Exited> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], {
    cwd: ROOT,
  });
  if (closedStdout) child.stdout.destroy();
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
    onStderr?.(stderr, child.pid!);
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** A folder with the example model, its card and one real slice with its label. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'misas-process-'));
  mkdirSync(join(dir, 'data'));
  copyFileSync(join(EXAMPLE, 'model.onnx'), join(dir, 'model.onnx'));
  copyFileSync(join(EXAMPLE, 'model.onnx.misas.json'), join(dir, 'model.onnx.misas.json'));
  copyFileSync(join(EXAMPLE, 'data', 'colin27_z075_image.nii.gz'), join(dir, 'data', 'img.nii.gz'));
  copyFileSync(join(EXAMPLE, 'data', 'colin27_z075_label.nii.gz'), join(dir, 'data', 'seg.nii.gz'));
  return dir;
}

function writeExperiment(dir: string, name: string, extra: Record<string, unknown>): string {
  const file = join(dir, `${name}.misas.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      model: 'model.onnx',
      inputs: [{ image: 'data/img.nii.gz', mask: 'data/seg.nii.gz' }],
      ...extra,
    }),
  );
  return file;
}

describe('misas as a process: exit codes, stderr and Ctrl-C', function () {
  this.timeout(180_000);
  const made: string[] = [];
  after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const newProject = () => {
    const dir = project();
    made.push(dir);
    return dir;
  };

  it('exits 0 and prints the version', async () => {
    const { code, stdout } = await misasProcess(['--version']);
    assert.equal(code, 0);
    assert.equal(stdout, `${ENGINE_VERSION}\n`);
  });

  it('exits 0 without a stack trace when the reader of its output is gone (misas transforms | head)', async () => {
    const { code, stderr } = await misasProcess(['transforms'], undefined, true);
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
  });

  it('exits 2 for a missing experiment, naming the file, with no stack trace', async () => {
    const { code, stdout, stderr } = await misasProcess(['run', 'nowhere.misas.json']);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /^misas: .*nowhere\.misas\.json: file not found/);
    assert.doesNotMatch(stderr, STACK_FRAME);
  });

  it('on SIGINT cancels the run, keeps the rows done so far and exits 1', async () => {
    const dir = newProject();
    // 3001 model steps: far more than can finish between the first progress line and the signal.
    const file = writeExperiment(dir, 'long', {
      series: [{ transform: 'rotate', start: -150, stop: 150, steps: 3001 }],
    });
    const out = join(dir, 'out');
    let signalled = false;
    const { code, signal, stdout, stderr } = await misasProcess(
      ['run', file, '--out', out, '--threads', '1'],
      (text, pid) => {
        if (!signalled && /^progress /m.test(text)) {
          signalled = true;
          process.kill(pid, 'SIGINT');
        }
      },
    );
    assert.ok(signalled, `no progress line before the run ended: ${stderr}`);
    assert.equal(signal, null, 'the process handled SIGINT itself');
    assert.equal(code, 1, stderr);
    assert.match(stdout, new RegExp(`cancelled; partial results in ${out}`));
    assert.doesNotMatch(stderr, STACK_FRAME);
    const results = resultsFromJson(readFileSync(join(out, 'results.json'), 'utf8'));
    assert.equal(results.status, 'cancelled');
    const rows = results.series.flatMap((series) => series.rows).length;
    assert.ok(rows < 3001, `${rows} rows: the run stopped early`);
  });
});
