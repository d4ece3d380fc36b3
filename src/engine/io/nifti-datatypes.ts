/** NIfTI datatype codes (nifti1.h) and the typed arrays the engine reads them into. */
import type { VoxelArray, VoxelArrayConstructor } from '../volume';

export interface NiftiDatatype {
  code: number;
  name: string;
  ArrayType: VoxelArrayConstructor;
}

const SUPPORTED: NiftiDatatype[] = [
  { code: 2, name: 'uint8', ArrayType: Uint8Array },
  { code: 256, name: 'int8', ArrayType: Int8Array },
  { code: 4, name: 'int16', ArrayType: Int16Array },
  { code: 512, name: 'uint16', ArrayType: Uint16Array },
  { code: 8, name: 'int32', ArrayType: Int32Array },
  { code: 768, name: 'uint32', ArrayType: Uint32Array },
  { code: 16, name: 'float32', ArrayType: Float32Array },
  { code: 64, name: 'float64', ArrayType: Float64Array },
];

/**
 * 64-bit integers (label maps saved by numpy/nibabel often are): read and narrowed to int32 /
 * uint32 when every value fits, else to float64 when every value is exact there.
 */
export const WIDE_INTEGER_DATATYPES: Record<number, { name: string; signed: boolean }> = {
  1024: { name: 'int64', signed: true },
  1280: { name: 'uint64', signed: false },
};

/** Names of the codes we refuse, so the message says what the file holds. */
const UNSUPPORTED_NAMES: Record<number, string> = {
  0: 'unknown',
  1: 'binary',
  32: 'complex64',
  128: 'RGB24',
  1536: 'float128',
  1792: 'complex128',
  2048: 'complex256',
  2304: 'RGBA32',
};

export function niftiDatatype(code: number): NiftiDatatype | undefined {
  return SUPPORTED.find((datatype) => datatype.code === code);
}

export function niftiDatatypeName(code: number): string {
  return (
    niftiDatatype(code)?.name ?? WIDE_INTEGER_DATATYPES[code]?.name ?? UNSUPPORTED_NAMES[code] ?? 'not a NIfTI datatype'
  );
}

export function datatypeOfArray(data: VoxelArray): NiftiDatatype {
  const datatype = SUPPORTED.find((candidate) => data instanceof candidate.ArrayType);
  if (!datatype) throw new Error(`no NIfTI datatype for ${data.constructor.name}`);
  return datatype;
}
