/**
 * DICOM series folders among the workspace's image files: a folder holding two or more .dcm
 * files is offered as one image (the engine reads a folder as one series volume). Pure: paths in,
 * folders out. Files without an extension are not found by the workspace search, so a folder of
 * only those is not offered; it can still be written as an experiment entry's "image".
 */
import * as path from 'node:path';

export interface SeriesFolder {
  /** The folder's path, in the same form as the file paths given. */
  folder: string;
  /** How many .dcm files it holds directly. */
  files: number;
}

const DICOM_FILE = /\.dcm$/i;

/** The folders holding at least two .dcm files directly, sorted by path. */
export function dicomSeriesFolders(files: readonly string[]): SeriesFolder[] {
  const counts = new Map<string, number>();
  for (const file of files) {
    if (!DICOM_FILE.test(file)) continue;
    const folder = path.posix.dirname(file.replace(/\\/g, '/'));
    counts.set(folder, (counts.get(folder) ?? 0) + 1);
  }
  return [...counts]
    .filter(([, count]) => count >= 2)
    .map(([folder, count]) => ({ folder, files: count }))
    .sort((a, b) => a.folder.localeCompare(b.folder));
}
