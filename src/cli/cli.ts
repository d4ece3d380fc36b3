/** The `misas` command line: the same engine as the extension, in-process. Entry: main.ts. */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeThrown, MisasInputError } from '../engine/errors';
import { loadModel } from '../engine/model';
import { writeHtmlReport } from '../engine/report/html';
import { executeRun } from '../engine/sweep/execute';
import { loadExperiment } from '../engine/sweep/experiment';
import { summarizeTransforms } from '../engine/transforms/summary';
import { ENGINE_VERSION } from '../engine/version';
import { formatInspectReport, inspectForCli } from './inspect';
import { createProgressReporter } from './progress';
import { report, REPORT_USAGE } from './report';

/** Exit codes: 0 ok, 1 run failed, 2 bad arguments or invalid files. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const USAGE = `misas ${ENGINE_VERSION} — sensitivity analysis for segmentation models

usage:
  misas run <experiment.misas.json> [--out DIR] [--series NAME]... [--threads N] [--report] [--json]
        run an experiment; writes results.json and results.csv into a run folder
        (default <experiment folder>/.misas/runs/<name>/<timestamp>/); --report also
        writes the standalone HTML report there (report.html)
  misas inspect <model.onnx> [--json]
        print the model's inputs, outputs and its inferred model card
${REPORT_USAGE}
  misas transforms [--json]
        list the sensitivity transforms with their default sweeps
  misas --version | --help

exit codes: 0 ok, 1 run failed, 2 bad arguments or invalid files`;

class UsageError extends Error {}

function listTransforms(json: boolean): number {
  const rows = summarizeTransforms();
  if (json) {
    console.log(JSON.stringify(rows, null, 2));
    return EXIT_OK;
  }
  const width = Math.max(...rows.map((row) => row.name.length), 4);
  for (const row of rows) {
    const unit = row.unit ? ` [${row.unit}]` : '';
    console.log(`${row.name.padEnd(width)}  ${row.kind.padEnd(9)}  ${row.parameter}${unit}, identity ${row.identity ?? 'the input size'}, default ${row.defaultSweep}`);
  }
  return EXIT_OK;
}

async function inspect(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  if (positionals.length !== 1) throw new UsageError('inspect takes exactly one model file');
  const report = await inspectForCli(positionals[0]);
  console.log(values.json ? JSON.stringify(report, null, 2) : formatInspectReport(report));
  return EXIT_OK;
}

async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      series: { type: 'string', multiple: true },
      threads: { type: 'string' },
      report: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('run takes exactly one experiment file');
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads > 0)) throw new UsageError(`--threads must be a positive integer, got "${values.threads}"`);

  const experiment = await loadExperiment(positionals[0]);
  const model = await loadModel(experiment.modelPath, { ...(threads ? { threads } : {}), onWarning: (message) => console.error(`misas: ${message}`) });
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  const progress = createProgressReporter(process.stderr);
  let inputLabels: string[] = [];
  try {
    const { runDir, results } = await executeRun(experiment, model, {
      ...(values.out ? { outDir: values.out } : {}),
      ...(values.series ? { seriesFilter: values.series } : {}),
      signal: abort.signal,
      onEvent: (event) => {
        if (event.type === 'start') inputLabels = event.inputs.map((input) => input.label);
        if (event.type === 'progress') progress.update(event.done, event.total, `${event.series} · ${inputLabels[event.input] ?? ''}`);
      },
    });
    progress.finish();
    const reportFile = values.report ? join(runDir, 'report.html') : undefined;
    if (reportFile) await writeHtmlReport(results, reportFile);
    if (values.json) {
      console.log(JSON.stringify({ runDir, status: results.status, ...(reportFile ? { report: reportFile } : {}), summaries: results.series.flatMap((s) => s.summaries) }, null, 2));
    } else {
      if (results.pseudoTruth) console.log('note: some inputs have no ground truth; their untransformed prediction served as pseudo-truth.');
      for (const series of results.series) {
        console.log(`\n${series.name}:`);
        for (const summary of series.summaries) if (summary.headline) console.log(`  ${summary.sentence}`);
      }
      console.log(`\n${results.status === 'completed' ? 'results' : 'cancelled; partial results'} in ${runDir}`);
      if (reportFile) console.log(`report: ${reportFile}`);
    }
    return results.status === 'completed' ? EXIT_OK : EXIT_FAILED;
  } finally {
    process.off('SIGINT', onSigint);
    await model.dispose();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
        console.error(USAGE);
        return EXIT_USAGE;
      case '--help':
      case '-h':
        console.log(USAGE);
        return EXIT_OK;
      case '--version':
        console.log(ENGINE_VERSION);
        return EXIT_OK;
      case 'transforms':
        return listTransforms(rest.includes('--json'));
      case 'inspect':
        return await inspect(rest);
      case 'run':
        return await run(rest);
      case 'report':
        return await report(rest);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (thrown) {
    if (thrown instanceof UsageError || (thrown as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`misas: ${(thrown as Error).message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    console.error(`misas: ${describeThrown(thrown)}`);
    return thrown instanceof MisasInputError ? EXIT_USAGE : EXIT_FAILED;
  }
}

