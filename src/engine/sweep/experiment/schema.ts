/** The experiment JSON schema, generated from the transform registry so that it never disagrees with it. */
import { METRIC_NAMES } from '../../metrics/types';
import { transforms } from '../../transforms/registry';
import type { TransformOption } from '../../transforms/types';
import { DEFAULT_SEED, EXPERIMENT_SCHEMA_ID } from './types';
import { DEFAULT_TOLERANCE } from '../../defaults';

function optionSchema(option: TransformOption): object {
  const schema: Record<string, unknown> = { description: option.description, default: option.default };
  schema.type = option.type;
  if (option.enum) schema.enum = [...option.enum];
  if (option.minimum !== undefined) schema.minimum = option.minimum;
  if (option.maximum !== undefined) schema.maximum = option.maximum;
  return schema;
}

const number = { type: 'number' };
const SLICES_SCHEMA = {
  type: 'array',
  items: { type: 'integer', minimum: 0 },
  minItems: 1,
  description: 'For volumes with a 2D model: only these slices.',
};
const FRAME_SCHEMA = {
  type: 'integer',
  minimum: 0,
  description:
    'For 4D images (time series, multi-frame DICOM): the frame to analyse (0 = the first). Required when the image has more than one frame; a mask with one frame is used for any frame, a 4D mask gives the same frame.',
};
const GROUP_SCHEMA = {
  type: 'string',
  minLength: 1,
  description: 'Group of the input (e.g. scanner or site); groups get their own aggregate.',
};

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
      markdownEnumDescriptions: transforms.map(
        (t) => `${t.title}: ${t.description} Default sweep: ${t.defaultSweepText}.`,
      ),
    },
    name: {
      type: 'string',
      minLength: 1,
      description: 'Name of the series in results (default: the transform name, numbered when repeated).',
    },
    params: { type: 'object', description: "The transform's other arguments; defaults from the registry." },
    values: { type: 'array', items: number, minItems: 1, description: 'Explicit parameter values.' },
    start: { ...number, description: 'First parameter value.' },
    stop: { ...number, description: 'Last parameter value (included when the steps land on it).' },
    step: { ...number, not: { const: 0 }, description: 'Linear step between values.' },
    steps: { type: 'integer', minimum: 1, description: 'Number of values between start and stop.' },
    scale: { enum: ['linear', 'log'], description: 'Spacing of `steps` values: linear or logarithmic.' },
    severities: {
      type: 'array',
      items: { type: 'integer', minimum: 1, maximum: 5 },
      minItems: 1,
      uniqueItems: true,
      description:
        "Instead of a sweep: the transform's severity levels 1…5 to run (docs/TRANSFORMS.md lists each transform's), e.g. [1, 2, 3, 4, 5]; the unchanged input is level 0. Rows carry `severity`, and the run reports ROOD-MRI's Overall and Degradation robustness.",
    },
    refine: {
      type: 'object',
      additionalProperties: false,
      required: ['resolution'],
      properties: {
        resolution: {
          type: 'number',
          exclusiveMinimum: 0,
          description: "Width (in the parameter's unit) to which each breaking point is found.",
        },
      },
      description:
        'Adaptive refinement: after the sweep, bisect between neighbouring values wherever a class crosses the tolerance threshold, until each such bracket is no wider than `resolution`. Refined rows are marked `refined`. Not for whole-number transforms (dihedral).',
    },
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
      model: {
        type: 'string',
        minLength: 1,
        description: 'ONNX model, relative to this file (or `models` for several).',
      },
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
              properties: {
                path: { type: 'string', minLength: 1 },
                name: { type: 'string', minLength: 1, description: 'Name shown in charts and tables.' },
              },
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
                image: {
                  type: 'string',
                  minLength: 1,
                  description:
                    'The image file, or a folder holding one DICOM series (one file per slice), or a glob of one series\' files (e.g. "study/s3/IM*", "study/**/*.dcm"), read as one volume sorted by position.',
                },
                mask: {
                  type: 'string',
                  minLength: 1,
                  description:
                    'Its label map; without one, the prediction on the untransformed image is the pseudo-truth.',
                },
                slices: SLICES_SCHEMA,
                frame: FRAME_SCHEMA,
                group: GROUP_SCHEMA,
              },
            },
          },
          {
            type: 'string',
            minLength: 1,
            description: 'A glob (`*`, `?`, `**`) or a folder of images, without masks.',
          },
          {
            type: 'object',
            required: ['images'],
            additionalProperties: false,
            properties: {
              images: {
                type: 'string',
                minLength: 1,
                description:
                  'A glob or folder of images, e.g. "data/*_img.nii.gz"; each file is one input, except that DICOM files of one series are one input (the series\' volume; files of several series are refused with their list: give each as an entry).',
              },
              masks: {
                type: 'string',
                minLength: 1,
                description:
                  'Where each image\'s mask is: {id} = what the first * matched, {name} = the image name without extension, {dir} = its folder; e.g. "data/{id}_seg.nii.gz".',
              },
              slices: SLICES_SCHEMA,
              frame: FRAME_SCHEMA,
              group: GROUP_SCHEMA,
            },
          },
          {
            type: 'object',
            required: ['manifest'],
            additionalProperties: false,
            properties: {
              manifest: {
                type: 'string',
                minLength: 1,
                description:
                  'A CSV file with a header row and columns image, mask (optional), group (optional); an image may be a DICOM series folder.',
              },
            },
          },
        ],
      },
      missingMasks: {
        enum: ['skip', 'pseudo-truth'],
        default: 'skip',
        description:
          'An input whose mask pattern or manifest names a file that does not exist: skip it (reported), or run it with pseudo-truth.',
      },
      perSlice: {
        type: 'boolean',
        default: false,
        description:
          'Volumes with a 2D model: also compute metrics per slice (results.json rows and per-slice CSV lines).',
      },
      classes: {
        type: 'array',
        items: { type: 'string' },
        minItems: 1,
        description: 'Class names, index = label value (default: from the model card).',
      },
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
                  properties: Object.fromEntries(
                    Object.entries(t.options).map(([key, option]) => [key, optionSchema(option)]),
                  ),
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
        description:
          "Metrics per class (default: Dice). dice, iou, precision, recall: overlap; hd95, assd: surface distances in mm; volume, volume_truth: the class volume of the prediction and the truth in mm³ (mm² for 2D images); dvol: ΔVolume% of the prediction against the truth, dvol_baseline: against the same input's untransformed prediction (null where the reference volume is 0). Tolerance intervals are computed for the overlap and surface metrics only.",
      },
      seed: {
        type: 'integer',
        minimum: 0,
        default: DEFAULT_SEED,
        description: 'Seed for random transforms (noise, elastic).',
      },
      tolerance: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: 1,
        default: DEFAULT_TOLERANCE,
        description: 'τ: a value is tolerated while the metric stays ≥ τ × baseline.',
      },
      referenceModel: {
        type: 'string',
        minLength: 1,
        description:
          "With several models and severity series: the model (its name, or its path as written in `models`) the others' corruption error CE and relative CE are normalised to (ImageNet-C's mCE, with E = 1 − Dice).",
      },
      keepPredictions: {
        type: 'boolean',
        default: false,
        description: 'Also write every prediction into the run folder.',
      },
    },
  };
}
