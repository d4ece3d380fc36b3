// What a failed run leaves in its folder: nothing when it wrote nothing of value, otherwise a
// failed.json next to what it wrote; a finished run's folder is never touched.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../src/engine/report/files';
import { isAtomicWriteLeftover, parseFailedRun, settleFailedRun } from '../../../src/engine/report/failedRun';

describe('report/failedRun: settling the folder of a failed run', () => {
  let root: string;
  let count = 0;
  const at = new Date('2026-11-27T12:03:09.123Z');
  const failure = { message: '/w/model.onnx: file not found', file: '/w/model.onnx' };
  const folder = (files: Record<string, string> = {}) => {
    const dir = join(root, `run-${++count}`);
    mkdirSync(dir);
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    return dir;
  };

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'misas-failed-run-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('removes an empty folder', async () => {
    const dir = folder();
    assert.equal(await settleFailedRun(dir, failure, at), 'removed');
    assert.equal(existsSync(dir), false);
  });

  it('removes a folder holding only temporary files of interrupted atomic writes', async () => {
    const dir = folder({
      [`.results.csv.${process.pid}.1767225600000.tmp`]: 'half',
      '.p.nii.gz.77.1767225600001.tmp': 'x',
    });
    assert.equal(await settleFailedRun(dir, failure, at), 'removed');
    assert.equal(existsSync(dir), false);
  });

  it('recognises the temporary name writeFileAtomic really uses, and nothing else', async () => {
    const dir = folder();
    const seen = new Set<string>();
    const watcher = watch(dir, (_event, name) => name && seen.add(String(name)));
    try {
      await writeFileAtomic(join(dir, 'results.json'), '{}');
      await until(() => seen.has('results.json'));
    } finally {
      watcher.close();
    }
    const temporary = [...seen].filter((name) => name !== 'results.json');
    assert.equal(temporary.length, 1, `names seen: ${[...seen].join(', ')}`);
    assert.equal(isAtomicWriteLeftover(temporary[0]), true, temporary[0]);
    for (const other of [
      'results.json',
      'results.csv',
      'failed.json',
      'predictions',
      '.results.json',
      'results.json.tmp',
      '.results.json.12.tmp',
      '.hidden',
      'a.1.2.tmp',
    ]) {
      assert.equal(isAtomicWriteLeftover(other), false, other);
    }
  });

  it('keeps results.csv and predictions, writes failed.json beside them, and drops the leftovers', async () => {
    const dir = folder({
      'results.csv': 'series,value\n',
      'predictions/rotate_input0_0.nii.gz': 'nifti',
      '.results.json.9.1767225600000.tmp': 'half',
    });
    assert.equal(await settleFailedRun(dir, failure, at), 'marked');
    assert.deepEqual(readdirSync(dir).sort(), ['failed.json', 'predictions', 'results.csv']);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'failed.json'), 'utf8')), {
      message: failure.message,
      file: failure.file,
      at: '2026-11-27T12:03:09.123Z',
    });
    assert.equal(readFileSync(join(dir, 'predictions/rotate_input0_0.nii.gz'), 'utf8'), 'nifti');
  });

  it('keeps a folder whose only content is an empty predictions folder', async () => {
    const dir = folder();
    mkdirSync(join(dir, 'predictions'));
    assert.equal(await settleFailedRun(dir, { message: 'out of memory' }, at), 'marked');
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'failed.json'), 'utf8')), {
      message: 'out of memory',
      at: '2026-11-27T12:03:09.123Z',
    });
  });

  it('never touches a folder with results.json', async () => {
    const dir = folder({ 'results.json': '{}', '.results.csv.9.1767225600000.tmp': 'half' });
    assert.equal(await settleFailedRun(dir, failure, at), 'finished');
    assert.deepEqual(readdirSync(dir).sort(), ['.results.csv.9.1767225600000.tmp', 'results.json']);
  });

  it('does nothing when the run never made its folder', async () => {
    const dir = join(root, 'never-made');
    assert.equal(await settleFailedRun(dir, failure, at), 'absent');
    assert.equal(existsSync(dir), false);
  });
});

describe('report/failedRun: reading failed.json', () => {
  it('reads a record, with or without a file', () => {
    assert.deepEqual(
      parseFailedRun('{"message": "m.onnx: file not found", "file": "m.onnx", "at": "2026-11-27T12:03:09.123Z"}'),
      {
        message: 'm.onnx: file not found',
        file: 'm.onnx',
        at: '2026-11-27T12:03:09.123Z',
      },
    );
    assert.deepEqual(parseFailedRun('\uFEFF{"message": "boom", "at": "x", "extra": 1}'), { message: 'boom', at: 'x' });
  });

  it('refuses what is not a record', () => {
    for (const text of [
      '',
      '{',
      'null',
      '[]',
      '"boom"',
      '{"at": "x"}',
      '{"message": "", "at": "x"}',
      '{"message": "boom"}',
      '{"message": 3, "at": "x"}',
    ]) {
      assert.equal(parseFailedRun(text), undefined, text);
    }
  });
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
