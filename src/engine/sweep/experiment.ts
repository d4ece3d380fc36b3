/**
 * Experiment files (`*.misas.json`): their types, the JSON schema (generated from the
 * transform registry, so it never disagrees with it), loading, validation and path resolution.
 */
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { MisasInputError } from '../errors';
import { readJsonFile, validateJson } from '../json';
import { METRIC_NAMES, type MetricName } from '../metrics/types';
import { getTransform, resolveOptions, transforms } from '../transforms/registry';
import { expandSweep, type Sweep } from '../transforms/sweep';
import type { TransformOption, TransformOptions } from '../transforms/types';

export const EXPERIMENT_SCHEMA_ID = 'urn:misas:schema:experiment:1';
export const DEFAULT_SEED = 0;
export const DEFAULT_TOLERANCE = 0.9;

export interface ExperimentInput {
  image: string;
  mask?: string;
  /** For volumes with a 2D model: only these slice indices (along the model's slice axis). */
  slices?: number[];
}

export type ExperimentSeries = {
  transform: string;
  name?: string;
  params?: TransformOptions;
} & Sweep;

export interface Experiment {
  $schema?: string;
  name: string;
  description?: string;
  model: string;
  inputs: ExperimentInput[];
  classes?: string[];
  series: ExperimentSeries[];
  metrics?: MetricName[];
  seed?: number;
  tolerance?: number;
  keepPredictions?: boolean;
}

/** A series ready to run: unique name, expanded values, options with defaults. */
export interface ResolvedSeries {
  name: string;
  transform: string;
  options: TransformOptions;
  /** Sweep values as written (resize's input-dependent default is resolved per input later). */
  values: number[];
}

export interface ResolvedExperiment {
  file: string;
  /** Folder that every path must stay inside (the workspace, or the experiment's folder). */
  root: string;
  experiment: Experiment;
  modelPath: string;
  inputs: Array<{ image: string; mask?: string; slices?: number[] }>;
  series: ResolvedSeries[];
  metrics: MetricName[];
  seed: number;
  tolerance: number;
}

function optionSchema(option: TransformOption): object {
  const schema: Record<string, unknown> = { description: option.description, default: option.default };
  schema.type = option.type;
  if (option.enum) schema.enum = [...option.enum];
  if (option.minimum !== undefined) schema.minimum = option.minimum;
  if (option.maximum !== undefined) schema.maximum = option.maximum;
  return schema;
}

const number = { type: 'number' };

let cachedSchema: object | undefined;

/** The experiment JSON schema, derived from the registry (also written to schemas/ at build). */
export function experimentSchema(): object {
  cachedSchema ??= buildExperimentSchema();
  return cachedSchema;
}

/** The schema as written to schemas/experiment.schema.json. */
export function experimentSchemaText(): string {
  return JSON.stringify(experimentSchema(), null, 2) + '\n';
}

function buildExperimentSchema(): object {
  const seriesBase = {
    transform: {
      description: 'The transform to sweep (see `misas transforms`).',
      enum: transforms.map((t) => t.name),
      markdownEnumDescriptions: transforms.map((t) => `${t.title}: ${t.description} Default sweep: ${t.defaultSweepText}.`),
    },
    name: { type: 'string', minLength: 1, description: 'Name of the series in results (default: the transform name, numbered when repeated).' },
    params: { type: 'object', description: "The transform's other arguments; defaults from the registry." },
    values: { type: 'array', items: number, minItems: 1, description: 'Explicit parameter values.' },
    start: { ...number, description: 'First parameter value.' },
    stop: { ...number, description: 'Last parameter value (included when the steps land on it).' },
    step: { ...number, not: { const: 0 }, description: 'Linear step between values.' },
    steps: { type: 'integer', minimum: 1, description: 'Number of values between start and stop.' },
    scale: { enum: ['linear', 'log'], description: 'Spacing of `steps` values: linear or logarithmic.' },
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: EXPERIMENT_SCHEMA_ID,
    title: 'misas experiment',
    description: 'A sensitivity analysis: which model, which images, which transforms to sweep.',
    type: 'object',
    required: ['name', 'model', 'inputs', 'series'],
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      name: { type: 'string', minLength: 1, description: 'Name of the experiment; runs are stored under it.' },
      description: { type: 'string' },
      model: { type: 'string', minLength: 1, description: 'ONNX model, relative to this file.' },
      inputs: {
        type: 'array',
        minItems: 1,
        description: 'Images with optional ground-truth label maps (NIfTI, PNG, DICOM), relative to this file.',
        items: {
          type: 'object',
          required: ['image'],
          additionalProperties: false,
          properties: {
            image: { type: 'string', minLength: 1, description: 'The image.' },
            mask: { type: 'string', minLength: 1, description: 'Its label map; without one, the prediction on the untransformed image is the pseudo-truth.' },
            slices: { type: 'array', items: { type: 'integer', minimum: 0 }, minItems: 1, description: 'For volumes with a 2D model: only these slices.' },
          },
        },
      },
      classes: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'Class names, index = label value (default: from the model card).' },
      series: {
        type: 'array',
        minItems: 1,
        description: 'The parameter sweeps to run.',
        items: {
          type: 'object',
          required: ['transform'],
          additionalProperties: false,
          properties: seriesBase,
          allOf: transforms.map((t) => ({
            if: { properties: { transform: { const: t.name } }, required: ['transform'] },
            then: {
              properties: {
                params: {
                  type: 'object',
                  additionalProperties: false,
                  properties: Object.fromEntries(Object.entries(t.options).map(([key, option]) => [key, optionSchema(option)])),
                },
              },
            },
          })),
        },
      },
      metrics: {
        type: 'array',
        items: { enum: [...METRIC_NAMES] },
        uniqueItems: true,
        minItems: 1,
        default: ['dice'],
        description: 'Metrics per class (default: Dice).',
      },
      seed: { type: 'integer', minimum: 0, default: DEFAULT_SEED, description: 'Seed for random transforms (noise, elastic).' },
      tolerance: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: DEFAULT_TOLERANCE, description: 'τ: a value is tolerated while the metric stays ≥ τ × baseline.' },
      keepPredictions: { type: 'boolean', default: false, description: 'Also write every prediction into the run folder.' },
    },
  };
}

/** Resolves `path` against `base` and refuses results outside `root`. */
export function resolveInside(root: string, base: string, path: string, file: string, jsonPathOfValue: string): string {
  const absolute = resolve(base, path);
  const fromRoot = relative(root, absolute);
  if (fromRoot.startsWith('..') || isAbsolute(fromRoot)) {
    throw new MisasInputError(file, `${jsonPathOfValue}: "${path}" points outside ${root}; paths must stay inside the workspace`);
  }
  return absolute;
}

/** The sweep a series spells out, if any: `values`, or start/stop/step, or start/stop/steps[/scale]. */
function seriesSweep(series: Record<string, unknown>, where: string, file: string): Sweep | undefined {
  const has = (key: string) => series[key] !== undefined;
  const form = has('values') ? 'values' : has('step') ? 'step' : has('steps') ? 'steps' : has('start') || has('stop') ? 'incomplete' : 'none';
  const allowed: Record<string, string[]> = { values: ['values'], step: ['start', 'stop', 'step'], steps: ['start', 'stop', 'steps', 'scale'], none: [], incomplete: [] };
  const sweepKeys = ['values', 'start', 'stop', 'step', 'steps', 'scale'].filter(has);
  const extra = sweepKeys.filter((key) => !allowed[form].includes(key));
  const missing = form === 'step' || form === 'steps' ? ['start', 'stop'].filter((key) => !has(key)) : [];
  if (form === 'incomplete' || extra.length || missing.length) {
    throw new MisasInputError(file, `${where}: give either "values", or "start", "stop" and "step", or "start", "stop" and "steps" (optionally "scale"); found ${sweepKeys.map((k) => `"${k}"`).join(', ')}`);
  }
  if (form === 'values') return { values: series.values as number[] };
  if (form === 'step') return { start: series.start as number, stop: series.stop as number, step: series.step as number };
  if (form === 'steps') return { start: series.start as number, stop: series.stop as number, steps: series.steps as number, scale: (series.scale as 'log' | 'linear' | undefined) ?? 'linear' };
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

/**
 * Validates an experiment object and resolves its paths, sweeps and defaults.
 * `root` bounds every path (default: the experiment's folder).
 */
export function resolveExperiment(data: unknown, file: string, root = dirname(file)): ResolvedExperiment {
  const experiment = validateJson<Experiment>(experimentSchema(), data, file, 'experiment');
  const base = dirname(file);
  const names = nameSeries(experiment.series, file);
  const series = experiment.series.map((s, i): ResolvedSeries => {
    const spec = getTransform(s.transform);
    let options: TransformOptions;
    try {
      options = resolveOptions(spec, s.params);
    } catch (thrown) {
      throw new MisasInputError(file, `$.series[${i}].params: ${(thrown as MisasInputError).problem ?? String(thrown)}`);
    }
    const sweep = seriesSweep(s as unknown as Record<string, unknown>, `$.series[${i}]`, file);
    let values: number[];
    try {
      values = sweep ? expandSweep(sweep) : [];
    } catch (thrown) {
      throw new MisasInputError(file, `$.series[${i}]: ${(thrown as Error).message}`);
    }
    if (spec.parameter.integer && values.some((v) => !Number.isInteger(v))) {
      throw new MisasInputError(file, `$.series[${i}]: ${spec.name} takes whole numbers only`);
    }
    return { name: names[i], transform: s.transform, options, values };
  });
  return {
    file,
    root,
    experiment,
    modelPath: resolveInside(root, base, experiment.model, file, '$.model'),
    inputs: experiment.inputs.map((input, i) => ({
      image: resolveInside(root, base, input.image, file, `$.inputs[${i}].image`),
      ...(input.mask !== undefined ? { mask: resolveInside(root, base, input.mask, file, `$.inputs[${i}].mask`) } : {}),
      ...(input.slices ? { slices: input.slices } : {}),
    })),
    series,
    metrics: experiment.metrics ?? ['dice'],
    seed: experiment.seed ?? DEFAULT_SEED,
    tolerance: experiment.tolerance ?? DEFAULT_TOLERANCE,
  };
}

export async function loadExperiment(file: string, root?: string): Promise<ResolvedExperiment> {
  const absolute = resolve(file);
  return resolveExperiment(await readJsonFile(absolute), absolute, root ? resolve(root) : dirname(absolute));
}
