/** NIfTI-1 / NIfTI-2 reader (.nii, .nii.gz; either byte order) → Volume. */
import { constants as bufferConstants } from 'node:buffer';
import { MisasInputError } from '../errors';
import { integerSampleType, sampleTypeOfArray, scaledSampleType } from '../sampleType';
import type { Volume, VoxelArray } from '../volume';
import { applyLinearScaling, narrowWideIntegers, typedArrayFromBytes } from './bytes';
import { gunzip, gunzipHead, isGzip } from './gzip';
import { affineFromHeader, voxelSizes } from './nifti-affine';
import { WIDE_INTEGER_DATATYPES, niftiDatatype, niftiDatatypeName } from './nifti-datatypes';
import { parseNiftiHeader, type NiftiHeader } from './nifti-header';
import {
  DEFAULT_MAX_BYTES,
  checkDataSize,
  chosenFrame,
  formatBytes,
  formatDims,
  type ReadImageOptions,
} from './options';

/** Room for the header and extensions on top of the voxel limit when gunzipping. */
const GZIP_HEADROOM = 64 * 1024 * 1024;
/** Bytes a .nii.gz may hold past what its header declares (padding, trailing extensions). */
const GZIP_SLACK = 1024 * 1024;
/** NIfTI-2's header is the larger: 540 bytes. */
const HEAD_BYTES = 540;

/**
 * The file size a NIfTI head declares (data offset + every voxel), so that gunzip stops soon
 * after it instead of inflating a gzip bomb up to the memory limit. Undefined when the head
 * cannot tell: the full read reports what is wrong with it.
 */
function declaredFileBytes(file: string, head: Uint8Array): number | undefined {
  try {
    const header = parseNiftiHeader(file, head);
    const dims = declaredDims(file, header.dim);
    const datatype = niftiDatatype(header.datatypeCode);
    if (!datatype) return undefined;
    const size =
      dataOffset(file, header) + dims.reduce((product, n) => product * n, datatype.ArrayType.BYTES_PER_ELEMENT);
    return Number.isFinite(size) ? size : undefined;
  } catch {
    return undefined;
  }
}

/** Inflates a .nii.gz no further than its header declares (+ slack) and `maxBytes` allow. */
async function gunzipNifti(file: string, fileBytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  const byOption = Math.min(bufferConstants.MAX_LENGTH, maxBytes + GZIP_HEADROOM);
  const declared = declaredFileBytes(file, gunzipHead(fileBytes, HEAD_BYTES));
  if (declared === undefined || declared + GZIP_SLACK >= byOption) return gunzip(file, fileBytes, byOption);
  return gunzip(
    file,
    fileBytes,
    declared + GZIP_SLACK,
    `though its header declares ${formatBytes(declared)} (data offset + voxels): a damaged file or a gzip bomb`,
  );
}

/** xyzt_units spatial code → factor to millimetres (metres and microns exist in the wild). */
const UNIT_TO_MM: Record<number, number> = { 1: 1000, 2: 1, 3: 0.001 };

/** The image dims dim[1..dim[0]], refusing counts and sizes that cannot describe an image. */
function declaredDims(file: string, dim: readonly number[]): number[] {
  const rank = dim[0];
  if (!(Number.isInteger(rank) && rank >= 1 && rank <= 7)) {
    throw new MisasInputError(file, `invalid NIfTI header: dim[0] = ${rank} is not a dimension count 1…7`);
  }
  const dims = dim.slice(1, rank + 1);
  const bad = dims.findIndex((n) => !(Number.isInteger(n) && n >= 1));
  if (bad >= 0) {
    throw new MisasInputError(
      file,
      `invalid NIfTI header: dim[${bad + 1}] = ${dims[bad]} (dims ${dims.join(', ')}); every dimension must be at least 1`,
    );
  }
  return dims;
}

function dataOffset(file: string, header: NiftiHeader): number {
  const offset = header.voxOffset;
  if (!(Number.isFinite(offset) && Number.isInteger(offset) && offset >= 0)) {
    throw new MisasInputError(file, `invalid NIfTI header: vox_offset ${offset} is not a byte position`);
  }
  // vox_offset 0 in a single file means "unset" (mricron's own templates do this): the data
  // follows the header and extension flag, as nibabel reads it.
  return Math.max(offset, header.minimumDataOffset);
}

function hasScaling(slope: number, intercept: number): boolean {
  // scl_slope 0 (or NaN) means "no scaling" in nifti1.h; 1/0 changes nothing.
  if (!Number.isFinite(slope) || slope === 0) return false;
  return slope !== 1 || (Number.isFinite(intercept) && intercept !== 0);
}

function scaleToMillimetres(header: NiftiHeader, affine: number[][], spacing: number[]): void {
  const factor = UNIT_TO_MM[header.xyztUnits & 7] ?? 1;
  if (factor === 1) return;
  for (let row = 0; row < 3; row++) for (let column = 0; column < 4; column++) affine[row][column] *= factor;
  for (let axis = 0; axis < spacing.length; axis++) spacing[axis] *= factor;
}

export async function readNifti(file: string, fileBytes: Uint8Array, options: ReadImageOptions = {}): Promise<Volume> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const bytes = isGzip(fileBytes) ? await gunzipNifti(file, fileBytes, maxBytes) : fileBytes;
  const header = parseNiftiHeader(file, bytes);
  const dims = declaredDims(file, header.dim);
  const wideInteger = WIDE_INTEGER_DATATYPES[header.datatypeCode];
  const datatype =
    niftiDatatype(header.datatypeCode) ??
    (wideInteger && { code: header.datatypeCode, name: wideInteger.name, ArrayType: Float64Array });
  if (!datatype) {
    throw new MisasInputError(
      file,
      `unsupported NIfTI datatype ${header.datatypeCode} (${niftiDatatypeName(header.datatypeCode)})`,
    );
  }
  const bytesPerVoxel = datatype.ArrayType.BYTES_PER_ELEMENT;
  if (header.bitpix !== bytesPerVoxel * 8) {
    throw new MisasInputError(
      file,
      `invalid NIfTI header: bitpix ${header.bitpix} does not match datatype ${datatype.name} (${bytesPerVoxel * 8} bits)`,
    );
  }
  checkDataSize(file, dims, bytesPerVoxel, options);

  // Dimensions past the third are frames (time, or anything else): flattened, one is read.
  const [nx, ny = 1, nz = 1] = dims;
  const frames = dims.slice(3).reduce((product, n) => product * n, 1);
  const frame = chosenFrame(file, options, frames, dims);
  const frameBytes = nx * ny * nz * bytesPerVoxel;
  const offset = dataOffset(file, header);
  const available = Math.max(0, bytes.length - offset);
  if (available < frameBytes * frames) {
    throw new MisasInputError(
      file,
      `truncated or inconsistent NIfTI: the header declares ${formatDims(dims)} ${datatype.name} voxels = ${formatBytes(frameBytes * frames)} ` +
        `from byte ${offset}, but the file holds only ${formatBytes(available)} of data there`,
    );
  }
  const start = offset + frame * frameBytes;
  const voxelBytes = bytes.subarray(start, start + frameBytes);
  let data: VoxelArray;
  if (wideInteger) {
    const narrowed = narrowWideIntegers(voxelBytes, wideInteger.signed, header.littleEndian);
    if (!narrowed)
      throw new MisasInputError(
        file,
        `${wideInteger.name} voxels beyond ±2^53 cannot be represented exactly; store the image as int32 or float64`,
      );
    data = narrowed;
  } else {
    data = typedArrayFromBytes(voxelBytes, datatype.ArrayType, header.littleEndian);
  }
  // The stored integer type bounds what the file can hold (float datatypes bound nothing); a
  // scl_slope/scl_inter rescale moves those bounds with the values.
  let sampleType = wideInteger ? integerSampleType(64, wideInteger.signed) : sampleTypeOfArray(data);
  if (hasScaling(header.sclSlope, header.sclInter)) {
    const intercept = Number.isFinite(header.sclInter) ? header.sclInter : 0;
    data = applyLinearScaling(data, header.sclSlope, intercept);
    if (sampleType) sampleType = scaledSampleType(sampleType, header.sclSlope, intercept);
  }

  const affine = affineFromHeader(header.geometry);
  const is2d = nz === 1;
  const spacing = voxelSizes(header.geometry.pixdim).slice(0, is2d ? 2 : 3);
  scaleToMillimetres(header, affine, spacing);
  return {
    data,
    dims: is2d ? [nx, ny] : [nx, ny, nz],
    spacing,
    affine,
    channels: 1,
    ...(sampleType ? { sampleType } : {}),
  };
}
