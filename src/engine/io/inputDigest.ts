/** The SHA-256 a run records for an input image or mask (results.json `imageSha256`, `maskSha256`). */
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { compareBytes } from '../dataset/glob';
import { sha256File } from '../report/files';
import { isSeriesGlob, seriesGlobFiles } from './dicom-series';

/**
 * An input's SHA-256: a file's own; for a folder (a DICOM series), the SHA-256 of the lines
 * "<sha256 of the file>  <name>\n" of the files directly in it, by name, dot files left out
 * (the lines `sha256sum` prints, in byte order of the names); for a glob of a series' files, the
 * same lines of the files it matches, named by their path from the folder the glob starts in.
 */
export async function sha256Input(path: string): Promise<string> {
  if (await isSeriesGlob(path)) {
    const hash = createHash('sha256');
    const files = seriesGlobFiles(path).sort((a, b) => compareBytes(a.label, b.label));
    for (const { file, label } of files) hash.update(`${await sha256File(file)}  ${label}\n`);
    return hash.digest('hex');
  }
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
