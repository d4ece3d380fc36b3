/**
 * Where a run is written: <experiment folder>/<runs folder>/<safe experiment name>/<timestamp>/,
 * the same layout the CLI uses (the naming helpers are the engine's own, pure ones).
 */
import * as path from 'node:path';
import { timestampFolderName } from '../../engine/report/files';
import { safeSegment } from '../../engine/sweep/run/runPaths';

export const EXPERIMENT_SUFFIX = '.misas.json';
export const MODEL_CARD_SUFFIX = '.onnx.misas.json';

export function isExperimentFile(fsPath: string): boolean {
  return fsPath.endsWith(EXPERIMENT_SUFFIX) && !fsPath.endsWith(MODEL_CARD_SUFFIX);
}

export function runFolderFor(experimentPath: string, experimentName: string, runsFolder: string, date: Date): string {
  const base = path.isAbsolute(runsFolder) ? runsFolder : path.join(path.dirname(experimentPath), runsFolder);
  return path.join(base, safeSegment(experimentName), timestampFolderName(date));
}

/**
 * The experiment's `name` from its text, or the file name when the text is not a valid
 * experiment (the engine then reports the real problem; the folder name only has to be sane).
 */
export function experimentNameFrom(text: string, experimentPath: string): string {
  try {
    const data: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    const name = (data as { name?: unknown } | null)?.name;
    if (typeof name === 'string' && name.trim()) return name;
  } catch {
    /* fall through to the file name */
  }
  return path.basename(experimentPath).replace(/\.misas\.json$/, '') || 'experiment';
}
