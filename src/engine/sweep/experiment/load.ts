/**
 * Experiment files (`*.misas.json`): their types, the JSON schema (generated from the
 * transform registry, so it never disagrees with it), loading, validation and path resolution.
 */
import { basename, dirname, resolve } from 'node:path';
import { MisasInputError } from '../../errors';
import { expandInputs } from '../../dataset';
import type { InputProblem, ResolvedInput } from '../../dataset/types';
import { readJsonFile, validateJson } from '../../json';
import { resolveInside } from '../../paths';
import { METRIC_NAMES, type MetricName } from '../../metrics/types';
import { parameterRangeProblem } from '../../transforms/range';
import { getTransform, resolveOptions, transforms } from '../../transforms/registry';
import { expandSweep, sweepLength, type Sweep } from '../../transforms/sweep';
import { checkSeriesLength, withDefaults, type RunLimits } from '../../limits';
import type { TransformOption, TransformOptions } from '../../transforms/types';

export const EXPERIMENT_SCHEMA_ID = 'urn:misas:schema:experiment:1';
export const DEFAULT_SEED = 0;
export const DEFAULT_TOLERANCE = 0.9;

export interface ExperimentInput {
  image: string;
  mask?: string;
  /** For volumes with a 2D model: only these slice indices (along the model's slice axis). */
  slices?: number[];
  frame?: number;
  group?: string;
}

/** A dataset: every image a glob or folder matches, masks found by a pairing pattern. */
export interface ExperimentDataset {
  images: string;
  masks?: string;
  slices?: number[];
  frame?: number;
  group?: string;
}

export interface ExperimentManifest {
  manifest: string;
}

export type ExperimentInputs = ExperimentInput[] | string | ExperimentDataset | ExperimentManifest;

export type ExperimentModel = string | { path: string; name?: string };

export type ExperimentSeries = {
  transform: string;
  name?: string;
  params?: TransformOptions;
} & Sweep;

export interface Experiment {
  $schema?: string;
  name: string;
  description?: string;
  model?: string;
  models?: ExperimentModel[];
  inputs: ExperimentInputs;
  missingMasks?: 'skip' | 'pseudo-truth';
  perSlice?: boolean;
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
  /** At least one; rows refer to a model by its index here. */
  models: ResolvedModel[];
  inputs: ResolvedInput[];
  /** Inputs the dataset expansion skipped or will run with pseudo-truth (e.g. a missing mask). */
  problems: InputProblem[];
  series: ResolvedSeries[];
  metrics: MetricName[];
  seed: number;
  tolerance: number;
}

export interface ResolvedModel {
  path: string;
  /** Display name: the experiment's name for it, else the file name (made unique). */
  label: string;
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
const SLICES_SCHEMA = { type: 'array', items: { type: 'integer', minimum: 0 }, minItems: 1, description: 'For volumes with a 2D model: only these slices.' };
const FRAME_SCHEMA = { type: 'integer', minimum: 0, description: 'For 4D images (time series, multi-frame DICOM): the frame to analyse (0 = the first). Required when the image has more than one frame; a mask with one frame is used for any frame, a 4D mask gives the same frame.' };
const GROUP_SCHEMA = { type: 'string', minLength: 1, description: 'Group of the input (e.g. scanner or site); groups get their own aggregate.' };

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
    required: ['name', 'inputs', 'series'],
    oneOf: [{ required: ['model'] }, { required: ['models'] }],
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      name: { type: 'string', minLength: 1, description: 'Name of the experiment; runs are stored under it.' },
      description: { type: 'string' },
      model: { type: 'string', minLength: 1, description: 'ONNX model, relative to this file (or `models` for several).' },
      models: {
        type: 'array',
        minItems: 1,
        description: 'Several ONNX models to compare: every series runs on each (instead of `model`).',
        items: {
          anyOf: [
            { type: 'string', minLength: 1 },
            {
              type: 'object',
              required: ['path'],
              additionalProperties: false,
              properties: { path: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1, description: 'Name shown in charts and tables.' } },
            },
          ],
        },
      },
      inputs: {
        description:
          'The images: a list of image/mask entries; a glob or folder of images; a dataset {images, masks} with a pairing pattern ({id}, {name}, {dir}); or a CSV manifest {manifest} with image,mask,group columns. Paths are relative to this file.',
        anyOf: [
          {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['image'],
              additionalProperties: false,
              properties: {
                image: { type: 'string', minLength: 1, description: 'The image.' },
                mask: { type: 'string', minLength: 1, description: 'Its label map; without one, the prediction on the untransformed image is the pseudo-truth.' },
                slices: SLICES_SCHEMA,
                frame: FRAME_SCHEMA,
                group: GROUP_SCHEMA,
              },
            },
          },
          { type: 'string', minLength: 1, description: 'A glob (`*`, `?`, `**`) or a folder of images, without masks.' },
          {
            type: 'object',
            required: ['images'],
            additionalProperties: false,
            properties: {
              images: { type: 'string', minLength: 1, description: 'A glob or folder of images, e.g. "data/*_img.nii.gz".' },
              masks: { type: 'string', minLength: 1, description: 'Where each image\'s mask is: {id} = what the first * matched, {name} = the image name without extension, {dir} = its folder; e.g. "data/{id}_seg.nii.gz".' },
              slices: SLICES_SCHEMA,
              frame: FRAME_SCHEMA,
              group: GROUP_SCHEMA,
            },
          },
          {
            type: 'object',
            required: ['manifest'],
            additionalProperties: false,
            properties: { manifest: { type: 'string', minLength: 1, description: 'A CSV file with a header row and columns image, mask (optional), group (optional).' } },
          },
        ],
      },
      missingMasks: {
        enum: ['skip', 'pseudo-truth'],
        default: 'skip',
        description: 'An input whose mask pattern or manifest names a file that does not exist: skip it (reported), or run it with pseudo-truth.',
      },
      perSlice: { type: 'boolean', default: false, description: 'Volumes with a 2D model: also compute metrics per slice (results.json rows and per-slice CSV lines).' },
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

/** One of `model` and `models`, said plainly (the schema's oneOf would report it cryptically). */
function checkModelKeys(data: unknown, file: string): void {
  if (typeof data !== 'object' || data === null) return;
  const has = (key: string) => (data as Record<string, unknown>)[key] !== undefined;
  if (has('model') && has('models')) throw new MisasInputError(file, 'invalid experiment: give either "model" or "models", not both');
  if (!has('model') && !has('models')) throw new MisasInputError(file, 'invalid experiment: $: missing required property "model" (or "models" to compare several)');
}

/** The experiment's models (`model` or `models`), with unique display labels. */
function resolveModels(experiment: Experiment, root: string, base: string, file: string): ResolvedModel[] {
  const listed: ExperimentModel[] = experiment.models ?? [experiment.model!];
  const where = (i: number) => (experiment.models ? `$.models[${i}]` : '$.model');
  const models = listed.map((entry, i) => {
    const path = typeof entry === 'string' ? entry : entry.path;
    return { path: resolveInside(root, base, path, file, where(i)), label: typeof entry === 'string' ? basename(path) : (entry.name ?? basename(path)) };
  });
  const seen = new Map<string, number>();
  for (const [i, model] of models.entries()) {
    const count = seen.get(model.label) ?? 0;
    seen.set(model.label, count + 1);
    if (count > 0) {
      if (typeof listed[i] !== 'string' && (listed[i] as { name?: string }).name) throw new MisasInputError(file, `${where(i)}.name: "${model.label}" names more than one model`);
      model.label = `${model.label} (${count + 1})`;
    }
  }
  return models;
}

/**
 * Validates an experiment object and resolves its paths, sweeps and defaults.
 * `root` bounds every path (default: the experiment's folder).
 */
export function resolveExperiment(data: unknown, file: string, root = dirname(file), limits?: Partial<RunLimits>): ResolvedExperiment {
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
      throw new MisasInputError(file, `$.series[${i}].params: ${(thrown as MisasInputError).problem ?? String(thrown)}`);
    }
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
      if (problem) throw new MisasInputError(file, `series ${i + 1} (${names[i]}, $.series[${i}]): ${problem} (${spec.parameter.name}${spec.parameter.unit ? ` in ${spec.parameter.unit}` : ''})`);
    }
    return { name: names[i], transform: s.transform, options, values };
  });
  const { inputs, problems } = expandInputs(experiment.inputs, { file, base, root, missingMasks: experiment.missingMasks ?? 'skip' });
  return {
    file,
    root,
    experiment,
    models: resolveModels(experiment, root, base, file),
    inputs,
    problems,
    series,
    metrics: experiment.metrics ?? ['dice'],
    seed: experiment.seed ?? DEFAULT_SEED,
    tolerance: experiment.tolerance ?? DEFAULT_TOLERANCE,
  };
}

export async function loadExperiment(file: string, root?: string, limits?: Partial<RunLimits>): Promise<ResolvedExperiment> {
  const absolute = resolve(file);
  return resolveExperiment(await readJsonFile(absolute), absolute, root ? resolve(root) : dirname(absolute), limits);
}
