/** Reading and writing whole files, with errors that name the file and say what went wrong. */
import { randomBytes } from 'node:crypto';
import { access, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { MisasInputError, describeThrown } from '../errors';

const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'file not found',
  EISDIR: 'is a directory, not a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
};

function fileProblem(thrown: unknown): string {
  const code = (thrown as { code?: unknown } | null)?.code;
  return (typeof code === 'string' && FILE_ERRORS[code]) || describeThrown(thrown);
}

/** Whether a path exists (and can be seen): a question, never an error. */
export async function fileExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Whether a path is a folder (a DICOM series is given as one): a question, never an error. */
export async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export async function readInputFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (thrown) {
    throw new MisasInputError(path, fileProblem(thrown), { cause: thrown });
  }
}

/** The first `count` bytes of a file (fewer when it is shorter), without reading the rest. */
export async function readFileHead(path: string, count: number): Promise<Buffer> {
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(count);
      const { bytesRead } = await handle.read(buffer, 0, count, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (thrown) {
    throw new MisasInputError(path, fileProblem(thrown), { cause: thrown });
  }
}

export async function fileSize(path: string): Promise<number> {
  try {
    const facts = await stat(path);
    if (facts.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    return facts.size;
  } catch (thrown) {
    throw new MisasInputError(path, fileProblem(thrown), { cause: thrown });
  }
}

/** Writes through a temporary file and a rename, so readers never see half a file. */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (thrown) {
    await rm(temporary, { force: true });
    throw new MisasInputError(path, `cannot write: ${fileProblem(thrown)}`, { cause: thrown });
  }
}
