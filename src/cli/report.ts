/** `misas report <run-dir> [--html out.html] [--compare <run-dir>]...`: the standalone HTML report of a run. */
import { stat, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MisasInputError } from '../engine/errors';
import { writeHtmlReport } from '../engine/report/html';
import { RESULTS_FORMAT, resultsFromJson, type RunResults } from '../engine/report/results';

export const REPORT_USAGE = `  misas report <run-dir> [--html FILE] [--compare RUN-DIR]...
        write a standalone HTML report of a run (default <run-dir>/report.html);
        --compare adds other runs of the same experiment to its charts`;

/** A run folder or its results.json. */
async function resultsFile(path: string): Promise<string> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new MisasInputError(path, 'no such run folder or results file');
  }
  return info.isDirectory() ? join(path, 'results.json') : path;
}

export async function readRunResults(path: string): Promise<RunResults> {
  const file = await resultsFile(path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new MisasInputError(file, 'cannot be read (is this a misas run folder?)');
  }
  let results: RunResults;
  try {
    results = resultsFromJson(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new MisasInputError(file, `is not valid JSON (${(error as Error).message})`);
  }
  if (results?.format !== RESULTS_FORMAT) throw new MisasInputError(file, `is not a misas results file (format "${String(results?.format)}")`);
  return results;
}

/** Exit code 0 when written, 2 for bad arguments (errors about files are thrown as MisasInputError). */
export async function report(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { html: { type: 'string' }, compare: { type: 'string', multiple: true } },
  });
  if (positionals.length !== 1) {
    console.error(`misas: report takes exactly one run folder\n\nusage:\n${REPORT_USAGE}`);
    return 2;
  }
  const runDir = positionals[0];
  const primary = await readRunResults(runDir);
  const others = await Promise.all((values.compare ?? []).map(readRunResults));
  const isDir = (await stat(runDir)).isDirectory();
  const outFile = values.html ?? join(isDir ? runDir : join(runDir, '..'), 'report.html');
  await writeHtmlReport([primary, ...others], outFile);
  const shown = relative(process.cwd(), resolve(outFile));
  console.log(`report written to ${shown.startsWith('..') ? resolve(outFile) : shown}`);
  return 0;
}
