/**
 * Claiming a run folder before any work starts: create it (and only the parents that are
 * missing), prove it is writable, refuse one that already holds something unless asked to
 * overwrite, and keep a second run out while this one writes. Every problem names the folder.
 *
 * Why not `mkdir(..., { recursive: true })`: on some paths (e.g. under /proc) Node's recursive
 * mkdir retries forever at full CPU, and on a read-only disk it reports ENOENT instead of EROFS.
 */
import { mkdir, open, readdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { MisasInputError } from '../errors';

/** Present while a run writes into its folder; holds the writer's process id. */
export const RUN_LOCK_FILE = '.misas-run.lock';

/** What a failed file-system call means, in words (the caller names the path). */
export function ioProblem(thrown: unknown): string {
  const code = (thrown as { code?: unknown } | null)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'ENOENT':
      return 'no such file or folder';
    case 'EEXIST':
      return 'already exists';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    default:
      return thrown instanceof Error ? thrown.message : String(thrown);
  }
}

/** An error about an output path that names it. */
export function outputError(path: string, doing: string, thrown: unknown): MisasInputError {
  return new MisasInputError(path, `${doing}: ${ioProblem(thrown)}`, { cause: thrown });
}

export interface ClaimedRunFolder {
  runDir: string;
  /** Folders this claim created, deepest first (removed again by `release` when left empty). */
  created: string[];
  /** Removes the lock; with `discard`, also the folders the claim created, when they are empty. */
  release(options?: { discard?: boolean }): Promise<void>;
}

async function existingKind(path: string, what: string): Promise<'folder' | 'other' | undefined> {
  try {
    return (await stat(path)).isDirectory() ? 'folder' : 'other';
  } catch (thrown) {
    if ((thrown as { code?: string }).code === 'ENOENT') return undefined;
    throw outputError(path, `cannot use this as ${what}`, thrown);
  }
}

/**
 * Creates `folder` and its missing parents one by one (never Node's recursive mkdir, see
 * above); returns the ones it created, deepest first. Errors name the folder.
 */
export async function createFolders(folder: string, what = 'the run folder'): Promise<string[]> {
  const missing: string[] = [];
  let current = folder;
  for (;;) {
    const kind = await existingKind(current, what);
    if (kind === 'other') throw new MisasInputError(current, `cannot create ${what} ${folder}: this is a file, not a folder`);
    if (kind === 'folder') break;
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  const created: string[] = [];
  for (const path of missing) {
    try {
      await mkdir(path);
    } catch (thrown) {
      await removeEmpty(created);
      // The parent exists (made or found just before): ENOENT here means a file system such as /proc that makes no folders.
      if ((thrown as { code?: string }).code === 'ENOENT') throw new MisasInputError(folder, `cannot create ${what}: ${dirname(path)} does not allow new folders`, { cause: thrown });
      throw outputError(folder, path === folder ? `cannot create ${what}` : `cannot create ${what} (at ${path})`, thrown);
    }
    created.unshift(path);
  }
  return created;
}

async function removeEmpty(foldersDeepestFirst: readonly string[]): Promise<void> {
  for (const folder of foldersDeepestFirst) {
    try {
      await rmdir(folder);
    } catch {
      return; // not empty (or gone): what is above it is not empty either
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (thrown) {
    return (thrown as { code?: string }).code === 'EPERM';
  }
}

/** The process id in another run's lock file, when that process still lives. */
async function liveWriter(lock: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(lock, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Creates and locks the run folder. Refuses, before any work: a folder that cannot be created or
 * written (a lock file is written as the probe), a folder another live run writes into, and a
 * non-empty folder unless `overwrite` (then its old results.json is removed first, so the
 * folder reads as unfinished until this run writes its own).
 */
export async function claimRunFolder(runDir: string, options: { overwrite?: boolean } = {}): Promise<ClaimedRunFolder> {
  const folder = resolve(runDir);
  const created = await createFolders(folder);
  const lock = join(folder, RUN_LOCK_FILE);
  let entries: string[];
  try {
    entries = await readdir(folder);
  } catch (thrown) {
    throw outputError(folder, 'cannot read the run folder', thrown);
  }
  if (entries.includes(RUN_LOCK_FILE)) {
    const pid = await liveWriter(lock);
    if (pid !== undefined && pid !== process.pid) throw new MisasInputError(folder, `another misas run (process ${pid}) is writing into this folder; give another --out`);
    await rm(lock, { force: true }); // left by a run that was killed
  }
  const others = entries.filter((name) => name !== RUN_LOCK_FILE);
  if (others.length > 0 && !options.overwrite) {
    throw new MisasInputError(folder, `the run folder is not empty (${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''}); give an empty or new folder, or --overwrite to replace its results`);
  }
  try {
    // The probe: proves the folder is writable now, not after hours of work.
    const handle = await open(lock, 'wx');
    try {
      await handle.writeFile(`${process.pid}\n`);
    } finally {
      await handle.close();
    }
  } catch (thrown) {
    await rm(lock, { force: true }).catch(() => {});
    await removeEmpty(created);
    throw outputError(folder, (thrown as { code?: string }).code === 'EEXIST' ? 'another misas run just started writing into this folder' : 'cannot write into the run folder', thrown);
  }
  if (others.includes('results.json')) await rm(join(folder, 'results.json'), { force: true });
  return {
    runDir: folder,
    created,
    release: async ({ discard = false } = {}) => {
      await rm(lock, { force: true }).catch(() => {});
      if (discard) await removeEmpty(created);
    },
  };
}
