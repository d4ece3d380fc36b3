/**
 * A MONAI bundle around the model: `<bundle>/configs/metadata.json` when the model sits in
 * `<bundle>/models/` (the bundle layout) or in the bundle folder itself. Its
 * `network_data_format` (MONAI's bundle metadata schema) describes the network's tensors:
 * inputs.image {num_channels, spatial_shape, dtype, value_range, is_patch_data, channel_def} and
 * outputs.pred {num_channels, channel_def: label value → class name}. What can be checked
 * against the ONNX shapes is; a file that cannot be read or does not fit is a warning naming
 * it, never a failed load (the card can still say it right).
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ModelCardFile } from './cardTypes';
import { parseClassNames } from './classNames';
import type { TensorDescription } from './inspect';
import type { Orientation } from './orientation';
import { fileExists } from '../io/files';

/** What a bundle's metadata.json said, already read (inspection keeps it next to the metadata_props). */
export interface MonaiBundle {
  /** The metadata.json that was read. */
  file: string;
  /** Its network_data_format, or undefined when the file could not be used (see warnings). */
  format?: Record<string, unknown>;
  warnings: string[];
}

/** What the bundle adds to the card, and what it suggests but does not state. */
export interface BundleCard {
  card: ModelCardFile;
  /** MONAI loads images with LoadImage (nibabel axis order, channel-first), so that orientation is the likelier one. */
  orientationHint?: { value: Orientation; reason: string };
  warnings: string[];
}

/** The bundle's metadata.json for a model file, if there is one. */
export async function findBundleMetadata(modelPath: string): Promise<string | undefined> {
  const folder = dirname(modelPath);
  const candidates = basename(folder) === 'models' ? [join(folder, '..', 'configs', 'metadata.json')] : [];
  candidates.push(join(folder, 'configs', 'metadata.json'));
  for (const file of candidates) if (await fileExists(file)) return file;
  return undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

/** Reads the bundle around a model; never throws. */
export async function readMonaiBundle(modelPath: string): Promise<MonaiBundle | undefined> {
  const file = await findBundleMetadata(modelPath);
  if (file === undefined) return undefined;
  const bad = (problem: string): MonaiBundle => ({
    file,
    warnings: [`${file}: MONAI bundle metadata ${problem}; ignored.`],
  });
  let parsed: unknown;
  try {
    const text = await readFile(file, 'utf8');
    parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (thrown) {
    return bad(`cannot be read (${(thrown as Error).message})`);
  }
  if (!isObject(parsed) || !isObject(parsed.network_data_format)) return bad('has no network_data_format object');
  return { file, format: parsed.network_data_format, warnings: [] };
}

/**
 * MONAI's spatial_shape per tensor axis after the channel: a number, or "k*n" (any multiple of k).
 * Returns the fixed sizes, or the multiple, or undefined when it cannot be read.
 */
function readSpatialShape(shape: unknown): { size: number[] } | { multiple: number } | undefined {
  if (!Array.isArray(shape) || shape.length === 0) return undefined;
  const sizes = shape.map((d) =>
    typeof d === 'number' ? d : typeof d === 'string' && /^\s*\d+\s*$/.test(d) ? Number(d) : NaN,
  );
  if (sizes.every((d) => Number.isInteger(d) && d > 0)) return { size: sizes };
  const multiples = shape.map((d) => (typeof d === 'string' ? /^\s*(\d+)\s*\*\s*n\s*$/.exec(d)?.[1] : undefined));
  if (multiples.every((m) => m !== undefined) && new Set(multiples).size === 1)
    return { multiple: Number(multiples[0]) };
  return undefined;
}

/**
 * The card fields a bundle states, each checked against the model's (channel-first) tensors:
 * channels and layout from inputs.image.num_channels, geometry from spatial_shape and
 * is_patch_data, classes from outputs.pred.channel_def.
 */
export function bundleCard(
  bundle: MonaiBundle,
  input: TensorDescription,
  output: TensorDescription | undefined,
): BundleCard {
  const warnings = [...bundle.warnings];
  const card: ModelCardFile = {};
  const format = bundle.format;
  if (!format) return { card, warnings };
  const ignored = (what: string, problem: string) =>
    warnings.push(`${bundle.file}: MONAI bundle metadata ${what} ${problem}; ignored.`);
  const spatialDims = input.shape.length === 5 ? 3 : 2;
  const inputShape = `[${input.shape.map((d, i) => d ?? input.dimNames[i] ?? '?').join(', ')}]`;
  const image = isObject(format.inputs) ? format.inputs.image : undefined;
  if (isObject(image)) {
    const channels = image.num_channels;
    if (channels !== undefined) {
      if (channels !== 1 && channels !== 3)
        ignored('inputs.image.num_channels', `is ${JSON.stringify(channels)}; misas feeds 1 or 3 channels`);
      else if (input.shape[1] !== null && input.shape[1] !== channels)
        ignored(
          'inputs.image.num_channels',
          `is ${channels}, but the model's input ${inputShape} has ${input.shape[1]} on its channel axis`,
        );
      else {
        card.channels = channels;
        // MONAI networks are channel-first.
        card.layout = spatialDims === 3 ? 'NCDHW' : 'NCHW';
      }
    }
    const shape = image.spatial_shape === undefined ? undefined : readSpatialShape(image.spatial_shape);
    const modelSpatial = input.shape.slice(2);
    if (image.spatial_shape !== undefined && shape === undefined)
      ignored(
        'inputs.image.spatial_shape',
        `${JSON.stringify(image.spatial_shape)} is not a list of sizes or "k*n" multiples`,
      );
    else if (shape && 'size' in shape) {
      if (shape.size.length !== spatialDims)
        ignored('inputs.image.spatial_shape', `has ${shape.size.length} axes, but the model is ${spatialDims}D`);
      else if (modelSpatial.some((d, i) => d !== null && d !== shape.size[i]))
        ignored(
          'inputs.image.spatial_shape',
          `[${shape.size.join(', ')}] differs from the model's input ${inputShape}`,
        );
      else {
        // The card's size is [W, H(, D)]: the tensor's spatial axes, last first.
        const size = [...shape.size].reverse();
        card.geometry = image.is_patch_data === true ? { policy: 'sliding-window', size } : { policy: 'resize', size };
      }
    } else if (shape && 'multiple' in shape && modelSpatial.every((d) => d === null)) {
      card.geometry = { policy: 'pad-to-multiple', multiple: shape.multiple };
    }
  }
  const outputs = isObject(format.outputs) ? format.outputs : undefined;
  const pred =
    outputs &&
    (isObject(outputs.pred) ? outputs.pred : Object.keys(outputs).length === 1 ? Object.values(outputs)[0] : undefined);
  if (isObject(pred) && pred.channel_def !== undefined) {
    const parsed = parseClassNames(pred.channel_def);
    const outputChannels = output && output.shape.length === input.shape.length ? output.shape[1] : null;
    if ('problem' in parsed) ignored('outputs.pred.channel_def', parsed.problem);
    else if (typeof pred.num_channels === 'number' && pred.num_channels !== parsed.names.length)
      ignored(
        'outputs.pred.channel_def',
        `names ${parsed.names.length} classes but num_channels is ${pred.num_channels}`,
      );
    else if (outputChannels !== null && outputChannels !== parsed.names.length && outputChannels !== 1)
      ignored(
        'outputs.pred.channel_def',
        `names ${parsed.names.length} classes, but the model's output "${output!.name}" has ${outputChannels} channels`,
      );
    else card.classes = parsed.names;
  }
  const orientationHint: BundleCard['orientationHint'] =
    spatialDims === 3
      ? {
          value: 'reversed-axes',
          reason:
            'a MONAI bundle: MONAI loads volumes with LoadImage in nibabel axis order (tensor D, H, W = x, y, z), so reversed-axes is assumed',
        }
      : {
          value: 'transposed',
          reason:
            'a MONAI bundle: MONAI loads images with LoadImage in nibabel axis order (rows = x, columns = y), so transposed is assumed',
        };
  return { card, orientationHint, warnings };
}
