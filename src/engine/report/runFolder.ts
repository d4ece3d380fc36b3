/**
 * The run folder, in one place: what it holds, how a run claims it, how results are written
 * into it and read back. Every writer and reader (CLI run, merge and report, the engine host,
 * the extension's tree, panel and file watchers, the UI test scripts) takes its names from here.
 *
 *   <experiment folder>/<runs folder: misas.runsFolder, default .misas/runs>/<experiment name>/<timestamp>/
 *     results.json      everything needed to reproduce and plot the run (schemas/results.schema.json); written last
 *     results.csv       one row per series × input × value × class × metric, for spreadsheets and R
 *     report.html       the standalone report (`misas run --report`, `misas report`)
 *     predictions/      every prediction as NIfTI, when predictions are kept
 *     failed.json       why a run failed, when it left files of value behind (src/host/failedRun.ts)
 *     .misas-run.lock   while a run writes into the folder: the writer's process id
 *
 * A folder with results.json is a finished run (completed or cancelled); one without is running,
 * failed or was killed.
 *
 * Claiming a folder before any work starts: create it (and only the parents that are missing),
 * prove it is writable, refuse one that already holds something unless asked to overwrite, and
 * keep a second run out while this one writes. Every problem names the folder.
 * Why not `mkdir(..., { recursive: true })`: on some paths (e.g. under /proc) Node's recursive
 * mkdir retries forever at full CPU, and on a read-only disk it reports ENOENT instead of EROFS.
 */
import { mkdir, open, readdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import resultsSchema from '../../../schemas/results.schema.json';
import { MisasInputError } from '../errors';
import { parseJsonText, validateJson } from '../json';
import { outputError, writeFileAtomic } from './files';
import {
  RESULTS_FORMAT,
  RESULTS_FORMAT_VERSION,
  resultsFromJson,
  resultsToCsv,
  resultsToJson,
  type RunResults,
} from './results';

/** The run's results, read by everything that shows or combines runs; its presence marks a finished run. */
export const RESULTS_FILE = 'results.json';
/** The same rows as CSV. */
export const RESULTS_CSV_FILE = 'results.csv';
/** The standalone HTML report's default place. */
export const REPORT_FILE = 'report.html';
/** Kept predictions (NIfTI), one file per step. */
export const PREDICTIONS_FOLDER = 'predictions';
/** Why a run failed, next to what it left behind. */
export const FAILED_FILE = 'failed.json';
/** Present while a run writes into its folder; holds the writer's process id. */
export const RUN_LOCK_FILE = '.misas-run.lock';

/**
 * Writes a run's results into its folder: results.csv first, results.json last. results.json is
 * what marks a folder as a finished run (the Experiments tree, the results panel and `misas
 * merge` wait for it), so when it appears the CSV is already complete. Each file is written
 * atomically (temporary file + rename): no reader ever sees half of one.
 */
export async function writeRunResults(runDir: string, results: RunResults): Promise<void> {
  await writeFileAtomic(join(runDir, RESULTS_CSV_FILE), resultsToCsv(results));
  await writeFileAtomic(join(runDir, RESULTS_FILE), resultsToJson(results));
}

/** Versions this engine reads: 1 is upgraded when read (one model, baselines inside the inputs). */
const READABLE_VERSIONS = [1, RESULTS_FORMAT_VERSION];

/**
 * results.json's text as RunResults, or a MisasInputError naming `file`: not JSON, not a misas
 * results file, a format version this engine does not know (written by a newer misas), or
 * content that does not match the schema (the JSON path and what was expected). Pure, so the
 * extension can give it the text it read itself.
 */
export function parseRunResults(text: string, file: string): RunResults {
  const data = parseJsonText(text, file);
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new MisasInputError(file, 'is not a misas results file (not a JSON object)');
  const { format, formatVersion } = data as Record<string, unknown>;
  if (format !== RESULTS_FORMAT)
    throw new MisasInputError(
      file,
      `is not a misas results file (format ${JSON.stringify(format) ?? 'missing'}, expected "${RESULTS_FORMAT}")`,
    );
  if (!READABLE_VERSIONS.includes(formatVersion as number)) {
    throw new MisasInputError(
      file,
      `has results format version ${JSON.stringify(formatVersion) ?? '(missing)'}; this misas reads versions ${READABLE_VERSIONS.join(' and ')} (a newer misas may have written it: update misas)`,
    );
  }
  // Version 1 predates the schema's current shape: it is upgraded, then held to the schema too.
  if (formatVersion === RESULTS_FORMAT_VERSION) validateJson(resultsSchema, data, file, 'results file');
  const results = resultsFromJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (formatVersion !== RESULTS_FORMAT_VERSION)
    validateJson(
      resultsSchema,
      JSON.parse(
        JSON.stringify(results, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value)),
      ),
      file,
      'results file (version 1, upgraded)',
    );
  return results;
}

async function resultsFileOf(path: string): Promise<string> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new MisasInputError(path, 'no such run folder or results file');
  }
  return info.isDirectory() ? join(path, RESULTS_FILE) : path;
}

/** Reads a run folder's results.json (or the file itself) through `parseRunResults`. */
export async function readRunResults(path: string): Promise<{ file: string; results: RunResults }> {
  const file = await resultsFileOf(path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new MisasInputError(file, 'cannot be read (is this a finished misas run folder?)');
  }
  return { file, results: parseRunResults(text, file) };
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
    if (kind === 'other')
      throw new MisasInputError(current, `cannot create ${what} ${folder}: this is a file, not a folder`);
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
      if ((thrown as { code?: string }).code === 'ENOENT')
        throw new MisasInputError(folder, `cannot create ${what}: ${dirname(path)} does not allow new folders`, {
          cause: thrown,
        });
      throw outputError(
        folder,
        path === folder ? `cannot create ${what}` : `cannot create ${what} (at ${path})`,
        thrown,
      );
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
 * folder reads as unfinished until this run writes its own), and a file where the run needs one of
 * its `subfolders`.
 */
export async function claimRunFolder(
  runDir: string,
  options: { overwrite?: boolean; subfolders?: readonly string[] } = {},
): Promise<ClaimedRunFolder> {
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
    if (pid !== undefined && pid !== process.pid)
      throw new MisasInputError(
        folder,
        `another misas run (process ${pid}) is writing into this folder; give another --out`,
      );
    await rm(lock, { force: true }); // left by a run that was killed
  }
  const others = entries.filter((name) => name !== RUN_LOCK_FILE);
  if (others.length > 0 && !options.overwrite) {
    throw new MisasInputError(
      folder,
      `the run folder is not empty (${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''}); give an empty or new folder, or --overwrite to replace its results`,
    );
  }
  // A file where the run will need a folder (e.g. `predictions`): refused before anything of the
  // old run is removed, so an overwrite that cannot finish leaves the old results whole.
  for (const name of options.subfolders ?? []) {
    const existing = await stat(join(folder, name)).catch(() => undefined);
    if (existing && !existing.isDirectory()) {
      throw new MisasInputError(
        join(folder, name),
        `is a file, but this run keeps its ${name} in a folder of that name: move the file, or give another --out`,
      );
    }
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
    throw outputError(
      folder,
      (thrown as { code?: string }).code === 'EEXIST'
        ? 'another misas run just started writing into this folder'
        : 'cannot write into the run folder',
      thrown,
    );
  }
  if (others.includes(RESULTS_FILE)) await rm(join(folder, RESULTS_FILE), { force: true });
  return {
    runDir: folder,
    created,
    release: async ({ discard = false } = {}) => {
      await rm(lock, { force: true }).catch(() => {});
      if (discard) await removeEmpty(created);
    },
  };
}
