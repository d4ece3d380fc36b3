/**
 * Loading experiment files (`*.misas.json`): validation against the schema (schema.ts) and the
 * checks it cannot express, path resolution, input expansion; the types are in types.ts.
 */
import { basename, dirname, resolve } from 'node:path';
import { MisasInputError } from '../../errors';
import { expandInputs } from '../../dataset';
import { readJsonFile, validateJson } from '../../json';
import { resolveInside } from '../../paths';
import { parameterRangeProblem } from '../../transforms/range';
import { getTransform, resolveOptions } from '../../transforms/registry';
import { expandSweep, sweepLength, type Sweep } from '../../transforms/sweep';
import { checkSeriesLength, withDefaults, type RunLimits } from '../../limits';
import type { TransformOptions } from '../../transforms/types';
import { experimentSchema } from './schema';
import {
  DEFAULT_SEED,
  type Experiment,
  type ExperimentModel,
  type ExperimentSeries,
  type ResolvedExperiment,
  type ResolvedModel,
  type ResolvedSeries,
} from './types';
import { DEFAULT_TOLERANCE } from '../../defaults';

/** The sweep a series spells out, if any: `values`, or start/stop/step, or start/stop/steps[/scale]. */
function seriesSweep(series: Record<string, unknown>, where: string, file: string): Sweep | undefined {
  const has = (key: string) => series[key] !== undefined;
  const form = has('values')
    ? 'values'
    : has('step')
      ? 'step'
      : has('steps')
        ? 'steps'
        : has('start') || has('stop')
          ? 'incomplete'
          : 'none';
  const allowed: Record<string, string[]> = {
    values: ['values'],
    step: ['start', 'stop', 'step'],
    steps: ['start', 'stop', 'steps', 'scale'],
    none: [],
    incomplete: [],
  };
  const sweepKeys = ['values', 'start', 'stop', 'step', 'steps', 'scale'].filter(has);
  const extra = sweepKeys.filter((key) => !allowed[form].includes(key));
  const missing = form === 'step' || form === 'steps' ? ['start', 'stop'].filter((key) => !has(key)) : [];
  if (form === 'incomplete' || extra.length || missing.length) {
    throw new MisasInputError(
      file,
      `${where}: give either "values", or "start", "stop" and "step", or "start", "stop" and "steps" (optionally "scale"); found ${sweepKeys.map((k) => `"${k}"`).join(', ')}`,
    );
  }
  if (form === 'values') return { values: series.values as number[] };
  if (form === 'step')
    return { start: series.start as number, stop: series.stop as number, step: series.step as number };
  if (form === 'steps')
    return {
      start: series.start as number,
      stop: series.stop as number,
      steps: series.steps as number,
      scale: (series.scale as 'log' | 'linear' | undefined) ?? 'linear',
    };
  return undefined;
}

/** Unique series names: explicit ones as given, otherwise the transform name (numbered when repeated). */
function nameSeries(series: ExperimentSeries[], file: string): string[] {
  const counts = new Map<string, number>();
  for (const s of series) counts.set(s.name ?? s.transform, (counts.get(s.name ?? s.transform) ?? 0) + 1);
  const seen = new Map<string, number>();
  return series.map((s, i) => {
    const base = s.name ?? s.transform;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    if (s.name !== undefined && n > 1) {
      throw new MisasInputError(file, `$.series[${i}].name: "${base}" is used by more than one series`);
    }
    return counts.get(base) === 1 || s.name !== undefined ? base : `${base}-${n}`;
  });
}

/** One of `model` and `models`, said plainly (the schema's oneOf would report it cryptically). */
function checkModelKeys(data: unknown, file: string): void {
  if (typeof data !== 'object' || data === null) return;
  const has = (key: string) => (data as Record<string, unknown>)[key] !== undefined;
  if (has('model') && has('models'))
    throw new MisasInputError(file, 'invalid experiment: give either "model" or "models", not both');
  if (!has('model') && !has('models'))
    throw new MisasInputError(
      file,
      'invalid experiment: $: missing required property "model" (or "models" to compare several)',
    );
}

/** The experiment's models (`model` or `models`), with unique display labels. */
function resolveModels(experiment: Experiment, root: string, base: string, file: string): ResolvedModel[] {
  const listed: ExperimentModel[] = experiment.models ?? [experiment.model!];
  const where = (i: number) => (experiment.models ? `$.models[${i}]` : '$.model');
  const models = listed.map((entry, i) => {
    const path = typeof entry === 'string' ? entry : entry.path;
    return {
      path: resolveInside(root, base, path, file, where(i)),
      label: typeof entry === 'string' ? basename(path) : (entry.name ?? basename(path)),
    };
  });
  const seen = new Map<string, number>();
  for (const [i, model] of models.entries()) {
    const count = seen.get(model.label) ?? 0;
    seen.set(model.label, count + 1);
    if (count > 0) {
      if (typeof listed[i] !== 'string' && (listed[i] as { name?: string }).name)
        throw new MisasInputError(file, `${where(i)}.name: "${model.label}" names more than one model`);
      model.label = `${model.label} (${count + 1})`;
    }
  }
  return models;
}

/**
 * Validates an experiment object and resolves its paths, sweeps and defaults.
 * `root` bounds every path (default: the experiment's folder).
 */
export function resolveExperiment(
  data: unknown,
  file: string,
  root = dirname(file),
  limits?: Partial<RunLimits>,
): ResolvedExperiment {
  checkModelKeys(data, file);
  const bounds = withDefaults(limits);
  const experiment = validateJson<Experiment>(experimentSchema(), data, file, 'experiment');
  const base = dirname(file);
  const names = nameSeries(experiment.series, file);
  const series = experiment.series.map((s, i): ResolvedSeries => {
    const spec = getTransform(s.transform);
    let options: TransformOptions;
    try {
      options = resolveOptions(spec, s.params);
    } catch (thrown) {
      throw new MisasInputError(
        file,
        `$.series[${i}].params: ${(thrown as MisasInputError).problem ?? String(thrown)}`,
      );
    }
    if (s.severities)
      checkSeverityKeys(s as unknown as Record<string, unknown>, `series ${i + 1} (${names[i]}, $.series[${i}])`, file);
    const sweep = seriesSweep(s as unknown as Record<string, unknown>, `$.series[${i}]`, file);
    if (sweep) checkSeriesLength(sweepLength(sweep), bounds, file, `$.series[${i}]`);
    let values: number[];
    try {
      values = sweep ? expandSweep(sweep) : [];
    } catch (thrown) {
      throw new MisasInputError(file, `$.series[${i}]: ${(thrown as Error).message}`);
    }
    if (spec.parameter.integer && values.some((v) => !Number.isInteger(v))) {
      throw new MisasInputError(file, `$.series[${i}]: ${spec.name} takes whole numbers only`);
    }
    for (const value of values) {
      const problem = parameterRangeProblem(spec, value);
      if (problem)
        throw new MisasInputError(
          file,
          `series ${i + 1} (${names[i]}, $.series[${i}]): ${problem} (${spec.parameter.name}${spec.parameter.unit ? ` in ${spec.parameter.unit}` : ''})`,
        );
    }
    if (s.refine && spec.parameter.integer) {
      throw new MisasInputError(
        file,
        `series ${i + 1} (${names[i]}, $.series[${i}].refine): ${spec.name} takes whole numbers only, so there is nothing between its values to refine; remove "refine" or sweep every value`,
      );
    }
    return {
      name: names[i],
      transform: s.transform,
      options,
      values,
      ...(s.refine ? { refine: s.refine } : {}),
      ...(s.severities ? { severities: [...s.severities].sort((a, b) => a - b) } : {}),
    };
  });
  const { inputs, problems } = expandInputs(experiment.inputs, {
    file,
    base,
    root,
    missingMasks: experiment.missingMasks ?? 'skip',
  });
  const models = resolveModels(experiment, root, base, file);
  return {
    file,
    root,
    experiment,
    models,
    inputs,
    problems,
    series,
    metrics: experiment.metrics ?? ['dice'],
    seed: experiment.seed ?? DEFAULT_SEED,
    tolerance: experiment.tolerance ?? DEFAULT_TOLERANCE,
    ...(experiment.referenceModel !== undefined
      ? { referenceModel: referenceModelIndex(experiment, models, file) }
      : {}),
  };
}

/** Severity levels replace the sweep, and refinement has nothing between levels to bisect. */
function checkSeverityKeys(series: Record<string, unknown>, where: string, file: string): void {
  const clashing = ['values', 'start', 'stop', 'step', 'steps', 'scale', 'refine'].filter(
    (key) => series[key] !== undefined,
  );
  if (clashing.length) {
    throw new MisasInputError(
      file,
      `${where}: "severities" replaces the sweep; remove ${clashing.map((key) => `"${key}"`).join(', ')} (or drop "severities" to sweep values)`,
    );
  }
}

/** The index of `referenceModel`: a model's name (its label) or its path as written in `models`. */
function referenceModelIndex(experiment: Experiment, models: readonly ResolvedModel[], file: string): number {
  const wanted = experiment.referenceModel!;
  const listed: ExperimentModel[] = experiment.models ?? [experiment.model!];
  const index = models.findIndex(
    (model, i) => model.label === wanted || (typeof listed[i] === 'string' ? listed[i] : listed[i].path) === wanted,
  );
  if (index < 0) {
    throw new MisasInputError(
      file,
      `$.referenceModel: "${wanted}" is none of the experiment's models; they are: ${models.map((m) => `"${m.label}"`).join(', ')}`,
    );
  }
  if (models.length < 2) {
    throw new MisasInputError(
      file,
      `$.referenceModel: a reference for the corruption error needs at least two models to compare; this experiment has one (give "models")`,
    );
  }
  return index;
}

export async function loadExperiment(
  file: string,
  root?: string,
  limits?: Partial<RunLimits>,
): Promise<ResolvedExperiment> {
  const absolute = resolve(file);
  return resolveExperiment(await readJsonFile(absolute), absolute, root ? resolve(root) : dirname(absolute), limits);
}
