/** The `misas` command line: the same engine as the extension, in-process. */
import { describeThrown, MisasInputError } from '../engine/errors';
import { summarizeTransforms } from '../engine/transforms/summary';
import { ENGINE_VERSION } from '../engine/version';

/** Exit codes: 0 ok, 1 run failed, 2 bad arguments or invalid files. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const USAGE = `misas ${ENGINE_VERSION} — sensitivity analysis for segmentation models

usage:
  misas transforms [--json]   list the sensitivity transforms with their default sweeps
  misas --version             print the engine version
  misas --help                print this help`;

function listTransforms(json: boolean): void {
  const rows = summarizeTransforms();
  if (json) {
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  const width = Math.max(...rows.map((row) => row.name.length), 4);
  for (const row of rows) {
    const unit = row.unit ? ` [${row.unit}]` : '';
    console.log(`${row.name.padEnd(width)}  ${row.kind.padEnd(9)}  ${row.parameter}${unit}, identity ${row.identity}, default ${row.defaultSweep}`);
  }
}

export function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (command === '--version') {
    console.log(ENGINE_VERSION);
    return EXIT_OK;
  }
  if (command === 'transforms') {
    listTransforms(rest.includes('--json'));
    return EXIT_OK;
  }
  console.error(`misas: unknown command "${command}"\n\n${USAGE}`);
  return EXIT_USAGE;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (thrown) {
  console.error(`misas: ${describeThrown(thrown)}`);
  process.exitCode = thrown instanceof MisasInputError ? EXIT_USAGE : EXIT_FAILED;
}
