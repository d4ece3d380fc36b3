/** Reading a run's results.json from a run folder (or the file itself), with errors that name it. */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MisasInputError } from '../errors';
import { RESULTS_FORMAT, resultsFromJson, type RunResults } from './results';

async function resultsFile(path: string): Promise<string> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new MisasInputError(path, 'no such run folder or results file');
  }
  return info.isDirectory() ? join(path, 'results.json') : path;
}

export async function readRunResults(path: string): Promise<{ file: string; results: RunResults }> {
  const file = await resultsFile(path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new MisasInputError(file, 'cannot be read (is this a finished misas run folder?)');
  }
  let results: RunResults;
  try {
    results = resultsFromJson(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new MisasInputError(file, `is not valid JSON (${(error as Error).message})`);
  }
  if (results?.format !== RESULTS_FORMAT) throw new MisasInputError(file, `is not a misas results file (format "${String(results?.format)}")`);
  return { file, results };
}
