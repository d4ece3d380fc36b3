/**
 * The two places a card can be written: the sidecar `<model>.onnx.misas.json` and the model's
 * own metadata_props (`misas.card` / `misas.<property>`). Both are validated against
 * schemas/model-card.schema.json.
 */
import { access } from 'node:fs/promises';
import cardSchema from '../../../schemas/model-card.schema.json';
import { readJsonFile, validateJson } from '../json';
import type { ModelCardFile } from './cardTypes';
import { namesFromIndexMap, parseClassNames } from './classNames';

export { cardSchema };

const METADATA_PREFIX = 'misas.';

/** "0.5", "1/255" → number; anything else → NaN. */
function parseNumber(text: string): number {
  const fraction = /^\s*([-+0-9.eE]+)\s*\/\s*([-+0-9.eE]+)\s*$/.exec(text);
  return fraction ? Number(fraction[1]) / Number(fraction[2]) : text.trim() === '' ? NaN : Number(text);
}

/** "128x96" or "128x96x40" → [128, 96] / [128, 96, 40] (width × height × depth). */
function parseSize(text: string): number[] {
  return text.split('x').map(parseNumber);
}

/**
 * What a plain (non-JSON) string means for each card property in metadata_props:
 * `kind[:a[:b]]` for normalization, `policy[:size | :multiple][:linear]` for geometry,
 * the kind for output, comma-separated names for classes.
 */
const STRING_SHORTHANDS: Record<string, (text: string) => unknown> = {
  normalization: (text) => {
    const [kind, a, b] = text.split(':').map((part) => part.trim());
    if (kind === 'scale' && a !== undefined) return { kind, factor: parseNumber(a) };
    if (kind === 'percentile' && b !== undefined) return { kind, lo: parseNumber(a), hi: parseNumber(b) };
    if (kind === 'fixed' && b !== undefined) return { kind, mean: parseNumber(a), std: parseNumber(b) };
    return { kind: text.trim() };
  },
  geometry: (text) => {
    // "linear" names the only interpolation misas uses; it is accepted and dropped.
    const [policy, argument] = text
      .split(':')
      .map((part) => part.trim())
      .filter((part) => part !== 'linear');
    if (argument === undefined) return { policy };
    return policy === 'pad-to-multiple'
      ? { policy, multiple: parseNumber(argument) }
      : { policy, size: parseSize(argument) };
  },
  output: (text) => ({ kind: text.trim() }),
  classes: (text) => text.split(',').map((name) => name.trim()),
  orientation: (text) => text.trim(),
  spatialDims: parseNumber,
  channels: parseNumber,
  sliceAxis: parseNumber,
};

/** Card property names as written in metadata: camelCase or snake_case (slice_axis). */
const CARD_PROPERTIES = [
  'description',
  'spatialDims',
  'layout',
  'channels',
  'channelMode',
  'geometry',
  'normalization',
  'output',
  'classes',
  'sliceAxis',
  'orientation',
];
function cardProperty(name: string): string | undefined {
  const camel = name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
  return CARD_PROPERTIES.includes(camel) ? camel : undefined;
}

export function sidecarPath(modelPath: string): string {
  return `${modelPath}.misas.json`;
}

export function validateCardFile(data: unknown, file: string, what = 'model card'): ModelCardFile {
  return validateJson<ModelCardFile>(cardSchema, data, file, what);
}

/** The sidecar card of a model, or undefined when there is none. */
export async function readSidecar(modelPath: string): Promise<ModelCardFile | undefined> {
  const file = sidecarPath(modelPath);
  try {
    await access(file);
  } catch {
    return undefined;
  }
  return validateCardFile(await readJsonFile(file), file);
}

function parseMetadataValue(property: string, text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  // A string, bare or JSON-quoted, gets the shorthand meaning of its property.
  if (typeof value === 'string' && STRING_SHORTHANDS[property]) return STRING_SHORTHANDS[property](value);
  // Class names may also be an index map {"0": "background", …}.
  if (property === 'classes' && value && typeof value === 'object' && !Array.isArray(value)) {
    const parsed = namesFromIndexMap(value as Record<string, unknown>);
    return 'names' in parsed ? parsed.names : value;
  }
  return value;
}

/**
 * Keys other tools write class names under, without the misas. prefix, in order of preference
 * (misas.classes wins over them).
 */
const PLAIN_CLASS_KEYS = ['classes', 'labels'];

export interface MetadataCard {
  card: ModelCardFile;
  /** Entries that were ignored because their value is not valid for the card. */
  warnings: string[];
}

/**
 * The card the model's metadata_props describe: misas.* keys, and class names under the keys
 * other tools use ("classes", "labels"). Metadata is baked into a model that users
 * cannot easily edit, so an invalid entry is ignored with a warning (the sidecar can then
 * say it right) instead of making the model unusable; misas.* keys that are not card
 * properties (misas.training, …) are left alone for humans.
 */
export function metadataCard(metadata: Record<string, string>, modelPath: string): MetadataCard {
  const entries: [key: string, property: string, value: unknown][] = [];
  const warnings: string[] = [];
  const wholeKey = `${METADATA_PREFIX}card`;
  if (metadata[wholeKey] !== undefined) {
    const whole = parseMetadataValue('card', metadata[wholeKey]);
    if (whole && typeof whole === 'object' && !Array.isArray(whole)) {
      for (const [name, value] of Object.entries(whole)) entries.push([wholeKey, name, value]);
    } else {
      warnings.push(`${modelPath}: metadata_props "${wholeKey}" is not a JSON object; ignored.`);
    }
  }
  for (const [key, text] of Object.entries(metadata)) {
    if (!key.startsWith(METADATA_PREFIX) || key === wholeKey) continue;
    const property = cardProperty(key.slice(METADATA_PREFIX.length));
    if (property) entries.push([key, property, parseMetadataValue(property, text)]);
  }
  const card: Record<string, unknown> = {};
  const plainKey = PLAIN_CLASS_KEYS.find((key) => metadata[key] !== undefined);
  if (plainKey !== undefined && !entries.some(([, property]) => property === 'classes')) {
    const parsed = parseClassNames(metadata[plainKey]);
    if ('names' in parsed) card.classes = parsed.names;
    else
      warnings.push(
        `${modelPath} (metadata_props "${plainKey}"): not read as class names: ${parsed.problem}; ignored.`,
      );
  }
  for (const [key, property, value] of entries) {
    const name = cardProperty(property) ?? property;
    try {
      // One property at a time, so that one bad entry does not discard the others.
      validateCardFile({ [name]: value }, `${modelPath} (metadata_props "${key}")`, 'model card entry');
      card[name] = value;
    } catch (thrown) {
      warnings.push(`${(thrown as Error).message.replace(/\n\s*/g, ' ')}; ignored.`);
    }
  }
  return { card: card as ModelCardFile, warnings };
}
