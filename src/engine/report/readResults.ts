/**
 * The one reader of run folders' results.json, used by `misas report` and `misas merge`, the
 * results panel and the experiments tree: format and version checked, the content validated
 * against schemas/results.schema.json, every problem naming the file and the JSON path.
 * Pure apart from `readRunResults`, so the extension can give it the text it read itself.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import resultsSchema from '../../../schemas/results.schema.json';
import { MisasInputError } from '../errors';
import { parseJsonText, validateJson } from '../json';
import { RESULTS_FORMAT, RESULTS_FORMAT_VERSION, resultsFromJson, type RunResults } from './results';

/** Versions this engine reads: 1 is upgraded when read (one model, baselines inside the inputs). */
const READABLE_VERSIONS = [1, RESULTS_FORMAT_VERSION];

/**
 * results.json's text as RunResults, or a MisasInputError naming `file`: not JSON, not a misas
 * results file, a format version this engine does not know (written by a newer misas), or
 * content that does not match the schema (the JSON path and what was expected).
 */
export function parseRunResults(text: string, file: string): RunResults {
  const data = parseJsonText(text, file);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new MisasInputError(file, 'is not a misas results file (not a JSON object)');
  const { format, formatVersion } = data as Record<string, unknown>;
  if (format !== RESULTS_FORMAT) throw new MisasInputError(file, `is not a misas results file (format ${JSON.stringify(format) ?? 'missing'}, expected "${RESULTS_FORMAT}")`);
  if (!READABLE_VERSIONS.includes(formatVersion as number)) {
    throw new MisasInputError(file, `has results format version ${JSON.stringify(formatVersion) ?? '(missing)'}; this misas reads versions ${READABLE_VERSIONS.join(' and ')} (a newer misas may have written it: update misas)`);
  }
  // Version 1 predates the schema's current shape: it is upgraded, then held to the schema too.
  if (formatVersion === RESULTS_FORMAT_VERSION) validateJson(resultsSchema, data, file, 'results file');
  const results = resultsFromJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (formatVersion !== RESULTS_FORMAT_VERSION) validateJson(resultsSchema, JSON.parse(JSON.stringify(results, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value))), file, 'results file (version 1, upgraded)');
  return results;
}

async function resultsFile(path: string): Promise<string> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new MisasInputError(path, 'no such run folder or results file');
  }
  return info.isDirectory() ? join(path, 'results.json') : path;
}

/** Reads a run folder's results.json (or the file itself) through `parseRunResults`. */
export async function readRunResults(path: string): Promise<{ file: string; results: RunResults }> {
  const file = await resultsFile(path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new MisasInputError(file, 'cannot be read (is this a finished misas run folder?)');
  }
  return { file, results: parseRunResults(text, file) };
}
