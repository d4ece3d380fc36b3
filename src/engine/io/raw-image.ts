/**
 * What NRRD and MetaImage have in common once their text headers are parsed: a grid with an
 * affine, one element type, and voxels stored raw, compressed or as text, after the header
 * (attached) or in a data file the header names (detached). The format modules turn their
 * header into a RawImageLayout; this module reads or peeks the voxels it describes.
 */
import { MisasInputError } from '../errors';
import { resolveBesideHeader } from '../paths';
import { integerSampleType, sampleTypeOfArray } from '../sampleType';
import { isIntegerArray, type Affine, type Volume, type VoxelArray, type VoxelArrayConstructor } from '../volume';
import { narrowWideIntegers, typedArrayFromBytes } from './bytes';
import { fileSize, readFileHead, readInputFile } from './files';
import { gunzipOrInflate } from './gzip';
import { DEFAULT_MAX_BYTES, checkDataSize, formatBytes, formatDims, type ReadImageOptions } from './options';
import type { ImagePeek } from './peek';

export interface ElementType {
  /** 'int16', 'float32' … */
  name: string;
  bytes: number;
  /** The array the reader returns; 64-bit integers are narrowed (int32, uint32 or float64). */
  ArrayType: VoxelArrayConstructor;
  /** Set for 64-bit integers. */
  wide?: { signed: boolean };
}

export const ELEMENT_TYPES = {
  int8: { name: 'int8', bytes: 1, ArrayType: Int8Array },
  uint8: { name: 'uint8', bytes: 1, ArrayType: Uint8Array },
  int16: { name: 'int16', bytes: 2, ArrayType: Int16Array },
  uint16: { name: 'uint16', bytes: 2, ArrayType: Uint16Array },
  int32: { name: 'int32', bytes: 4, ArrayType: Int32Array },
  uint32: { name: 'uint32', bytes: 4, ArrayType: Uint32Array },
  int64: { name: 'int64', bytes: 8, ArrayType: Float64Array, wide: { signed: true } },
  uint64: { name: 'uint64', bytes: 8, ArrayType: Float64Array, wide: { signed: false } },
  float32: { name: 'float32', bytes: 4, ArrayType: Float32Array },
  float64: { name: 'float64', bytes: 8, ArrayType: Float64Array },
} satisfies Record<string, ElementType>;

/** raw bytes; gzip or zlib (told apart by their headers); text: numbers separated by white space or commas. */
export type VoxelEncoding = 'raw' | 'compressed' | 'text';

export interface RawImageLayout {
  /** The format's name for messages: 'NRRD', 'MetaImage'. */
  format: string;
  /** As the reader returns them: [nx, ny] or [nx, ny, nz] (a single slice is 2D). */
  dims: number[];
  spacing: number[];
  affine: Affine;
  element: ElementType;
  littleEndian: boolean;
  encoding: VoxelEncoding;
  /** Where the voxels are: after the header at byte `start` of the header's file, or in a data file it names. */
  data: { start: number } | { file: string };
  /** Text lines to skip at the start of the data (NRRD "line skip"), before decompressing. */
  lineSkip: number;
  /** Bytes to skip after the lines (and after decompressing); −1: the voxels are the last bytes of a raw file. */
  byteSkip: number;
}

/** How far a header may reach into its file: a header this long is not a header. */
export const MAX_HEADER_BYTES = 1024 * 1024;

/** The data file of a detached header, bounded by the header's folder (paths.ts). */
export function detachedDataFile(header: string, named: string): { file: string } {
  return { file: resolveBesideHeader(header, named, 'its data file') };
}

/**
 * Runs `use`, turning a problem of a detached data file into the header's: the user named the
 * header, and the message says which data file it names.
 */
async function ofDataFile<T>(header: string, layout: RawImageLayout, use: () => Promise<T>): Promise<T> {
  try {
    return await use();
  } catch (thrown) {
    if (!(thrown instanceof MisasInputError) || 'start' in layout.data) throw thrown;
    throw new MisasInputError(header, `its data file ${layout.data.file}: ${thrown.problem}`, { cause: thrown });
  }
}

async function dataFileBytes(header: string, layout: RawImageLayout, fileBytes: Uint8Array): Promise<Uint8Array> {
  const data = layout.data;
  if ('start' in data) return fileBytes.subarray(data.start);
  return ofDataFile(header, layout, () => readInputFile(data.file));
}

/** The bytes after `lines` newlines. */
function afterLines(header: string, bytes: Uint8Array, lines: number): Uint8Array {
  let position = 0;
  for (let line = 0; line < lines; line++) {
    const end = bytes.indexOf(0x0a, position);
    if (end < 0) throw new MisasInputError(header, `"line skip: ${lines}" skips past the end of the data`);
    position = end + 1;
  }
  return bytes.subarray(position);
}

function voxelCountOf(layout: RawImageLayout): number {
  return layout.dims.reduce((product, n) => product * n, 1);
}

function declared(layout: RawImageLayout): string {
  const bytes = voxelCountOf(layout) * layout.element.bytes;
  return `${formatDims(layout.dims)} ${layout.element.name} voxels = ${formatBytes(bytes)}`;
}

function truncated(header: string, layout: RawImageLayout, available: number): MisasInputError {
  return new MisasInputError(
    header,
    `truncated or inconsistent ${layout.format}: the header declares ${declared(layout)}, but the data holds only ${formatBytes(Math.max(0, available))}`,
  );
}

/** The voxels' bytes, skipped, decompressed and checked for length. */
async function voxelBytes(
  header: string,
  layout: RawImageLayout,
  stored: Uint8Array,
  maxBytes: number,
): Promise<Uint8Array> {
  const needed = voxelCountOf(layout) * layout.element.bytes;
  let bytes = afterLines(header, stored, layout.lineSkip);
  if (layout.encoding === 'compressed') {
    // Stop soon after what the header declares: a damaged file or a compression bomb is not inflated to the memory limit.
    const limit = Math.min(maxBytes, needed) + Math.max(0, layout.byteSkip) + 1024;
    const reason = `though the header declares ${declared(layout)}: a damaged file or a compression bomb`;
    bytes = await ofDataFile(header, layout, () => gunzipOrInflate(header, bytes, limit, reason));
  }
  const start = layout.byteSkip < 0 ? bytes.length - needed : layout.byteSkip;
  if (start < 0 || bytes.length - start < needed) throw truncated(header, layout, bytes.length - Math.max(0, start));
  return bytes.subarray(start, start + needed);
}

/** Numbers separated by white space or commas (NRRD "text", MetaImage "BinaryData = False"). */
function parseText(header: string, layout: RawImageLayout, bytes: Uint8Array): VoxelArray {
  const count = voxelCountOf(layout);
  const words = Buffer.from(afterLines(header, bytes, layout.lineSkip))
    .toString('latin1')
    .split(/[\s,]+/)
    .filter(Boolean);
  if (words.length < count) {
    throw new MisasInputError(
      header,
      `truncated or inconsistent ${layout.format}: the header declares ${formatDims(layout.dims)} = ${count} values, but the text data holds ${words.length}`,
    );
  }
  const data = new layout.element.ArrayType(count);
  for (let i = 0; i < count; i++) {
    const value = Number(words[i]);
    if (Number.isNaN(value) && !/^[+-]?nan$/i.test(words[i]))
      throw new MisasInputError(header, `text data: value ${i} ("${words[i].slice(0, 20)}") is not a number`);
    data[i] = value;
    // An integer type stores what it can hold; a value it cannot is an inconsistent header, not a wrap-around.
    if (isIntegerArray(data) && data[i] !== value)
      throw new MisasInputError(
        header,
        `text data: value ${i} (${words[i]}) does not fit the type ${layout.element.name}`,
      );
  }
  return data;
}

function decode(header: string, layout: RawImageLayout, bytes: Uint8Array): VoxelArray {
  const { element } = layout;
  if (!element.wide) return typedArrayFromBytes(bytes, element.ArrayType, layout.littleEndian);
  const narrowed = narrowWideIntegers(bytes, element.wide.signed, layout.littleEndian);
  if (!narrowed) {
    throw new MisasInputError(
      header,
      `${element.name} voxels beyond ±2^53 cannot be represented exactly; store the image as int32 or float64`,
    );
  }
  return narrowed;
}

export async function readRawImage(
  header: string,
  fileBytes: Uint8Array,
  layout: RawImageLayout,
  options: ReadImageOptions,
): Promise<Volume> {
  checkDataSize(header, layout.dims, layout.element.bytes, options);
  const stored = await dataFileBytes(header, layout, fileBytes);
  const data =
    layout.encoding === 'text'
      ? parseText(header, layout, stored)
      : decode(header, layout, await voxelBytes(header, layout, stored, options.maxBytes ?? DEFAULT_MAX_BYTES));
  const wide = layout.element.wide;
  const sampleType = wide ? integerSampleType(64, wide.signed) : sampleTypeOfArray(data);
  return {
    data,
    dims: [...layout.dims],
    spacing: [...layout.spacing],
    affine: layout.affine.map((row) => [...row]),
    channels: 1,
    ...(sampleType ? { sampleType } : {}),
  };
}

/** What a header's peek reads first: headers are a few hundred bytes; a dataset's peeks add up. */
const FIRST_HEAD_BYTES = 64 * 1024;

/**
 * The first bytes of a header's file, enough for its header (`ended` says whether a head holds
 * all of it: else up to MAX_HEADER_BYTES are read), and whether that is the whole file.
 */
export async function readHeaderHead(
  file: string,
  ended: (head: Uint8Array) => boolean,
): Promise<{ head: Buffer; complete: boolean }> {
  const first = await readFileHead(file, FIRST_HEAD_BYTES + 1);
  if (first.length === 0) throw new MisasInputError(file, 'the file is empty (0 bytes)');
  if (first.length <= FIRST_HEAD_BYTES) return { head: first, complete: true };
  if (ended(first.subarray(0, FIRST_HEAD_BYTES))) return { head: first.subarray(0, FIRST_HEAD_BYTES), complete: false };
  const longer = await readFileHead(file, MAX_HEADER_BYTES + 1);
  return { head: longer.subarray(0, MAX_HEADER_BYTES), complete: longer.length <= MAX_HEADER_BYTES };
}

/**
 * The size of the image without reading its voxels; for raw data, also whether the file holds
 * all of them (compressed and text data can only tell when read).
 */
export async function peekRawImage(header: string, layout: RawImageLayout): Promise<ImagePeek> {
  if (layout.encoding === 'raw') {
    const data = layout.data;
    const available =
      'start' in data
        ? (await fileSize(header)) - data.start
        : await ofDataFile(header, layout, () => fileSize(data.file));
    // Lines to skip are short; their bytes are only known on reading.
    const needed = voxelCountOf(layout) * layout.element.bytes + Math.max(0, layout.byteSkip);
    if (available < needed) throw truncated(header, layout, available - Math.max(0, layout.byteSkip));
  }
  return { dims: [...layout.dims], spacing: [...layout.spacing], channels: 1, bytesPerVoxel: layout.element.bytes };
}
