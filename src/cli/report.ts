/** `misas report <run-dir> [--html out.html] [--compare <run-dir>]...`: the standalone HTML report of a run. */
import { stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeHtmlReport } from '../engine/report/html';
import { readRunResults, REPORT_FILE } from '../engine/report/runFolder';
import { type CliIo, printLine } from './io';

export const REPORT_USAGE = `  misas report <run-dir> [--html FILE] [--compare RUN-DIR]...
        write a standalone HTML report of a run (default <run-dir>/report.html);
        --compare adds other runs of the same experiment to its charts`;

/** A run folder or its results.json. */
/** Exit code 0 when written, 2 for bad arguments (errors about files are thrown as MisasInputError). */
export async function report(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { html: { type: 'string' }, compare: { type: 'string', multiple: true } },
  });
  if (positionals.length !== 1) {
    printLine(io.stderr, `misas: report takes exactly one run folder\n\nusage:\n${REPORT_USAGE}`);
    return 2;
  }
  const runDir = positionals[0];
  const { results: primary } = await readRunResults(runDir);
  const others = await Promise.all((values.compare ?? []).map(async (dir) => (await readRunResults(dir)).results));
  const isDir = (await stat(runDir)).isDirectory();
  const outFile = values.html ?? join(isDir ? runDir : join(runDir, '..'), REPORT_FILE);
  await writeHtmlReport([primary, ...others], outFile);
  const shown = relative(process.cwd(), resolve(outFile));
  printLine(io.stdout, `report written to ${shown.startsWith('..') ? resolve(outFile) : shown}`);
  return 0;
}
