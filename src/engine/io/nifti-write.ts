/** NIfTI-1 writer (.nii, or .nii.gz by extension): datatype, spacing and affine preserved. */
import { MisasInputError } from '../errors';
import { voxelCount, type Volume } from '../volume';
import { HOST_IS_LITTLE_ENDIAN, swapBytes } from './bytes';
import { writeFileAtomic } from './files';
import { gzip } from './gzip';
import { qformFromAffine } from './nifti-affine';
import { datatypeOfArray } from './nifti-datatypes';

export interface WriteNiftiOptions {
  /** Up to 79 characters stored in the header's descrip field. */
  description?: string;
}

const HEADER_SIZE = 348;
const DATA_OFFSET = 352;
const XFORM_ALIGNED_ANAT = 2;
const UNITS_MM = 2;

function encodeHeader(volume: Volume, description: string): Uint8Array {
  const bytes = new Uint8Array(DATA_OFFSET); // the 4 bytes after the header: no extensions
  const view = new DataView(bytes.buffer);
  const le = true;
  const datatype = datatypeOfArray(volume.data);
  const [nx, ny, nz = 1] = volume.dims;
  const spacing = [
    volume.spacing[0] ?? 1,
    volume.spacing[1] ?? 1,
    volume.spacing[2] ?? (Math.hypot(volume.affine[0][2], volume.affine[1][2], volume.affine[2][2]) || 1),
  ];
  view.setInt32(0, HEADER_SIZE, le);
  [volume.dims.length, nx, ny, nz, 1, 1, 1, 1].forEach((n, i) => view.setInt16(40 + 2 * i, n, le));
  view.setInt16(70, datatype.code, le);
  view.setInt16(72, datatype.ArrayType.BYTES_PER_ELEMENT * 8, le);
  const qform = qformFromAffine(volume.affine, spacing);
  [qform?.qfac ?? 1, ...spacing, 1, 1, 1, 1].forEach((value, i) => view.setFloat32(76 + 4 * i, value, le));
  view.setFloat32(108, DATA_OFFSET, le);
  view.setFloat32(112, 1, le); // scl_slope 1, scl_inter 0: values are stored as they are
  view.setFloat32(116, 0, le);
  bytes[123] = UNITS_MM;
  const descrip = new TextEncoder().encode(description).subarray(0, 79);
  bytes.set(descrip, 148);
  if (qform) {
    view.setInt16(252, XFORM_ALIGNED_ANAT, le);
    qform.quaternion.forEach((value, i) => view.setFloat32(256 + 4 * i, value, le));
    qform.offset.forEach((value, i) => view.setFloat32(268 + 4 * i, value, le));
  }
  view.setInt16(254, XFORM_ALIGNED_ANAT, le);
  for (let row = 0; row < 3; row++) {
    for (let column = 0; column < 4; column++)
      view.setFloat32(280 + 4 * (row * 4 + column), volume.affine[row][column], le);
  }
  bytes.set([0x6e, 0x2b, 0x31, 0], 344); // "n+1\0": single-file NIfTI-1
  return bytes;
}

function checkWritable(path: string, volume: Volume): void {
  if (volume.channels !== 1) {
    throw new MisasInputError(
      path,
      `cannot write ${volume.channels} channels to NIfTI; writeNifti writes single-channel volumes`,
    );
  }
  if (
    volume.dims.length < 2 ||
    volume.dims.length > 3 ||
    volume.dims.some((n) => !(Number.isInteger(n) && n >= 1 && n <= 32767))
  ) {
    throw new MisasInputError(
      path,
      `cannot write dims ${volume.dims.join('×')} to NIfTI-1 (2 or 3 dims of 1…32767 voxels)`,
    );
  }
  if (volume.data.length !== voxelCount(volume.dims)) {
    throw new MisasInputError(
      path,
      `volume data holds ${volume.data.length} values but dims ${volume.dims.join('×')} need ${voxelCount(volume.dims)}`,
    );
  }
}

/** The bytes of a .nii file for `volume` (little-endian NIfTI-1, sform and, if exact, qform). */
export function encodeNifti(volume: Volume, options: WriteNiftiOptions = {}): Uint8Array {
  const header = encodeHeader(volume, options.description ?? 'misas');
  const data = new Uint8Array(volume.data.buffer, volume.data.byteOffset, volume.data.byteLength);
  const file = new Uint8Array(DATA_OFFSET + data.length);
  file.set(header, 0);
  file.set(data, DATA_OFFSET);
  if (!HOST_IS_LITTLE_ENDIAN) swapBytes(file.subarray(DATA_OFFSET), volume.data.BYTES_PER_ELEMENT);
  return file;
}

export async function writeNifti(path: string, volume: Volume, options: WriteNiftiOptions = {}): Promise<void> {
  checkWritable(path, volume);
  const bytes = encodeNifti(volume, options);
  await writeFileAtomic(path, path.toLowerCase().endsWith('.gz') ? await gzip(bytes) : bytes);
}
