/**
 * Claiming a run folder before any work: made one folder at a time, probed with a lock file,
 * refused when it cannot be written — on a real read-only bind mount, a real full tmpfs and
 * /proc — with the folder named. Mounting needs root (CAP_SYS_ADMIN): where the test process
 * cannot mount, those two tests are skipped and say why; /proc and the other cases always run.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MisasInputError } from '../../../src/engine/errors';
import { writeFileAtomic } from '../../../src/engine/report/files';
import { resultsToCsv } from '../../../src/engine/report/results';
import { claimRunFolder, parseRunResults, RUN_LOCK_FILE, writeRunResults } from '../../../src/engine/report/runFolder';

async function refusal(action: () => Promise<unknown>): Promise<MisasInputError> {
  try {
    await action();
  } catch (thrown) {
    assert.ok(thrown instanceof MisasInputError, String(thrown));
    return thrown;
  }
  return assert.fail('expected a refusal');
}

/** Mounts with `mount` when this process may; false otherwise. */
function tryMount(args: string[]): boolean {
  try {
    execFileSync('mount', args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('run folders: claimed before any work', () => {
  let dir: string;
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'misas-runfolder-')));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes the missing folders, holds a lock with its pid while claimed, and removes only what it made when discarded', async () => {
    const runDir = join(dir, 'a', 'b', 'run');
    const claimed = await claimRunFolder(runDir);
    assert.deepEqual(claimed.created, [runDir, join(dir, 'a', 'b'), join(dir, 'a')]);
    assert.equal(readFileSync(join(runDir, RUN_LOCK_FILE), 'utf8'), `${process.pid}\n`);
    await claimed.release({ discard: true });
    assert.deepEqual(readdirSync(dir), []);
    // A kept folder loses only its lock.
    const kept = await claimRunFolder(runDir);
    writeFileSync(join(runDir, 'results.csv'), 'x\n');
    await kept.release({ discard: true });
    assert.deepEqual(readdirSync(runDir), ['results.csv']);
  });

  it('refuses a folder with files unless overwrite, which first removes the old results.json', async () => {
    writeFileSync(join(dir, 'results.json'), '{}');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const refused = await refusal(() => claimRunFolder(dir));
    assert.equal(
      refused.message,
      `${dir}: the run folder is not empty (notes.txt, results.json); give an empty or new folder, or --overwrite to replace its results`,
    );
    const claimed = await claimRunFolder(dir, { overwrite: true });
    assert.deepEqual(readdirSync(dir).sort(), [RUN_LOCK_FILE, 'notes.txt']);
    await claimed.release();
  });

  it('refuses a folder a live run holds, and takes over the lock of a dead one', async () => {
    const first = await claimRunFolder(dir);
    // Another process's lock: the parent of this test process is alive.
    writeFileSync(join(dir, RUN_LOCK_FILE), `${process.ppid}\n`);
    const refused = await refusal(() => claimRunFolder(dir, { overwrite: true }));
    assert.match(
      refused.message,
      new RegExp(`another misas run \\(process ${process.ppid}\\) is writing into this folder`),
    );
    writeFileSync(join(dir, RUN_LOCK_FILE), '999999999\n');
    const second = await claimRunFolder(dir);
    assert.equal(readFileSync(join(dir, RUN_LOCK_FILE), 'utf8'), `${process.pid}\n`);
    await second.release();
    await first.release();
    assert.deepEqual(readdirSync(dir), []);
  });

  it("refuses /proc at once (Node's recursive mkdir would spin there forever) and a path through a file", async () => {
    assert.equal(
      (await refusal(() => claimRunFolder('/proc/misas-x/y'))).message,
      '/proc/misas-x/y: cannot create the run folder: /proc does not allow new folders',
    );
    writeFileSync(join(dir, 'file'), '');
    assert.match(
      (await refusal(() => claimRunFolder(join(dir, 'file', 'run')))).message,
      /file\/run: cannot use this as the run folder: a part of the path is a file, not a folder$/,
    );
    assert.match(
      (await refusal(() => claimRunFolder(join(dir, 'file')))).message,
      /file: cannot create the run folder .*: this is a file, not a folder$/,
    );
  });

  it('writes results.csv before results.json, so a folder with results.json has its whole CSV', async () => {
    const file = join(import.meta.dirname, '..', '..', 'report', 'fixtures', 'dataset', 'results.json');
    const results = parseRunResults(readFileSync(file, 'utf8'), file);
    // The CSV cannot be written (a non-empty folder has its name): results.json must not appear either.
    mkdirSync(join(dir, 'results.csv'));
    writeFileSync(join(dir, 'results.csv', 'in-the-way'), '');
    await assert.rejects(writeRunResults(dir, results), (thrown: Error) =>
      thrown.message.startsWith(`${join(dir, 'results.csv')}: cannot write:`),
    );
    assert.equal(existsSync(join(dir, 'results.json')), false, 'results.json written although the CSV failed');
    rmSync(join(dir, 'results.csv'), { recursive: true });
    await writeRunResults(dir, results);
    assert.deepEqual(readdirSync(dir).sort(), ['results.csv', 'results.json']);
    assert.equal(readFileSync(join(dir, 'results.csv'), 'utf8'), resultsToCsv(results));
    assert.deepEqual(parseRunResults(readFileSync(join(dir, 'results.json'), 'utf8'), 'written'), results);
  });

  it('names the file when results cannot be written', async () => {
    mkdirSync(join(dir, 'results.json'));
    await assert.rejects(
      writeFileAtomic(join(dir, 'results.json'), '{}'),
      (thrown: Error) => thrown.message === `${join(dir, 'results.json')}: cannot write: is a folder, not a file`,
    );
  });

  it('says which part of the path is a file when the folder to write into is one', async () => {
    writeFileSync(join(dir, 'maps'), 'not a folder');
    await assert.rejects(
      writeFileAtomic(join(dir, 'maps', 'flip.png'), 'x'),
      (thrown: Error) =>
        thrown.message ===
        `${join(dir, 'maps', 'flip.png')}: cannot write: ${join(dir, 'maps')} is a file, not a folder`,
    );
    await assert.rejects(
      writeFileAtomic(join(dir, 'maps', 'deeper', 'flip.png'), 'x'),
      (thrown: Error) =>
        thrown.message ===
        `${join(dir, 'maps', 'deeper', 'flip.png')}: cannot write: a part of the path is a file, not a folder`,
    );
  });

  it('refuses a read-only disk as "read-only file system", for a new and an existing folder', async function () {
    const source = join(dir, 'source');
    const mountPoint = join(dir, 'ro');
    mkdirSync(join(source, 'empty'), { recursive: true });
    mkdirSync(mountPoint);
    if (!tryMount(['--bind', '-o', 'ro', source, mountPoint])) return this.skip(); // needs root: see the file comment
    try {
      assert.equal(
        (await refusal(() => claimRunFolder(join(mountPoint, 'new')))).message,
        `${join(mountPoint, 'new')}: cannot create the run folder: read-only file system`,
      );
      assert.equal(
        (await refusal(() => claimRunFolder(join(mountPoint, 'empty')))).message,
        `${join(mountPoint, 'empty')}: cannot write into the run folder: read-only file system`,
      );
    } finally {
      execFileSync('umount', [mountPoint]);
    }
  });

  it('refuses a full disk before the work, and names the file when it fills up during the run', async function () {
    const mountPoint = join(dir, 'tiny');
    mkdirSync(mountPoint);
    if (!tryMount(['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint])) return this.skip(); // needs root: see the file comment
    try {
      const claimed = await claimRunFolder(join(mountPoint, 'run'));
      const results = join(mountPoint, 'run', 'results.json');
      await assert.rejects(
        writeFileAtomic(results, new Uint8Array(256 * 1024)),
        (thrown: Error) => thrown.message === `${results}: cannot write: no space left on device`,
      );
      assert.deepEqual(readdirSync(join(mountPoint, 'run')), [RUN_LOCK_FILE], 'no temporary file left behind');
      await claimed.release({ discard: true });
      // Fill the disk, then claim: the probe fails before any work.
      try {
        writeFileSync(join(mountPoint, 'filler'), new Uint8Array(256 * 1024));
      } catch {
        // full now
      }
      assert.equal(
        (await refusal(() => claimRunFolder(mountPoint, { overwrite: true }))).message,
        `${mountPoint}: cannot write into the run folder: no space left on device`,
      );
      assert.equal(existsSync(join(mountPoint, RUN_LOCK_FILE)), false);
    } finally {
      execFileSync('umount', [mountPoint]);
    }
  });
});
