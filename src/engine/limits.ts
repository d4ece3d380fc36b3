/**
 * How much work one run may ask for. A typo such as `"steps": 1e9` would otherwise exhaust
 * memory (Node dies with "heap out of memory") or run for days and write a results.json too
 * large to open. Both limits are checked when the experiment is loaded, before any work, and can
 * be raised: CLI `--max-values` / `--max-steps`, VS Code settings `misas.maxValuesPerSeries` /
 * `misas.maxTotalSteps`.
 */
import { DEFAULT_LIMITS, type RunLimits } from './defaults';
import { MisasInputError } from './errors';
import { refinementStepEstimate } from './sweep/analysis/refine';
import type { ResolvedExperiment, ResolvedSeries } from './sweep/experiment/types';
import { defaultSweepFor, getTransform } from './transforms/registry';
import { expandSweep, sweepLength } from './transforms/sweep';

/** Input-dependent default sweeps are counted for an input of this size (their counts barely depend on it). */
const TYPICAL_DIMS = [256, 256];

// The defaults live with the engine's other defaults, which the extension reads without the registry.
export { DEFAULT_LIMITS, type RunLimits };

export function withDefaults(limits: Partial<RunLimits> | undefined): RunLimits {
  return { ...DEFAULT_LIMITS, ...Object.fromEntries(Object.entries(limits ?? {}).filter(([, v]) => v !== undefined)) };
}

/** Refuses a series of more than `maxValuesPerSeries` values; `count` is computed before the values are made. */
export function checkSeriesLength(count: number, limits: RunLimits, file: string, where: string): void {
  if (count > limits.maxValuesPerSeries) {
    throw new MisasInputError(
      file,
      `${where}: the sweep has ${formatCount(count)} values, more than the limit of ${formatCount(limits.maxValuesPerSeries)} per series (raise it with --max-values N, or the setting misas.maxValuesPerSeries)`,
    );
  }
}

/** A series' steps per input and model: its values, plus an estimate of its refinement (refinementStepEstimate). */
function stepsOfSeries(series: ResolvedSeries): number {
  if (series.severities) return series.severities.length + 1;
  const sweep = series.values.length
    ? undefined
    : defaultSweepFor(getTransform(series.transform), TYPICAL_DIMS, series.options);
  if (!series.refine) return sweep ? sweepLength(sweep) : series.values.length;
  const values = sweep ? expandSweep(sweep) : series.values;
  return values.length + refinementStepEstimate(values, series.refine.resolution);
}

/**
 * Refuses a run (or one shard of it) of more than `maxTotalSteps` steps. Series without values
 * count the transform's default sweep; refined series add an estimate of their refinement steps.
 */
export function checkWorkSize(
  experiment: ResolvedExperiment,
  modelCount: number,
  options: { seriesFilter?: readonly string[]; shardCount?: number; limits?: Partial<RunLimits> } = {},
): void {
  const limits = withDefaults(options.limits);
  const filter = options.seriesFilter;
  const series = filter?.length ? experiment.series.filter((s) => filter.includes(s.name)) : experiment.series;
  const values = series.reduce((sum, s) => sum + stepsOfSeries(s), 0);
  const whole = values * experiment.inputs.length * modelCount;
  const steps = Math.ceil(whole / (options.shardCount ?? 1));
  if (steps > limits.maxTotalSteps) {
    throw new MisasInputError(
      experiment.file,
      `${options.shardCount && options.shardCount > 1 ? `each of the ${options.shardCount} shards of the run` : 'the run'} would take ${formatCount(steps)} model steps (${formatCount(values)} values × ${experiment.inputs.length} input${experiment.inputs.length === 1 ? '' : 's'} × ${modelCount} model${modelCount === 1 ? '' : 's'}), more than the limit of ${formatCount(limits.maxTotalSteps)} (raise it with --max-steps N, or the setting misas.maxTotalSteps; or run it in shards with --shard I/N)`,
    );
  }
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
