/** readImage: one entry point for every format, chosen by extension (or DICOM's magic). */
import { extname } from 'node:path';
import { MisasInputError } from '../errors';
import type { Volume } from '../volume';
import { hasDicomMagic, readDicom } from './dicom';
import { isSeriesGlob, readDicomSeries } from './dicom-series';
import { isFolder, readInputFile } from './files';
import { readMetaImage } from './metaimage';
import { readNifti } from './nifti';
import { readNrrd } from './nrrd';
import type { ReadImageOptions } from './options';
import { readPng } from './png';

export type ImageFormat = 'nifti' | 'png' | 'dicom' | 'nrrd' | 'metaimage';

/** The format a path names by its extension; undefined when only the content can tell. */
export function formatOfPath(path: string): ImageFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.nii') || lower.endsWith('.nii.gz')) return 'nifti';
  if (lower.endsWith('.png')) return 'png';
  if (lower.endsWith('.dcm') || lower.endsWith('.dicom') || lower.endsWith('.ima')) return 'dicom';
  if (lower.endsWith('.nrrd') || lower.endsWith('.nhdr')) return 'nrrd';
  if (lower.endsWith('.mha') || lower.endsWith('.mhd')) return 'metaimage';
  return undefined;
}

function unsupported(path: string): MisasInputError {
  const extension = extname(path).toLowerCase();
  if (extension === '.hdr' || extension === '.img') {
    return new MisasInputError(
      path,
      'Analyze / NIfTI .hdr/.img pairs are not read; convert to .nii or .nii.gz (e.g. with nibabel or fslchfiletype)',
    );
  }
  const what = extension ? `"${extension}" files are` : 'a file without extension is';
  // A detached data file given instead of its header: say which file to give.
  const header = ['.raw', '.zraw', '.gz'].includes(extension)
    ? '; if this is the data file of a .nhdr or .mhd header, give the header instead'
    : '';
  return new MisasInputError(
    path,
    `unsupported image format: ${what} not read (supported: .nii, .nii.gz, .png, .dcm, .ima, .nrrd, .nhdr, .mha, .mhd, and DICOM files without extension)${header}`,
  );
}

/**
 * Whether `path` is a folder, or a glob of files, to read as one DICOM series. A folder named
 * like another format's file ("scan.nii/") is a mistake, not a series: readers then say it is a
 * directory.
 */
export async function isDicomSeriesPath(path: string): Promise<boolean> {
  if (await isSeriesGlob(path)) return true;
  const format = formatOfPath(path);
  return (format === undefined || format === 'dicom') && (await isFolder(path));
}

/** An image file, or a folder or glob: the DICOM series it holds as one volume. */
export async function readImage(path: string, options: ReadImageOptions = {}): Promise<Volume> {
  if (await isDicomSeriesPath(path)) return readDicomSeries(path, options);
  const format = formatOfPath(path);
  const extension = extname(path);
  if (!format && extension !== '' && extension !== '.' && !/^\.\d+$/.test(extension)) throw unsupported(path);
  const bytes = await readInputFile(path);
  if (bytes.length === 0) throw new MisasInputError(path, 'the file is empty (0 bytes)');
  switch (format ?? (hasDicomMagic(bytes) ? 'dicom' : undefined)) {
    case 'nifti':
      return readNifti(path, bytes, options);
    case 'png':
      return readPng(path, bytes, options);
    case 'dicom':
      return readDicom(path, bytes, options);
    case 'nrrd':
      return readNrrd(path, bytes, options);
    case 'metaimage':
      return readMetaImage(path, bytes, options);
    default:
      throw unsupported(path);
  }
}
