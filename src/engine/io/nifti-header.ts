/**
 * NIfTI-1/NIfTI-2 header parsing: nifti-reader-js reads the fields; this module decides which
 * version the bytes are, checks the magic and collects what the reader needs. nifti-reader-js
 * validates nothing (ENVIRONMENT.md), so nifti.ts checks the values.
 */
import * as niftiReader from 'nifti-reader-js';
import { MisasInputError, describeThrown } from '../errors';
import type { NiftiGeometryFields } from './nifti-affine';

export interface NiftiHeader {
  version: 1 | 2;
  littleEndian: boolean;
  /** Bytes before the voxel data can start: 352 (NIfTI-1) or 544 (NIfTI-2). */
  minimumDataOffset: number;
  /** dim[0..7]: dim[0] is the number of dimensions. */
  dim: number[];
  datatypeCode: number;
  bitpix: number;
  voxOffset: number;
  sclSlope: number;
  sclInter: number;
  xyztUnits: number;
  geometry: NiftiGeometryFields;
}

const HEADER_SIZE = { 1: 348, 2: 540 } as const;
const MAGIC = { 1: 'n+1\0', 2: 'n+2\0' } as const;
const PAIR_MAGIC = { 1: 'ni1\0', 2: 'ni2\0' } as const;

function versionOf(file: string, view: DataView): 1 | 2 {
  for (const littleEndian of [true, false]) {
    const size = view.getInt32(0, littleEndian);
    if (size === HEADER_SIZE[1]) return 1;
    if (size === HEADER_SIZE[2]) return 2;
  }
  throw new MisasInputError(
    file,
    `not a NIfTI file: the header size field is ${view.getInt32(0, true)}, expected 348 (NIfTI-1) or 540 (NIfTI-2)`,
  );
}

function checkMagic(file: string, bytes: Uint8Array, version: 1 | 2): void {
  const start = version === 1 ? 344 : 4;
  const magic = String.fromCharCode(...bytes.subarray(start, start + 4));
  if (magic === MAGIC[version]) return;
  if (magic === PAIR_MAGIC[version]) {
    throw new MisasInputError(
      file,
      'is the header of an .hdr/.img pair; only single-file NIfTI (.nii, .nii.gz) is read — convert it, e.g. with nibabel or fslchfiletype',
    );
  }
  throw new MisasInputError(
    file,
    `not a NIfTI-${version} file: magic ${JSON.stringify(magic)} instead of ${JSON.stringify(MAGIC[version])}`,
  );
}

/** srow_x/y/z, which nifti-reader-js folds into its own affine only when it prefers the sform. */
function readSrow(view: DataView, version: 1 | 2, littleEndian: boolean): number[][] {
  return [0, 1, 2].map((row) =>
    [0, 1, 2, 3].map((column) =>
      version === 1
        ? view.getFloat32(280 + (row * 4 + column) * 4, littleEndian)
        : view.getFloat64(400 + (row * 4 + column) * 8, littleEndian),
    ),
  );
}

export function parseNiftiHeader(file: string, bytes: Uint8Array): NiftiHeader {
  if (bytes.length < HEADER_SIZE[1]) {
    throw new MisasInputError(file, `too short for a NIfTI header (${bytes.length} bytes, a header has at least 348)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = versionOf(file, view);
  const headerSize = HEADER_SIZE[version];
  if (bytes.length < headerSize) {
    throw new MisasInputError(file, `truncated NIfTI-2 header (${bytes.length} of ${headerSize} bytes)`);
  }
  checkMagic(file, bytes, version);
  // Only the fixed header goes to the parser: extensions are not needed and a damaged
  // extension must not stop the image from loading.
  // A copy: a small Node Buffer's .buffer is a shared pool that may start with other bytes.
  const headerBytes = new Uint8Array(bytes.subarray(0, headerSize)).buffer;
  let parsed: niftiReader.NIFTI1 | niftiReader.NIFTI2;
  try {
    parsed = niftiReader.readHeader(headerBytes);
  } catch (thrown) {
    throw new MisasInputError(file, `unreadable NIfTI header (${describeThrown(thrown)})`, { cause: thrown });
  }
  return {
    version,
    littleEndian: parsed.littleEndian,
    minimumDataOffset: headerSize + 4,
    dim: [...parsed.dims],
    datatypeCode: parsed.datatypeCode,
    bitpix: parsed.numBitsPerVoxel,
    voxOffset: parsed.vox_offset,
    sclSlope: parsed.scl_slope,
    sclInter: parsed.scl_inter,
    xyztUnits: parsed.xyzt_units,
    geometry: {
      qformCode: parsed.qform_code,
      sformCode: parsed.sform_code,
      pixdim: [...parsed.pixDims],
      quaternion: [parsed.quatern_b, parsed.quatern_c, parsed.quatern_d],
      qoffset: [parsed.qoffset_x, parsed.qoffset_y, parsed.qoffset_z],
      srow: readSrow(view, version, parsed.littleEndian),
    },
  };
}
