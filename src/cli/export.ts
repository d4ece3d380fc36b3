/** `misas export <run-dir> --format rood-csv [--out FILE]`: a run in a benchmark's table layout. */
import { parseArgs } from 'node:util';
import { MisasInputError } from '../engine/errors';
import { writeFileAtomic } from '../engine/report/files';
import { resultsToRoodCsv } from '../engine/report/roodCsv';
import { readRunResults } from '../engine/report/runFolder';
import { type CliIo, EXIT_OK, EXIT_USAGE, printLine } from './io';

export const EXPORT_FORMATS = ['rood-csv'] as const;

export const EXPORT_USAGE = `  misas export <run-dir> --format rood-csv [--out FILE]
        write the run's severity series in ROOD-MRI's table layout (Model, Task,
        Transform, Severity, Subject_ID, DSC, HD95; the unchanged inputs as
        Transform "Clean", Severity 0) to FILE, or to standard output`;

export async function exportRun(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string' }, out: { type: 'string' } },
  });
  const problem =
    positionals.length !== 1
      ? 'export takes exactly one run folder (or its results.json)'
      : values.format === undefined
        ? `export needs --format (one of: ${EXPORT_FORMATS.join(', ')})`
        : !(EXPORT_FORMATS as readonly string[]).includes(values.format)
          ? `unknown export format "${values.format}"; formats: ${EXPORT_FORMATS.join(', ')}`
          : undefined;
  if (problem) {
    printLine(io.stderr, `misas: ${problem}\n\nusage:\n${EXPORT_USAGE}`);
    return EXIT_USAGE;
  }
  const { file, results } = await readRunResults(positionals[0]);
  const csv = resultsToRoodCsv(results, file);
  if (values.out === undefined) {
    io.stdout.write(csv);
    return EXIT_OK;
  }
  try {
    await writeFileAtomic(values.out, csv);
  } catch (thrown) {
    throw new MisasInputError(values.out, (thrown as Error).message, { cause: thrown });
  }
  printLine(io.stderr, `ROOD-MRI table written to ${values.out}`);
  return EXIT_OK;
}
