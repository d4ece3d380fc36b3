/**
 * Turns what a run (or several shards of it) produced into results.json's content: inputs with
 * their problems, baselines, rows in canonical order, summaries and aggregates. A single run and
 * `misas merge` of its shards both go through here, which is what makes them equal.
 */
import type { InputProblem } from '../dataset/types';
import type { ModelCalls, ResultsInput, ResultsRow, ResultsSeries } from './results';
import type { MetricName } from '../metrics/types';
import { aggregateSeries } from '../sweep/analysis/aggregate';
import { baselineFailure, findBaselineChecks, type BaselineCheck } from '../sweep/analysis/baselineCheck';
import type { InputBaseline, RunSeriesInfo } from '../sweep/rows';
import { benchmarkOf, type BenchmarkResults } from '../sweep/analysis/benchmark';
import { summarizeSeries } from '../sweep/analysis/seriesSummary';
import { seriesValueOrder } from './sweepOrder';

export interface RunParts {
  inputs: ResultsInput[];
  series: RunSeriesInfo[];
  rowsBySeries: ReadonlyMap<string, readonly ResultsRow[]>;
  baselines: readonly InputBaseline[];
  problems: readonly InputProblem[];
}

export interface AssembleContext {
  classes: readonly string[];
  metrics: readonly MetricName[];
  tau: number;
  modelLabels: readonly string[];
  /** The experiment's `referenceModel` (index): benchmark metrics add the corruption error against it. */
  referenceModel?: number;
}

/** Problems once each (every shard reports the ones found before work starts), by input, file and text. */
export function canonicalProblems(problems: readonly InputProblem[]): InputProblem[] {
  const unique = new Map(problems.map((p) => [JSON.stringify([p.input, p.file, p.problem, p.action]), p]));
  const order = (a: InputProblem, b: InputProblem) =>
    (a.input ?? -1) - (b.input ?? -1) || a.file.localeCompare(b.file) || a.problem.localeCompare(b.problem);
  return [...unique.values()].sort(order);
}

/** Baselines once each (shards that share an input computed the same one), by model and input. */
export function canonicalBaselines(baselines: readonly InputBaseline[]): InputBaseline[] {
  const unique = new Map(baselines.map((b) => [`${b.model}:${b.input}`, b]));
  return [...unique.values()].sort((a, b) => a.model - b.model || a.input - b.input);
}

/** Every row but an identity one had its own model call (the identity reuses the untransformed input's prediction). */
function modelCallsOf(rows: readonly ResultsRow[]): ModelCalls {
  const predicted = rows.filter((row) => !row.baseline);
  const refinement = predicted.filter((row) => row.refined).length;
  return { sweep: predicted.length - refinement, refinement };
}

export function assembleSeries(
  parts: RunParts,
  context: AssembleContext,
): {
  inputs: ResultsInput[];
  baselines: InputBaseline[];
  problems: InputProblem[];
  series: ResultsSeries[];
  baselineChecks: BaselineCheck[];
  /** Benchmark metrics of the series given as severity levels; undefined when there are none. */
  benchmark?: BenchmarkResults;
} {
  const problems = canonicalProblems(parts.problems);
  const problemOf = new Map(
    problems
      .filter((p) => p.input !== undefined && p.action === 'skipped')
      .map((p) => [p.input!, `${p.file}: ${p.problem}`]),
  );
  const inputs = parts.inputs.map((input) =>
    problemOf.has(input.input) && !input.problem ? { ...input, problem: problemOf.get(input.input)! } : input,
  );
  const baselines = canonicalBaselines(parts.baselines);
  const groupOf = (input: number) => inputs[input]?.group;
  const withRows = parts.series.map((info) => ({ ...info, rows: parts.rowsBySeries.get(info.name) ?? [] }));
  const checkContext = {
    inputs,
    baselines,
    classes: context.classes,
    modelLabels: context.modelLabels,
    series: withRows,
  };
  const failsAtBaseline = (model: number, subjectInputs: readonly number[], className: string) =>
    baselineFailure(checkContext, model, subjectInputs, className)?.dice;
  const summaryContext = {
    classes: context.classes,
    metrics: context.metrics,
    tau: context.tau,
    modelCount: context.modelLabels.length,
    modelLabels: context.modelLabels,
    groupOf,
    failsAtBaseline,
  };
  const series = parts.series.map((info): ResultsSeries => {
    const valueOrder = seriesValueOrder(info.values);
    const rows = [...(parts.rowsBySeries.get(info.name) ?? [])].sort(
      (a, b) => a.model - b.model || a.input - b.input || valueOrder(a.value, b.value),
    );
    return {
      ...info,
      rows,
      modelCalls: modelCallsOf(rows),
      summaries: summarizeSeries(info, rows, baselines, summaryContext),
      aggregates: aggregateSeries(rows, summaryContext, valueOrder),
    };
  });
  const benchmark = benchmarkOf(series, baselines, {
    classes: context.classes,
    metrics: context.metrics,
    modelCount: context.modelLabels.length,
    referenceModel: context.referenceModel,
  });
  return { inputs, baselines, problems, series, baselineChecks: findBaselineChecks(checkContext, series), benchmark };
}
