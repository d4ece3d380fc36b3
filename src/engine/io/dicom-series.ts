/**
 * A folder of DICOM files, or the files a glob matches (study/series3/IM*, with ** for any
 * folders), as one volume: the files' headers are read first (up to Pixel Data),
 * grouped by Series Instance UID, sorted by position along the slice normal and checked to form
 * one regular stack (dicom-stack.ts, which also says how the affine is made); only then are the
 * pixels read, slice by slice, into one volume.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { GlobOutsideRootError, globFiles, hasWildcards, patternSegments } from '../dataset/glob';
import { MisasInputError, describeThrown } from '../errors';
import { realPathOutside } from '../paths';
import type { SampleType } from '../sampleType';
import { type Volume, type VoxelArrayConstructor } from '../volume';
import { readDicom } from './dicom';
import { describeSeriesList, groupBySeries, readSliceHeader, type SliceHeader } from './dicom-headers';
import { readInputFile } from './files';
import { stackGeometry } from './dicom-stack';
import { checkDataSize, type ReadImageOptions } from './options';
import { affineFromSteps } from './world-affine';

/** Directions are unit vectors written as decimal strings: equal within this. */
const ORIENTATION_TOLERANCE = 1e-4;

/** One series, sorted and checked: what peeking and reading share. */
export interface SeriesPlan {
  folder: string;
  slices: SliceHeader[];
  dims: number[];
  spacing: number[];
  channels: number;
  /** Bytes per value of the volume's array (4/8 once a rescale makes floats). */
  bytesPerVoxel: number;
  steps: number[][];
  origin: number[];
}

const name = (header: SliceHeader) => header.label;

/** The DICOM images directly in `folder` (no subfolders; dot files and DICOMDIR skipped), by name. */
async function folderHeaders(folder: string): Promise<SliceHeader[]> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (thrown) {
    throw new MisasInputError(folder, `cannot list the folder (${describeThrown(thrown)})`, { cause: thrown });
  }
  const headers: SliceHeader[] = [];
  let subfolders = 0;
  const names = entries.map((entry) => entry.name).sort();
  for (const entryName of names) {
    if (entryName.startsWith('.') || entryName.toUpperCase() === 'DICOMDIR') continue;
    const path = join(folder, entryName);
    const facts = await stat(path).catch(() => undefined);
    if (facts?.isDirectory()) subfolders++;
    if (!facts?.isFile()) continue;
    const real = realPathOutside(folder, path);
    if (real !== undefined) {
      throw new MisasInputError(
        folder,
        `${entryName} is a symbolic link to ${real}, outside the series folder; keep a series' files in its folder`,
      );
    }
    const header = await readSliceHeader(path);
    if (header) headers.push(header);
  }
  if (headers.length === 0) {
    const below = subfolders > 0 ? `; it has ${subfolders} subfolder(s): give the folder of one series` : '';
    throw new MisasInputError(folder, `a folder is read as a DICOM series, but it holds no DICOM image files${below}`);
  }
  return headers;
}

/**
 * Whether `path` is a glob of a series' files: it has a wildcard (`*`, `?`) and names no existing
 * file or folder as written.
 */
export async function isSeriesGlob(path: string): Promise<boolean> {
  return hasWildcards(path) && !(await stat(path).catch(() => undefined));
}

/**
 * The files an absolute glob pattern matches (`*`, `?` within a name, `**` any folders; as
 * dataset globs), with their paths relative to the folder before the first wildcard. That folder
 * bounds them: a symbolic link out of it is refused, as in a series folder.
 */
export function seriesGlobFiles(pattern: string): { file: string; label: string }[] {
  const segments = patternSegments(pattern);
  const firstWild = segments.findIndex((segment) => hasWildcards(segment));
  const prefix = segments.slice(0, firstWild).join('/');
  const start = resolve(prefix === '' ? '/' : prefix);
  try {
    return globFiles(start, segments.slice(firstWild), start).map(({ path }) => ({
      file: path,
      label: relative(start, path).replaceAll('\\', '/'),
    }));
  } catch (thrown) {
    if (!(thrown instanceof GlobOutsideRootError)) throw thrown;
    throw new MisasInputError(
      pattern,
      `${thrown.path} is a symbolic link to ${thrown.real}, outside ${start}; keep a series' files under the folder its glob starts from`,
    );
  }
}

/** The DICOM images a glob matches (files that are not DICOM are passed over, as in a folder). */
async function globHeaders(pattern: string): Promise<SliceHeader[]> {
  const files = seriesGlobFiles(pattern);
  const headers: SliceHeader[] = [];
  for (const { file, label } of files) {
    const header = await readSliceHeader(file, label);
    if (header) headers.push(header);
  }
  if (headers.length === 0) {
    const matched = files.length === 0 ? 'matches no files' : `matches ${files.length} file(s), none a DICOM image`;
    throw new MisasInputError(pattern, `a glob is read as one DICOM series, but it ${matched}`);
  }
  return headers;
}

/** The one series in the folder (or glob); several are refused with a list of them. */
function oneSeries(folder: string, headers: SliceHeader[]): SliceHeader[] {
  const bySeries = groupBySeries(headers);
  if (bySeries.size === 1) return headers;
  const list = describeSeriesList(bySeries);
  throw new MisasInputError(
    folder,
    hasWildcards(folder)
      ? `matches files of ${bySeries.size} DICOM series (Series Instance UID): ${list}. Give a glob that matches the files of one series`
      : `holds ${bySeries.size} DICOM series (Series Instance UID): ${list}. Give a folder that holds one series (move each series into its own folder)`,
  );
}

/** Every slice must share the first one's size, pixel format, orientation and pixel spacing. */
function checkConsistent(folder: string, slices: SliceHeader[]): void {
  const first = slices[0];
  const differs = (what: string, show: (header: SliceHeader) => string, other: SliceHeader) =>
    new MisasInputError(
      folder,
      `the series' slices differ in ${what}: ${name(first)} has ${show(first)}, ${name(other)} has ${show(other)}; a volume needs one grid`,
    );
  for (const slice of slices) {
    if (slice.frames > 1) {
      throw new MisasInputError(
        folder,
        `${name(slice)} holds ${slice.frames} frames; a folder is read as a series of single-frame files (give a multi-frame file itself as the image, with a "frame")`,
      );
    }
    if (!slice.orientation || slice.position.length !== 3) {
      throw new MisasInputError(
        folder,
        `${name(slice)} has no Image Position/Orientation (Patient) (0020,0032)/(0020,0037), so its place in the volume is unknown; a series is only stacked by position`,
      );
    }
    if (slice.rows !== first.rows || slice.columns !== first.columns)
      throw differs('size', (h) => `${h.columns}×${h.rows} pixels`, slice);
    if (slice.samples !== first.samples || slice.bitsAllocated !== first.bitsAllocated || slice.signed !== first.signed)
      throw differs(
        'pixel format',
        (h) => `${h.samples} sample(s) of ${h.bitsAllocated} bits ${h.signed ? 'signed' : 'unsigned'}`,
        slice,
      );
    if (slice.orientation.some((value, i) => Math.abs(value - first.orientation![i]) > ORIENTATION_TOLERANCE))
      throw differs('orientation', (h) => `Image Orientation (Patient) ${h.orientation!.join('\\')}`, slice);
    if (slice.spacing.some((value, i) => Math.abs(value - first.spacing[i]) > ORIENTATION_TOLERANCE * first.spacing[i]))
      throw differs('pixel spacing', (h) => `Pixel Spacing ${h.spacing[1]}\\${h.spacing[0]}`, slice);
  }
}

function planOf(folder: string, slices: SliceHeader[]): SeriesPlan {
  checkConsistent(folder, slices);
  const first = slices[0];
  const stack = stackGeometry(folder, first.orientation!, first.spacing, slices);
  const anyRescaled = slices.some((slice) => slice.rescaled);
  const bytesPerVoxel = anyRescaled ? (first.bitsAllocated >= 32 ? 8 : 4) : Math.max(1, first.bitsAllocated / 8);
  return {
    folder,
    slices: stack.sorted,
    dims: [first.columns, first.rows, slices.length],
    spacing: stack.spacing,
    channels: first.samples,
    bytesPerVoxel,
    steps: stack.steps,
    origin: stack.origin,
  };
}

/**
 * The series in `folder`, headers only: a plan of several slices, or the one file when the
 * series is a single file (read as that file is).
 */
export async function planDicomSeries(folder: string): Promise<SeriesPlan | { singleFile: string }> {
  const headers = (await isSeriesGlob(folder)) ? await globHeaders(folder) : await folderHeaders(folder);
  const slices = oneSeries(folder, headers);
  if (slices.length === 1) return { singleFile: slices[0].file };
  return planOf(folder, slices);
}

function arrayTypeOf(plan: SeriesPlan, first: Volume): VoxelArrayConstructor {
  if (plan.bytesPerVoxel === 8) return Float64Array;
  if (plan.slices.some((slice) => slice.rescaled)) return Float32Array;
  return first.data.constructor as VoxelArrayConstructor;
}

/** One sample type for the volume: the slices' when they agree, else the range covering all. */
function commonSampleType(types: (SampleType | undefined)[]): SampleType | undefined {
  const first = types[0];
  if (!first || types.some((type) => !type)) return undefined;
  if (types.every((type) => JSON.stringify(type) === JSON.stringify(first))) return { ...first };
  return {
    name: first.name,
    min: Math.min(...types.map((type) => type!.min)),
    max: Math.max(...types.map((type) => type!.max)),
    integer: types.every((type) => type!.integer),
  };
}

/** A series is one volume: its files are slices, not frames, so only "frame": 0 (or none) fits. */
export function checkNoFrame(plan: SeriesPlan, options: ReadImageOptions): void {
  if (options.frame === undefined || options.frame === 0) return;
  throw new MisasInputError(
    plan.folder,
    `frame ${options.frame} requested, but a DICOM series folder is one volume of ${plan.slices.length} slices (its files are slices, not frames); remove the input's "frame"`,
  );
}

/** Reads a planned series' pixels into one volume (planar channels, slice k at z = k). */
export async function readSeriesPixels(plan: SeriesPlan, options: ReadImageOptions = {}): Promise<Volume> {
  checkNoFrame(plan, options);
  checkDataSize(plan.folder, [...plan.dims, plan.channels], plan.bytesPerVoxel, options);
  const [columns, rows, depth] = plan.dims;
  const plane = columns * rows;
  const voxels = plane * depth;
  let data: Volume['data'] | undefined;
  const sampleTypes: (SampleType | undefined)[] = [];
  for (let k = 0; k < depth; k++) {
    const file = plan.slices[k].file;
    const slice = await readDicom(file, await readInputFile(file), { maxBytes: options.maxBytes });
    if (slice.dims.join() !== [columns, rows].join() || slice.channels !== plan.channels) {
      throw new MisasInputError(
        file,
        `the pixels read as ${slice.dims.join('×')}×${slice.channels}, not as its header said`,
      );
    }
    data ??= new (arrayTypeOf(plan, slice))(voxels * plan.channels);
    sampleTypes.push(slice.sampleType);
    for (let c = 0; c < plan.channels; c++)
      data.set(slice.data.subarray(c * plane, (c + 1) * plane), c * voxels + k * plane);
    options.onProgress?.(k + 1, depth);
  }
  const volume: Volume = {
    data: data!,
    dims: [...plan.dims],
    spacing: [...plan.spacing],
    affine: affineFromSteps(plan.steps, plan.origin, 'LPS'),
    channels: plan.channels,
  };
  const sampleType = commonSampleType(sampleTypes);
  if (sampleType) volume.sampleType = sampleType;
  return volume;
}

/** A folder of DICOM files (one series), or a glob of them, as one volume; a one-file series reads as that file. */
export async function readDicomSeries(folder: string, options: ReadImageOptions = {}): Promise<Volume> {
  const plan = await planDicomSeries(folder);
  if ('singleFile' in plan) return await readDicom(plan.singleFile, await readInputFile(plan.singleFile), options);
  return readSeriesPixels(plan, options);
}
