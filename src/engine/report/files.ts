/** File helpers for run folders: atomic writes and content hashes. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ioProblem } from './runFolder';

/**
 * Writes a file so that readers see either the old content or the whole new content, never a
 * half-written file: write a temporary sibling, then rename it over the target.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, content);
    await rename(temporary, path);
  } catch (thrown) {
    await rm(temporary, { force: true }).catch(() => {});
    // Not bad input: the run's work is done, the disk refused it (exit code 1, not 2).
    throw new Error(`${path}: cannot write: ${ioProblem(thrown)}`, { cause: thrown });
  }
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A folder name from a date that sorts by time and is valid on every platform: 2026-11-27T12-03-09-123Z. */
export function timestampFolderName(date: Date): string {
  return date.toISOString().replace(/:/g, '-').replace('.', '-');
}
