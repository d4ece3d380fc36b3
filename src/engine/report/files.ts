/** File helpers for run folders and other outputs: atomic writes, content hashes, file-system errors in words. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { MisasInputError } from '../errors';

/**
 * Writes a file so that readers see either the old content or the whole new content, never a
 * half-written file: write a temporary sibling, then rename it over the target.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (thrown) {
    // mkdir says EEXIST ("already exists") when the folder to make is a file: say what is wrong.
    const problem =
      (thrown as { code?: unknown }).code === 'EEXIST' ? `${dirname(path)} is a file, not a folder` : ioProblem(thrown);
    throw new Error(`${path}: cannot write: ${problem}`, { cause: thrown });
  }
  try {
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

/**
 * An input's SHA-256: a file's own; for a folder (a DICOM series), the SHA-256 of the lines
 * "<sha256 of the file>  <name>\n" of the files directly in it, by name, dot files left out
 * (the lines `sha256sum` prints, in byte order of the names).
 */
export async function sha256Input(path: string): Promise<string> {
  if (!(await stat(path)).isDirectory()) return sha256File(path);
  const entries = await readdir(path, { withFileTypes: true });
  const hash = createHash('sha256');
  for (const name of entries.map((entry) => entry.name).sort()) {
    if (name.startsWith('.')) continue;
    const file = join(path, name);
    if (!(await stat(file)).isFile()) continue;
    hash.update(`${await sha256File(file)}  ${name}\n`);
  }
  return hash.digest('hex');
}

/** A folder name from a date that sorts by time and is valid on every platform: 2026-11-27T12-03-09-123Z. */
export function timestampFolderName(date: Date): string {
  return date.toISOString().replace(/:/g, '-').replace('.', '-');
}

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
