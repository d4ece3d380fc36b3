/** The `misas` command line: the same engine as the extension, in-process. Entry: main.ts. */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeThrown, MisasInputError } from '../engine/errors';
import { loadModel, type SegmentationModel } from '../engine/model';
import { writeHtmlReport } from '../engine/report/html';
import type { ResultsSeries, RunResults } from '../engine/report/results';
import { claimRunFolder, REPORT_FILE, writeRunResults } from '../engine/report/runFolder';
import { executeRun, RunFailedError } from '../engine/sweep/run/execute';
import { loadExperiment } from '../engine/sweep/experiment/load';
import { mergeShards } from '../engine/report/merge';
import { parseShard, type Shard } from '../engine/sweep/run/workPlan';
import { summarizeTransforms } from '../engine/transforms/summary';
import { ENGINE_VERSION } from '../engine/version';
import { baselineCheckLines } from './baselineText';
import { benchmarkLines } from './benchmarkText';
import { check, CHECK_USAGE, CheckUsageError } from './check';
import { exportRun, EXPORT_USAGE } from './export';
import { fit, FIT_USAGE, isFitUsageError } from './fit';
import { formatInspectReport } from '../engine/model/inspectReport';
import { inspectForCli } from './inspect';
import { type CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE, printLine } from './io';
import { createProgressReporter } from './progress';
import { report, REPORT_USAGE } from './report';

/** Exit codes: 0 ok, 1 run failed, 2 bad arguments or invalid files. */
export { EXIT_OK, EXIT_FAILED, EXIT_USAGE };

const USAGE = `misas ${ENGINE_VERSION} — sensitivity analysis for segmentation models

usage:
  misas run <experiment.misas.json> [--out DIR] [--series NAME]... [--threads N] [--workers N|auto]
            [--provider cpu|cuda] [--shard I/N] [--max-memory MB] [--max-values N] [--max-steps N] [--root DIR]
            [--overwrite] [--report] [--json]
        run an experiment; writes results.json and results.csv into a run folder
        (default <experiment folder>/.misas/runs/<name>/<timestamp>/; an --out folder
        must be new or empty unless --overwrite); --report also
        writes the standalone HTML report there (report.html); --shard runs the
        I-th of N deterministic parts of the work (see misas merge); inputs needing
        more than --max-memory MB (default: half the machine's memory) are skipped;
        a series may sweep --max-values values (default 10000), a run take
        --max-steps model steps (default 200000);
        paths in the experiment must stay inside --root (default: its folder), as
        they must stay inside the workspace folder in VS Code; the model runs in
        --workers sessions on worker threads sharing --threads (default auto: by
        the core count and model size, see docs/scaling.md; 0: on the main thread)
  misas merge <shard-dir>... --out DIR [--overwrite] [--report]
        combine the folders of all N shards of a run into one run folder, the same
        results a single run would have written
  misas inspect <model.onnx> [--json]
        print the model's inputs, outputs and its inferred model card
${FIT_USAGE}
${REPORT_USAGE}
${CHECK_USAGE}
${EXPORT_USAGE}
  misas transforms [--json] [--severities]
        list the sensitivity transforms with their default sweeps (and their
        severity levels 1…5, for a series' "severities")
  misas --version | --help

exit codes: 0 ok, 1 run failed (check: something regressed), 2 bad arguments or invalid files`;

class UsageError extends Error {}

function listTransforms(json: boolean, severities: boolean, io: CliIo): number {
  const rows = summarizeTransforms();
  if (json) {
    printLine(io.stdout, JSON.stringify(rows, null, 2));
    return EXIT_OK;
  }
  const width = Math.max(...rows.map((row) => row.name.length), 4);
  for (const row of rows) {
    const unit = row.unit ? ` [${row.unit}]` : '';
    printLine(
      io.stdout,
      `${row.name.padEnd(width)}  ${row.kind.padEnd(9)}  ${row.parameter}${unit}, identity ${row.identity ?? 'the input size'}, default ${row.defaultSweep}`,
    );
    if (severities) printLine(io.stdout, `${' '.repeat(width + 13)}severities 1…5: ${row.severities}`);
  }
  return EXIT_OK;
}

async function inspect(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  if (positionals.length !== 1) throw new UsageError('inspect takes exactly one model file');
  const report = await inspectForCli(positionals[0]);
  printLine(io.stdout, values.json ? JSON.stringify(report, null, 2) : formatInspectReport(report));
  return EXIT_OK;
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      series: { type: 'string', multiple: true },
      threads: { type: 'string' },
      workers: { type: 'string' },
      provider: { type: 'string' },
      shard: { type: 'string' },
      'max-memory': { type: 'string' },
      'max-values': { type: 'string' },
      'max-steps': { type: 'string' },
      overwrite: { type: 'boolean' },
      root: { type: 'string' },
      report: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('run takes exactly one experiment file');
  const threads = positiveInteger(values.threads, '--threads');
  const workers = workerCount(values.workers);
  const maxMemoryMB = positiveInteger(values['max-memory'], '--max-memory');
  const maxValuesPerSeries = positiveInteger(values['max-values'], '--max-values');
  const maxTotalSteps = positiveInteger(values['max-steps'], '--max-steps');
  const limits = { ...(maxValuesPerSeries ? { maxValuesPerSeries } : {}), ...(maxTotalSteps ? { maxTotalSteps } : {}) };
  const provider = values.provider;
  if (provider !== undefined && provider !== 'cpu' && provider !== 'cuda')
    throw new UsageError(`--provider must be cpu or cuda, got "${provider}"`);
  let shard: Shard | undefined;
  try {
    shard = values.shard === undefined ? undefined : parseShard(values.shard);
  } catch (thrown) {
    throw new UsageError((thrown as MisasInputError).problem);
  }

  // The folder paths must stay in, like the workspace folder in VS Code (default: the experiment's).
  const experiment = await loadExperiment(positionals[0], values.root, limits);
  const models: SegmentationModel[] = [];
  const disposeAll = () => Promise.all(models.map((model) => model.dispose()));
  try {
    for (const { path } of experiment.models) {
      models.push(
        await loadModel(path, {
          ...(threads ? { threads } : {}),
          workers,
          ...(provider ? { executionProvider: provider } : {}),
          onWarning: (message) => printLine(io.stderr, `misas: ${message}`),
        }),
      );
    }
  } catch (thrown) {
    await disposeAll();
    throw thrown;
  }
  const abort = new AbortController();
  const disarmInterrupt = io.onInterrupt(() => abort.abort());
  const progress = createProgressReporter(io.stderr);
  let inputLabels: string[] = [];
  try {
    const { runDir, results } = await executeRun(experiment, models, {
      ...(values.out ? { outDir: values.out } : {}),
      ...(values.series ? { seriesFilter: values.series } : {}),
      ...(shard ? { shard } : {}),
      ...(maxMemoryMB ? { memoryBudgetBytes: maxMemoryMB * 2 ** 20 } : {}),
      limits,
      overwrite: values.overwrite === true,
      signal: abort.signal,
      onEvent: (event) => {
        if (event.type === 'start') inputLabels = event.inputs.map((input) => input.label);
        if (event.type === 'progress') {
          const label = inputLabels[event.input] ?? '';
          const { reading } = event;
          progress.update(
            event.done,
            event.total,
            reading ? `reading ${label}: ${reading.done} of ${reading.total} files` : `${event.series} · ${label}`,
          );
        }
      },
    });
    progress.finish();
    return await printOutcome(runDir, results, { report: values.report === true, json: values.json === true }, io);
  } catch (thrown) {
    progress.finish();
    if (thrown instanceof RunFailedError && values.json) {
      printLine(
        io.stdout,
        JSON.stringify({ status: 'failed', message: thrown.message, problems: thrown.problems }, null, 2),
      );
    }
    throw thrown;
  } finally {
    disarmInterrupt();
    await disposeAll();
  }
}

function workerCount(text: string | undefined): number | 'auto' {
  if (text === undefined || text === 'auto') return 'auto';
  const value = Number(text);
  if (!(Number.isInteger(value) && value >= 0))
    throw new UsageError(`--workers must be auto, 0 or a positive integer, got "${text}"`);
  return value;
}

function positiveInteger(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(Number.isInteger(value) && value > 0))
    throw new UsageError(`${flag} must be a positive integer, got "${text}"`);
  return value;
}

/** A series' name, with its refinement and model calls when it was refined: "rotate (refined to 1°: 70 of 94 model calls)". */
export function seriesHeading(series: Pick<ResultsSeries, 'name' | 'unit' | 'refine' | 'modelCalls'>): string {
  if (!series.refine || !series.modelCalls) return series.name;
  const { sweep, refinement } = series.modelCalls;
  return `${series.name} (refined to ${series.refine.resolution}${series.unit}: ${refinement} of ${sweep + refinement} model calls)`;
}

/** Writes the report when asked and prints the headline summaries (or JSON) of a finished run folder. */
async function printOutcome(
  runDir: string,
  results: RunResults,
  options: { report: boolean; json: boolean },
  io: CliIo,
): Promise<number> {
  const reportFile = options.report ? join(runDir, REPORT_FILE) : undefined;
  if (reportFile) await writeHtmlReport(results, reportFile);
  if (options.json) {
    printLine(
      io.stdout,
      JSON.stringify(
        {
          runDir,
          status: results.status,
          ...(reportFile ? { report: reportFile } : {}),
          problems: results.problems,
          baselineChecks: results.baselineChecks ?? [],
          summaries: results.series.flatMap((s) => s.summaries),
          ...(results.benchmark ? { benchmark: results.benchmark } : {}),
        },
        null,
        2,
      ),
    );
  } else {
    for (const line of baselineCheckLines(results)) printLine(io.stdout, line);
    if (results.pseudoTruth)
      printLine(
        io.stdout,
        'note: some inputs have no ground truth; their untransformed prediction served as pseudo-truth.',
      );
    for (const problem of results.problems)
      printLine(io.stdout, `${problem.action}: ${problem.file}: ${problem.problem}`);
    for (const series of results.series) {
      printLine(io.stdout, `\n${seriesHeading(series)}:`);
      for (const summary of series.summaries) if (summary.headline) printLine(io.stdout, `  ${summary.sentence}`);
    }
    for (const line of benchmarkLines(results)) printLine(io.stdout, line);
    const what = results.shard
      ? `shard ${results.shard.index}/${results.shard.count}`
      : results.status === 'completed'
        ? 'results'
        : 'cancelled; partial results';
    printLine(io.stdout, `\n${what} in ${runDir}`);
    if (reportFile) printLine(io.stdout, `report: ${reportFile}`);
  }
  return results.status === 'completed' ? EXIT_OK : EXIT_FAILED;
}

async function merge(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      overwrite: { type: 'boolean' },
      report: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length === 0) throw new UsageError('merge takes the shard folders to combine');
  if (!values.out) throw new UsageError('merge needs --out DIR for the merged run folder');
  const results = await mergeShards(positionals);
  const folder = await claimRunFolder(values.out, { overwrite: values.overwrite === true });
  let written = false;
  try {
    await writeRunResults(values.out, results);
    written = true;
  } finally {
    await folder.release({ discard: !written });
  }
  return printOutcome(values.out, results, { report: values.report === true, json: values.json === true }, io);
}

/** Runs one command line and returns its exit code; never exits or throws (main.ts sets the process's exit code). */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
        printLine(io.stderr, USAGE);
        return EXIT_USAGE;
      case '--help':
      case '-h':
        printLine(io.stdout, USAGE);
        return EXIT_OK;
      case '--version':
        printLine(io.stdout, ENGINE_VERSION);
        return EXIT_OK;
      case 'transforms':
        return listTransforms(rest.includes('--json'), rest.includes('--severities'), io);
      case 'inspect':
        return await inspect(rest, io);
      case 'fit':
        return await fit(rest, io);
      case 'run':
        return await run(rest, io);
      case 'report':
        return await report(rest, io);
      case 'merge':
        return await merge(rest, io);
      case 'check':
        return await check(rest, io);
      case 'export':
        return await exportRun(rest, io);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (thrown) {
    if (
      thrown instanceof UsageError ||
      thrown instanceof CheckUsageError ||
      isFitUsageError(thrown) ||
      (thrown as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      printLine(io.stderr, `misas: ${(thrown as Error).message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    printLine(io.stderr, `misas: ${describeThrown(thrown)}`);
    return thrown instanceof MisasInputError ? EXIT_USAGE : EXIT_FAILED;
  }
}
