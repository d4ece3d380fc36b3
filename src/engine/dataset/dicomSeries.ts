/**
 * DICOM series in dataset globs and folders: files without an extension that start like DICOM
 * count as images, and the files of one series are one input (see dicomSeriesInput).
 */
import { basename, extname, resolve } from 'node:path';
import { MisasInputError } from '../errors';
import {
  describeSeriesList,
  groupBySeries,
  hasDicomMagicSync,
  isStackable,
  readSliceHeaderSync,
  type SliceHeader,
} from '../io/dicom-headers';
import { formatOfPath } from '../io/read';
import type { ResolvedInput } from './types';

/** Where a dataset's files were found, and how messages name them. */
export interface SeriesContext {
  /** The experiment file, named in messages. */
  file: string;
  /** Folder relative paths are resolved against. */
  base: string;
  /** A path for messages. */
  shown: (path: string) => string;
}

function refuse(context: SeriesContext, jsonPath: string, problem: string): never {
  throw new MisasInputError(context.file, `${jsonPath}: ${problem}`);
}

/** A file without an extension (or a numeric one, IM.0001) that starts like DICOM: scanners write them so. */
export function isExtensionlessDicom(path: string): boolean {
  const extension = extname(basename(path));
  return (extension === '' || /^\.\d+$/.test(extension)) && hasDicomMagicSync(path);
}

/** A damaged file is not a series' slice: it stays its own input, and its read says what is wrong. */
function headerOrUndefined(path: string, label: string): SliceHeader | undefined {
  try {
    return readSliceHeaderSync(path, label);
  } catch (thrown) {
    if (thrown instanceof MisasInputError) return undefined;
    throw thrown;
  }
}

/**
 * When a dataset glob's images are the files of one DICOM series, the series is one input (the
 * glob its image, read as one volume); files of several series are refused with the list: misas
 * does not pick one. DICOM files that are each their own series (2D images) stay one input each.
 */
export function dicomSeriesInput(
  candidates: readonly { path: string }[],
  pattern: string,
  masks: string | undefined,
  context: SeriesContext,
  jsonPath: string,
): ResolvedInput | undefined {
  // DICOM by extension, or extensionless files findImages let in by their DICM marker.
  const dicom = candidates.filter((candidate) => [undefined, 'dicom'].includes(formatOfPath(candidate.path)));
  if (dicom.length < 2) return undefined;
  const headers = dicom
    .map((candidate) => headerOrUndefined(candidate.path, context.shown(candidate.path)))
    .filter((header): header is SliceHeader => header !== undefined && isStackable(header));
  const bySeries = groupBySeries(headers);
  const series = [...bySeries.values()].filter((slices) => slices.length > 1);
  if (series.length === 0) return undefined;
  if (series.length > 1 || series[0].length !== candidates.length) {
    const others = candidates.length - series.reduce((sum, slices) => sum + slices.length, 0);
    refuse(
      context,
      jsonPath,
      `"${pattern}" matches the files of ${series.length} DICOM series of several slices (${describeSeriesList(new Map(series.map((slices) => [slices[0].seriesUid, slices])))})${others > 0 ? ` and ${others} other image file(s)` : ''}; a series is one input: give each series as an entry { "image": "<its folder or a glob of its files>" }`,
    );
  }
  if (masks !== undefined) {
    refuse(
      context,
      jsonPath,
      `"${pattern}" matches the ${series[0].length} files of one DICOM series, one input: give it as an entry { "image": "${pattern}", "mask": "<its mask file>" } rather than with a "masks" pattern`,
    );
  }
  // The pattern as the reader's glob; a folder (or "folder/**") names the files in it.
  const trimmed = pattern.replace(/[\\/]+$/, '');
  const image = resolve(context.base, trimmed.endsWith('**') ? `${trimmed}/*` : trimmed);
  return { image };
}
