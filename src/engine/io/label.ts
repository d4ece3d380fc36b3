/** Label maps: integer class numbers, one channel, on the image's grid. */
import { statSync } from 'node:fs';
import { MisasInputError } from '../errors';
import {
  isIntegerArray,
  valueRange,
  voxelCount,
  withData,
  type Volume,
  type VoxelArray,
  type VoxelArrayConstructor,
} from '../volume';
import { formatDims, type ReadImageOptions } from './options';
import { formatOfPath, readImage, type ImageFormat } from './read';

/** "(12, 40, 3)": a voxel position in the order of dims. */
function position(index: number, dims: readonly number[]): string {
  const coordinates: number[] = [];
  let rest = index;
  for (const n of dims) {
    coordinates.push(rest % n);
    rest = Math.floor(rest / n);
  }
  return `(${coordinates.join(', ')})`;
}

/** The smallest integer array type that holds every value in [min, max]. */
export function integerArrayTypeFor(min: number, max: number): VoxelArrayConstructor {
  const candidates: [VoxelArrayConstructor, number, number][] = [
    [Uint8Array, 0, 255],
    [Int8Array, -128, 127],
    [Uint16Array, 0, 65535],
    [Int16Array, -32768, 32767],
    [Uint32Array, 0, 4294967295],
    [Int32Array, -2147483648, 2147483647],
  ];
  const fit = candidates.find(([, low, high]) => min >= low && max <= high);
  if (!fit) throw new RangeError(`no integer array holds ${min}…${max}`);
  return fit[0];
}

/** One channel: RGB masks are accepted only when every pixel is grey (r = g = b). */
function singleChannel(volume: Volume, file: string): VoxelArray {
  const size = voxelCount(volume.dims);
  if (volume.channels === 1) return volume.data;
  for (let i = 0; i < size; i++) {
    const values = Array.from({ length: volume.channels }, (_, c) => volume.data[c * size + i]);
    if (values.some((value) => value !== values[0])) {
      throw new MisasInputError(
        file,
        `a label map needs one channel of class numbers, but this image has ${volume.channels} channels that differ, ` +
          `e.g. at ${position(i, volume.dims)}: (${values.join(', ')}); save the mask as a grey or palette PNG of class numbers`,
      );
    }
  }
  return volume.data.slice(0, size);
}

/** Class numbers are indices into the class list: 0 … MAX_LABEL. */
export const MAX_LABEL = 65535;

/** Refuses negative class numbers and ones no class list can have. */
function checkLabelRange(data: VoxelArray, dims: readonly number[], file: string): void {
  const [min, max] = valueRange(data);
  if (min >= 0 && max <= MAX_LABEL) return;
  const bad = min < 0 ? min : max;
  const at = data.indexOf(bad as never);
  throw new MisasInputError(
    file,
    bad < 0
      ? `a label map holds class numbers 0, 1, 2, …, but voxel ${position(at, dims)} has the negative value ${bad}`
      : `a label map holds class numbers 0…${MAX_LABEL}, but voxel ${position(at, dims)} has the value ${bad}`,
  );
}

/** Checks that every value is an integer; float data with integral values becomes an integer array. */
function integerData(data: VoxelArray, dims: readonly number[], file: string): VoxelArray {
  if (isIntegerArray(data)) return data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isInteger(data[i])) {
      throw new MisasInputError(
        file,
        `a label map must hold integer class numbers, but voxel ${position(i, dims)} has the value ${data[i]}`,
      );
    }
  }
  // Out-of-range class numbers are refused before an integer array is chosen for them.
  checkLabelRange(data, dims, file);
  const [min, max] = valueRange(data);
  const ArrayType = integerArrayTypeFor(min, max);
  return ArrayType.from(data);
}

/** `volume` as a label map (integer array, one channel), or a MisasInputError naming `file`. */
export function toLabelMap(volume: Volume, file: string): Volume {
  const data = integerData(singleChannel(volume, file), volume.dims, file);
  checkLabelRange(data, volume.dims, file);
  return { ...withData(volume, data), channels: 1 };
}

export async function readLabelMap(path: string, options: ReadImageOptions = {}): Promise<Volume> {
  return toLabelMap(await readImage(path, { ...options, kind: 'labelMap' }), path);
}

/**
 * How far a mask's affine may be from its image's: each entry of the 3×4 voxel-to-world part by
 * at most this fraction of the image's smallest voxel size (0.1% of a voxel: float32 rounding
 * in headers, not a different grid).
 */
export const AFFINE_TOLERANCE = 1e-3;

/**
 * Formats whose affines are comparable: NIfTI, NRRD and MetaImage are all read into the same
 * RAS world, so a NIfTI mask can be checked against an NRRD image; a DICOM slice against DICOM.
 */
const WORLD_FAMILY: Record<ImageFormat, string | undefined> = {
  nifti: 'ras',
  nrrd: 'ras',
  metaimage: 'ras',
  dicom: 'dicom',
  png: undefined,
};

/** A folder is a DICOM series: a volume read into the RAS world like NIfTI (unlike a single 2D DICOM file). */
function worldFamilyOf(path: string, format: ImageFormat | undefined): string | undefined {
  if (format !== undefined) return WORLD_FAMILY[format];
  try {
    return statSync(path).isDirectory() ? 'ras' : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A mask must lie on its image's voxel grid: same dims and, when both files carry a world
 * geometry of the same kind (NIfTI, NRRD, MetaImage and DICOM series folders with each other, a DICOM file with a DICOM file), the
 * same voxel-to-world affine within AFFINE_TOLERANCE. A mirrored or shifted mask is refused,
 * never resampled: which of the two is right is the user's call. A PNG paired with a file that
 * has a geometry is refused too: a PNG has none, so a flipped or transposed mask of the same
 * dims (common when one of the two was saved from a viewer) could not be told from a right one.
 */
export function checkSameGrid(image: Volume, imagePath: string, mask: Volume, maskPath: string): void {
  const same = image.dims.length === mask.dims.length && image.dims.every((n, i) => n === mask.dims[i]);
  if (!same) {
    throw new MisasInputError(
      maskPath,
      `the mask is ${formatDims(mask.dims)} voxels but its image ${imagePath} is ${formatDims(image.dims)}; a mask must have the same dims as its image`,
    );
  }
  const format = formatOfPath(imagePath);
  const maskFormat = formatOfPath(maskPath);
  if (format !== undefined && maskFormat !== undefined && (format === 'png') !== (maskFormat === 'png')) {
    throw new MisasInputError(maskPath, mixedWithPngProblem(imagePath, format, maskFormat));
  }
  const family = worldFamilyOf(imagePath, format);
  if (family === undefined || family !== worldFamilyOf(maskPath, maskFormat)) return;
  const difference = affineDifference(image, mask);
  if (difference) {
    throw new MisasInputError(
      maskPath,
      `the mask's voxel-to-world affine differs from that of its image ${imagePath}: ${difference}; ` +
        'the mask would be paired voxel by voxel with the wrong part of the image — resample or re-save it on the image grid',
    );
  }
}

const FORMAT_NAMES: Record<ImageFormat, string> = {
  nifti: 'NIfTI',
  nrrd: 'NRRD',
  metaimage: 'MetaImage',
  dicom: 'DICOM',
  png: 'PNG',
};

/** Why a PNG cannot be paired with a file that has a geometry, and the voxel order misas would have had to assume. */
function mixedWithPngProblem(imagePath: string, format: ImageFormat, maskFormat: ImageFormat): string {
  return (
    `the mask is a ${FORMAT_NAMES[maskFormat]} file and its image ${imagePath} a ${FORMAT_NAMES[format]} file; ` +
    'a PNG has no voxel-to-world geometry, so whether the mask is flipped or transposed against the image cannot be checked ' +
    '(pairing them would assume that PNG column x, row y counted from the top, is voxel (x, y) of the other file); ' +
    'save the mask in the same format as its image'
  );
}

const AXIS_NAMES = ['i', 'j', 'k'];

/**
 * The first difference beyond the tolerance in words, or undefined. An axis with one voxel (the
 * third of a 2D image or of a single-slice volume) is not compared: its column only says how
 * thick the slice is and which way its normal points, which moves no voxel, and formats disagree
 * on it (a 2D NRRD says 1 mm where a NIfTI slice says its thickness).
 */
function affineDifference(image: Volume, mask: Volume): string | undefined {
  const tolerance = AFFINE_TOLERANCE * Math.min(...image.spacing.filter((s) => s > 0), 1);
  const column = (affine: number[][], c: number) => [0, 1, 2].map((r) => affine[r][c]);
  const vector = (v: number[]) => `(${v.map((x) => +x.toFixed(4)).join(', ')})`;
  for (let c = 0; c < 3; c++) {
    if ((image.dims[c] ?? 1) === 1) continue;
    const a = column(image.affine, c),
      b = column(mask.affine, c);
    if (a.some((x, r) => Math.abs(x - b[r]) > tolerance)) {
      const dot = a.reduce((sum, x, r) => sum + x * b[r], 0);
      const mirrored = dot < 0 ? ' (mirrored)' : '';
      return `voxel axis ${AXIS_NAMES[c]} points along ${vector(b)} mm in the mask and ${vector(a)} mm in the image${mirrored}`;
    }
  }
  const a = column(image.affine, 3),
    b = column(mask.affine, 3);
  if (a.some((x, r) => Math.abs(x - b[r]) > tolerance)) {
    return `the origin is ${vector(b)} mm in the mask and ${vector(a)} mm in the image (shifted by ${vector(b.map((x, r) => x - a[r]))} mm)`;
  }
  return undefined;
}
