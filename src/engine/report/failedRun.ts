/**
 * What a failed run leaves behind. A run folder without results.json would otherwise show as
 * "incomplete" forever: the engine host (or the extension, when the engine process died) either
 * removes the folder, when nothing of value is in it, or writes `failed.json` saying why.
 * Node only (no onnxruntime): the extension bundle reads failed.json with it too.
 */
import { readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './files';
import { FAILED_FILE, RESULTS_FILE } from './runFolder';

/** The content of `failed.json`. */
export interface FailedRunRecord {
  /** What went wrong, as the user was told (bad input starts with its file). */
  message: string;
  /** The file the problem is about, for bad input. */
  file?: string;
  /** When the run failed (ISO 8601). */
  at: string;
}

/**
 * writeFileAtomic's temporary siblings: `.<name>.<pid>.<ms>.tmp`. An interrupted write leaves
 * one behind; it is never a file of value.
 */
export function isAtomicWriteLeftover(name: string): boolean {
  return /^\..+\.\d+\.\d+\.tmp$/.test(name);
}

export type FailedRunSettlement =
  /** The run never created its folder. */
  | 'absent'
  /** results.json is there: not a failed run's folder; left alone. */
  | 'finished'
  /** Empty, or only leftovers of interrupted writes: removed. */
  | 'removed'
  /** Something of value (results.csv, predictions/, …) is kept, next to failed.json. */
  | 'marked';

/**
 * Settles the folder of a run that failed (not one that was cancelled). Only files it has seen
 * are deleted, one by one, and the folder only when it is empty then; anything else stays.
 */
export async function settleFailedRun(
  runDir: string,
  failure: { message: string; file?: string },
  now = new Date(),
): Promise<FailedRunSettlement> {
  let entries;
  try {
    entries = await readdir(runDir, { withFileTypes: true });
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw thrown;
  }
  if (entries.some((entry) => entry.name === RESULTS_FILE)) return 'finished';
  const leftovers = entries.filter((entry) => entry.isFile() && isAtomicWriteLeftover(entry.name));
  for (const leftover of leftovers) await rm(join(runDir, leftover.name), { force: true });
  if (leftovers.length === entries.length) {
    try {
      await rmdir(runDir);
      return 'removed';
    } catch {
      // Something appeared meanwhile (or the folder cannot be removed): say why it is there.
    }
  }
  const record: FailedRunRecord = {
    message: failure.message,
    ...(failure.file ? { file: failure.file } : {}),
    at: now.toISOString(),
  };
  await writeFileAtomic(join(runDir, FAILED_FILE), `${JSON.stringify(record, null, 2)}\n`);
  return 'marked';
}

/** `failed.json`'s text as a record; undefined when it is not one (the folder is then just incomplete). */
export function parseFailedRun(text: string): FailedRunRecord | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const { message, file, at } = data as Record<string, unknown>;
  if (typeof message !== 'string' || !message.trim() || typeof at !== 'string') return undefined;
  return { message, ...(typeof file === 'string' && file ? { file } : {}), at };
}
