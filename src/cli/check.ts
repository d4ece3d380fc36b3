/** `misas check <run-dir> --baseline <run-dir | results.json>`: the regression gate for CI. */
import { parseArgs } from 'node:util';
import { MisasInputError } from '../engine/errors';
import { encodeMetricValue } from '../engine/metrics/json';
import { writeFileAtomic } from '../engine/report/files';
import { checkJunit } from '../engine/report/checkJunit';
import { checkMarkdown, checkTextLines } from '../engine/report/checkText';
import { readRunResults } from '../engine/report/runFolder';
import { checkRuns, type CheckOptions, DEFAULT_CHECK_OPTIONS } from '../engine/sweep/analysis/regressionCheck';
import { type CliIo, EXIT_FAILED, EXIT_OK, printLine } from './io';

export const CHECK_USAGE = `  misas check <run-dir> --baseline <run-dir | results.json> [--max-shrink X] [--max-nauc-drop F]
              [--max-baseline-drop F] [--min-baseline-dice D] [--markdown FILE] [--junit FILE] [--json]
        compare a run with a baseline run (e.g. the main branch's) per model, series,
        foreground class and metric: tolerance intervals, nAUC and the baseline metric;
        exit 1 when something regressed. Allowed: each side of an interval shrinks by
        --max-shrink (series' unit, default ${DEFAULT_CHECK_OPTIONS.maxShrink}); nAUC and the baseline metric are
        worse by the fractions --max-nauc-drop and --max-baseline-drop of the baseline
        run's value (defaults ${DEFAULT_CHECK_OPTIONS.maxNaucDrop} and ${DEFAULT_CHECK_OPTIONS.maxBaselineDrop}); a class below --min-baseline-dice
        (default ${DEFAULT_CHECK_OPTIONS.minBaselineDice}) in the baseline run is reported but not gated.
        --markdown writes the report for a CI job summary, --junit one test case per
        series × class`;

/** A bad option value: the CLI prints it with the usage (exit 2). */
export class CheckUsageError extends Error {}

function nonNegative(text: string | undefined, flag: string, max = Infinity): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !(Number.isFinite(value) && value >= 0 && value <= max))
    throw new CheckUsageError(
      `${flag} must be a number ${max === Infinity ? '≥ 0' : `from 0 to ${max}`}, got "${text}"`,
    );
  return value;
}

/** JSON cannot hold Infinity (an HD95 with a class missing): written as results.json writes it. */
function finiteOrText(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? encodeMetricValue(value) : value;
}

/** An output that cannot be written is a bad argument (exit 2): exit 1 would read as "regressed". */
async function writeReport(file: string, content: string): Promise<void> {
  try {
    await writeFileAtomic(file, content);
  } catch (thrown) {
    throw new MisasInputError('', (thrown as Error).message, { cause: thrown });
  }
}

export async function check(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      baseline: { type: 'string' },
      'max-shrink': { type: 'string' },
      'max-nauc-drop': { type: 'string' },
      'max-baseline-drop': { type: 'string' },
      'min-baseline-dice': { type: 'string' },
      markdown: { type: 'string' },
      junit: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw new CheckUsageError('check takes exactly one run folder (or results.json)');
  if (!values.baseline)
    throw new CheckUsageError('check needs --baseline <run-dir | results.json>: the run to compare with');
  const options: Partial<CheckOptions> = Object.fromEntries(
    Object.entries({
      maxShrink: nonNegative(values['max-shrink'], '--max-shrink'),
      maxNaucDrop: nonNegative(values['max-nauc-drop'], '--max-nauc-drop', 1),
      maxBaselineDrop: nonNegative(values['max-baseline-drop'], '--max-baseline-drop', 1),
      minBaselineDice: nonNegative(values['min-baseline-dice'], '--min-baseline-dice', 1),
    }).filter(([, value]) => value !== undefined),
  );

  const current = await readRunResults(positionals[0]);
  const baseline = await readRunResults(values.baseline);
  const report = checkRuns(current.results, baseline.results, options);
  // A gate that compared nothing must not pass: the baseline does not fit this run.
  if (report.items.length === 0)
    throw new MisasInputError(
      baseline.file,
      `has nothing in common with ${current.file} to compare:\n  ${report.uncompared.join('\n  ')}`,
    );
  const names = { current: current.file, baseline: baseline.file };
  if (values.markdown) await writeReport(values.markdown, checkMarkdown(report, names));
  if (values.junit) await writeReport(values.junit, checkJunit(report));
  if (values.json) printLine(io.stdout, JSON.stringify({ ...names, ...report }, finiteOrText, 2));
  else for (const line of checkTextLines(report, names)) printLine(io.stdout, line);
  return report.regressed ? EXIT_FAILED : EXIT_OK;
}
