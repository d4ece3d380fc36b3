/**
 * Dataset expansion: an experiment's `inputs` (a list of entries, a glob or folder, a
 * `{ images, masks }` dataset or a `{ manifest }` CSV) → absolute image/mask paths.
 * Synchronous, so experiment resolution stays synchronous.
 */
import { statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { MisasInputError } from '../errors';
import { dicomSeriesInput, isExtensionlessDicom } from './dicomSeries';
import { resolveInside } from '../paths';
import {
  GlobOutsideRootError,
  IMAGE_EXTENSIONS,
  globFiles,
  hasWildcards,
  imageExtensionOf,
  patternSegments,
} from './glob';
import { readManifest } from './manifest';
import type { InputProblem, ResolvedInput } from './types';
import { checkMaskTemplate, fillMaskTemplate, maskShapeMatcher, pairingKeys, type PairingKeys } from './pairing';

export interface ExpandOptions {
  /** The experiment file, named in messages. */
  file: string;
  /** Folder relative paths are resolved against (the experiment's folder). */
  base: string;
  /** Every path must stay inside this folder. */
  root: string;
  /** What to do with an input whose mask pattern or manifest names a file that does not exist. */
  missingMasks: 'skip' | 'pseudo-truth';
}

export type { InputProblem, ResolvedInput };

export interface ExpandedInputs {
  inputs: ResolvedInput[];
  problems: InputProblem[];
}

interface Candidate {
  path: string;
  keys: PairingKeys;
}

type Fields = Record<string, unknown>;

const ENTRY_KEYS = ['image', 'mask', 'slices', 'group', 'frame'];
const DATASET_KEYS = ['images', 'masks', 'slices', 'group', 'frame'];

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refuse(options: ExpandOptions, jsonPath: string, problem: string): never {
  throw new MisasInputError(options.file, `${jsonPath}: ${problem}`);
}

function checkKeys(value: Fields, allowed: string[], options: ExpandOptions, jsonPath: string): void {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0)
    refuse(
      options,
      jsonPath,
      `unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} (allowed: ${allowed.join(', ')})`,
    );
}

function text(value: unknown, options: ExpandOptions, jsonPath: string, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value === '') refuse(options, jsonPath, 'must be a non-empty string');
  return value;
}

function sliceList(value: unknown, options: ExpandOptions, jsonPath: string): number[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every((n) => Number.isInteger(n) && n >= 0)) {
    refuse(options, jsonPath, 'must be a non-empty list of slice indices (whole numbers ≥ 0)');
  }
  return [...(value as number[])];
}

function frameIndex(value: unknown, options: ExpandOptions, jsonPath: string): number | undefined {
  if (value === undefined) return undefined;
  if (!(Number.isInteger(value) && (value as number) >= 0))
    refuse(options, jsonPath, 'must be a frame index (a whole number ≥ 0)');
  return value as number;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A path for messages: relative to the experiment's folder, with forward slashes. */
function shown(path: string, options: ExpandOptions): string {
  const rel = relative(options.base, path) || '.';
  return sep === '\\' ? rel.replaceAll('\\', '/') : rel;
}

/** Every image a glob, folder or single file names, sorted by path. */
function findImages(pattern: string, options: ExpandOptions, jsonPath: string): Candidate[] {
  const { root, base, file } = options;
  // Lexically, the whole pattern must stay inside the root ("../x/*.png" is refused as written).
  const whole = resolveInside(root, base, pattern, file, jsonPath);
  const noImages = (why: string): never => refuse(options, jsonPath, `"${pattern}" matched no images (${why})`);
  const trailingSlash = /[\\/]$/.test(pattern);
  const segments = patternSegments(pattern);
  if (segments.length > 1 && segments.at(-1) === '') segments.pop();
  const firstWild = segments.findIndex((segment) => hasWildcards(segment));

  let start: string;
  let rest: string[];
  let folderStyle = false; // the file-name segment is implicit: every image file in the folders
  if (firstWild < 0) {
    if (isFile(whole) && !trailingSlash) return [{ path: whole, keys: pairingKeys(whole, undefined, base) }];
    if (!isDirectory(whole)) return noImages(trailingSlash ? 'no such folder' : 'no such file or folder');
    [start, rest, folderStyle] = [whole, ['*'], true];
  } else {
    const prefix = segments.slice(0, firstWild);
    const prefixText = prefix.length > 0 && prefix.join('/') === '' ? '/' : prefix.join('/');
    start = resolve(base, prefixText || '.');
    rest = segments.slice(firstWild);
    if (trailingSlash || rest.at(-1) === '**') [rest, folderStyle] = [[...rest, '*'], true];
  }

  const fileSegment = rest.at(-1)!;
  let files;
  try {
    files = globFiles(start, rest, root);
  } catch (thrown) {
    if (!(thrown instanceof GlobOutsideRootError)) throw thrown;
    return refuse(
      options,
      jsonPath,
      `"${pattern}" reaches ${shown(thrown.path, options)}, a symbolic link to ${thrown.real}, outside ${root}; paths must stay inside the workspace (on the command line: the experiment's folder, or --root DIR)`,
    );
  }
  const matches = files.filter(
    (match) => imageExtensionOf(match.path) !== undefined || isExtensionlessDicom(match.path),
  );
  if (matches.length === 0) {
    const kinds = IMAGE_EXTENSIONS.join(', ');
    if (folderStyle) return noImages(`no ${kinds} files there`);
    return noImages(
      files.length === 0
        ? 'no files match'
        : `${files.length} file${files.length === 1 ? ' matches' : 's match'}, none of them ${kinds}`,
    );
  }
  return matches.map((match) => {
    const path = resolveInside(root, base, match.path, file, jsonPath);
    const firstStar = !folderStyle && fileSegment.includes('*') ? match.captures[0] : undefined;
    return { path, keys: pairingKeys(path, firstStar, base) };
  });
}

/** Records an input whose mask file is missing, by the experiment's policy. */
function missingMask(
  image: string,
  mask: string,
  extra: Omit<ResolvedInput, 'image' | 'mask'>,
  out: ExpandedInputs,
  options: ExpandOptions,
  where: string,
): void {
  const problem = `${where} names the mask ${shown(mask, options)}, which does not exist`;
  if (options.missingMasks === 'skip') {
    out.problems.push({ file: image, problem, action: 'skipped' });
  } else {
    out.problems.push({ file: image, problem, action: 'pseudo-truth', input: out.inputs.length });
    out.inputs.push({ image, ...extra });
  }
}

function extraFields(
  slices: number[] | undefined,
  group: string | undefined,
  frame?: number,
): Omit<ResolvedInput, 'image' | 'mask'> {
  return {
    ...(slices ? { slices } : {}),
    ...(group !== undefined ? { group } : {}),
    ...(frame !== undefined ? { frame } : {}),
  };
}

/** `{ images, masks?, slices?, group? }`, or a plain glob/folder string (`jsonPath` = "$.inputs"). */
function datasetInputs(spec: Fields, options: ExpandOptions, jsonPath: string, stringForm: boolean): ExpandedInputs {
  const imagesPath = stringForm ? jsonPath : `${jsonPath}.images`;
  const images = text(spec.images, options, imagesPath, true)!;
  const masks = text(spec.masks, options, `${jsonPath}.masks`, false);
  const extra = extraFields(
    sliceList(spec.slices, options, `${jsonPath}.slices`),
    text(spec.group, options, `${jsonPath}.group`, false),
    frameIndex(spec.frame, options, `${jsonPath}.frame`),
  );
  const candidates = findImages(images, options, imagesPath);
  const out: ExpandedInputs = { inputs: [], problems: [] };
  const context = { file: options.file, base: options.base, shown: (path: string) => shown(path, options) };
  const series = dicomSeriesInput(candidates, images, masks, context, imagesPath);
  if (series) {
    out.inputs = [{ ...series, ...extra }];
    return out;
  }
  if (masks === undefined) {
    out.inputs = candidates.map((candidate) => ({ image: candidate.path, ...extra }));
    return out;
  }

  checkMaskTemplate(masks, options.file, `${jsonPath}.masks`);
  const maskOf = (candidate: Candidate) =>
    resolveInside(
      options.root,
      options.base,
      fillMaskTemplate(masks, candidate.keys),
      options.file,
      `${jsonPath}.masks`,
    );
  const looksLikeMask = maskShapeMatcher(masks, options.base);
  const namedMasks = new Set(candidates.map(maskOf));
  const kept = candidates.filter((candidate) => !looksLikeMask(candidate.path) && !namedMasks.has(candidate.path));
  if (kept.length === 0) {
    refuse(
      options,
      imagesPath,
      `"${images}" matched no images: all ${candidates.length} files it matched are masks by the pattern "${masks}"`,
    );
  }
  for (const candidate of kept) {
    const mask = maskOf(candidate);
    if (isFile(mask)) out.inputs.push({ image: candidate.path, mask, ...extra });
    else missingMask(candidate.path, mask, extra, out, options, `the pattern ${jsonPath}.masks "${masks}"`);
  }
  return out;
}

/** `{ manifest: "file.csv" }`: rows in the order written; paths relative to the CSV's folder. */
function manifestInputs(spec: Fields, options: ExpandOptions, jsonPath: string): ExpandedInputs {
  checkKeys(spec, ['manifest'], options, jsonPath);
  const manifestPath = `${jsonPath}.manifest`;
  const csv = resolveInside(
    options.root,
    options.base,
    text(spec.manifest, options, manifestPath, true)!,
    options.file,
    manifestPath,
  );
  if (!isFile(csv))
    refuse(
      options,
      manifestPath,
      `"${spec.manifest as string}" ${isDirectory(csv) ? 'is a folder, not a CSV file' : 'does not exist'}`,
    );
  const folder = dirname(csv);
  const out: ExpandedInputs = { inputs: [], problems: [] };
  for (const row of readManifest(csv)) {
    const at = (column: string) => `line ${row.line}, column "${column}"`;
    const image = resolveInside(options.root, folder, row.image, csv, at('image'));
    // A folder is a DICOM series (read as one volume); its files are bounded by the folder.
    if (!isFile(image) && !isDirectory(image))
      throw new MisasInputError(csv, `${at('image')}: "${row.image}" does not exist`);
    const extra = extraFields(undefined, row.group);
    if (row.mask === undefined) {
      out.inputs.push({ image, ...extra });
      continue;
    }
    const mask = resolveInside(options.root, folder, row.mask, csv, at('mask'));
    if (isFile(mask)) out.inputs.push({ image, mask, ...extra });
    else missingMask(image, mask, extra, out, options, `${shown(csv, options)} line ${row.line}`);
  }
  return out;
}

/** The list form: entries as written, in their order (the user chose it). */
function entryInputs(entries: unknown[], options: ExpandOptions): ExpandedInputs {
  if (entries.length === 0) refuse(options, '$.inputs', 'the list of inputs is empty');
  const inputs = entries.map((entry, i): ResolvedInput => {
    const where = `$.inputs[${i}]`;
    if (!isObject(entry)) refuse(options, where, 'must be an object { "image": …, "mask"?: … }');
    checkKeys(entry, ENTRY_KEYS, options, where);
    const image = text(entry.image, options, `${where}.image`, true)!;
    const mask = text(entry.mask, options, `${where}.mask`, false);
    return {
      image: resolveInside(options.root, options.base, image, options.file, `${where}.image`),
      ...(mask !== undefined
        ? { mask: resolveInside(options.root, options.base, mask, options.file, `${where}.mask`) }
        : {}),
      ...extraFields(
        sliceList(entry.slices, options, `${where}.slices`),
        text(entry.group, options, `${where}.group`, false),
        frameIndex(entry.frame, options, `${where}.frame`),
      ),
    };
  });
  return { inputs, problems: [] };
}

/**
 * The experiment's `inputs` as absolute paths. Globs, folders and datasets come sorted by image
 * path (UTF-8 byte order), so every machine and shard sees the same order; lists and manifests
 * keep the order they were written in. Throws MisasInputError for anything that cannot run;
 * masks a pattern or manifest names but that do not exist become `problems`.
 */
export function expandInputs(spec: unknown, options: ExpandOptions): ExpandedInputs {
  if (options.missingMasks !== 'skip' && options.missingMasks !== 'pseudo-truth') {
    refuse(options, '$.missingMasks', `must be "skip" or "pseudo-truth", not ${JSON.stringify(options.missingMasks)}`);
  }
  let expanded: ExpandedInputs;
  if (Array.isArray(spec)) {
    return entryInputs(spec, options);
  }
  if (typeof spec === 'string') {
    expanded = datasetInputs({ images: spec }, options, '$.inputs', true);
  } else if (isObject(spec) && 'manifest' in spec) {
    expanded = manifestInputs(spec, options, '$.inputs');
  } else if (isObject(spec) && 'images' in spec) {
    checkKeys(spec, DATASET_KEYS, options, '$.inputs');
    expanded = datasetInputs(spec, options, '$.inputs', false);
  } else {
    return refuse(
      options,
      '$.inputs',
      'give a list of { "image", "mask" } entries, a glob or folder of images, { "images": …, "masks": … } or { "manifest": "file.csv" }',
    );
  }
  if (expanded.inputs.length === 0) {
    const skipped = expanded.problems.length;
    refuse(
      options,
      '$.inputs',
      `no inputs left: all ${skipped} image${skipped === 1 ? '' : 's'} were skipped because their masks do not exist (set "missingMasks": "pseudo-truth" to run them against the model's own prediction)`,
    );
  }
  return expanded;
}
