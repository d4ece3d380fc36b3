/**
 * MetaImage reader (ITK's MetaIO: .mha with the voxels after the header, "ElementDataFile =
 * LOCAL"; .mhd naming a .raw, or a .zraw with "CompressedData = True"): one value per voxel, the
 * element types of ELEMENT_TYPES, either byte order, binary or text, 2D and 3D. Geometry from
 * Offset (the first voxel's centre), TransformMatrix (one direction per voxel axis, axis after
 * axis, as ITK's MetaImageIO reads it) and ElementSpacing, all in ITK's LPS world, mapped to RAS.
 * AnatomicalOrientation only describes TransformMatrix (ITK writes it from the directions and
 * reads the directions alone), so it is not read.
 */
import { MisasInputError } from '../errors';
import type { Volume } from '../volume';
import type { ReadImageOptions } from './options';
import type { ImagePeek } from './peek';
import {
  ELEMENT_TYPES,
  detachedDataFile,
  peekRawImage,
  readHeaderHead,
  readRawImage,
  type ElementType,
  type RawImageLayout,
} from './raw-image';
import { affineFromSteps } from './world-affine';

const TYPES: Record<string, ElementType> = {
  MET_CHAR: ELEMENT_TYPES.int8,
  MET_UCHAR: ELEMENT_TYPES.uint8,
  MET_SHORT: ELEMENT_TYPES.int16,
  MET_USHORT: ELEMENT_TYPES.uint16,
  MET_INT: ELEMENT_TYPES.int32,
  MET_UINT: ELEMENT_TYPES.uint32,
  // MetaIO's MET_LONG is 4 bytes; MET_LONG_LONG is 8.
  MET_LONG: ELEMENT_TYPES.int32,
  MET_ULONG: ELEMENT_TYPES.uint32,
  MET_LONG_LONG: ELEMENT_TYPES.int64,
  MET_ULONG_LONG: ELEMENT_TYPES.uint64,
  MET_FLOAT: ELEMENT_TYPES.float32,
  MET_DOUBLE: ELEMENT_TYPES.float64,
};

/** MetaIO's synonyms, each → the name used here. */
const ALIASES: Record<string, string> = {
  origin: 'offset',
  position: 'offset',
  rotation: 'transformmatrix',
  orientation: 'transformmatrix',
  elementbyteordermsb: 'binarydatabyteordermsb',
};

type Fields = Map<string, string>;

function invalid(file: string, problem: string): MisasInputError {
  return new MisasInputError(file, `invalid MetaImage header: ${problem}`);
}

/**
 * "Key = Value" lines up to ElementDataFile, which MetaIO writes last: the voxels of a .mha
 * start after its line. Keys are compared without case.
 */
function parseHeader(file: string, bytes: Uint8Array, complete: boolean): { fields: Fields; dataStart: number } {
  const fields: Fields = new Map();
  let position = 0;
  while (position < bytes.length) {
    let end = bytes.indexOf(0x0a, position);
    if (end < 0) {
      if (!complete) break;
      end = bytes.length;
    }
    const line = Buffer.from(bytes.subarray(position, end)).toString('latin1').replace(/\r$/, '');
    position = end + 1;
    if (line.trim() === '') continue;
    const equals = line.indexOf('=');
    if (equals < 0) {
      if (fields.size === 0)
        throw new MisasInputError(file, 'not a MetaImage file (it does not start with "Key = Value" lines)');
      throw invalid(file, `the line "${line.slice(0, 60)}" is not "Key = Value"`);
    }
    const key = line.slice(0, equals).trim().toLowerCase();
    fields.set(ALIASES[key] ?? key, line.slice(equals + 1).trim());
    if (key === 'elementdatafile') return { fields, dataStart: Math.min(position, bytes.length) };
  }
  if (fields.size === 0)
    throw new MisasInputError(file, 'not a MetaImage file (it does not start with "Key = Value" lines)');
  throw invalid(
    file,
    complete
      ? 'no ElementDataFile line (it names the data file, or LOCAL)'
      : 'no ElementDataFile line in its first 1 MiB',
  );
}

function numbers(file: string, fields: Fields, key: string, name: string, count: number, fallback: number[]): number[] {
  const text = fields.get(key);
  if (text === undefined) return fallback;
  const values = text.split(/\s+/).map(Number);
  if (values.length < count || values.slice(0, count).some((value) => !Number.isFinite(value))) {
    throw invalid(file, `${name} = "${text}" is not ${count} numbers`);
  }
  return values.slice(0, count);
}

function isTrue(fields: Fields, key: string, fallback: boolean): boolean {
  const text = fields.get(key)?.toLowerCase();
  return text === undefined ? fallback : text === 'true' || text === '1';
}

/** The header of a MetaImage file as a RawImageLayout; `complete`: `bytes` is the whole file. */
export function metaImageLayout(file: string, bytes: Uint8Array, complete: boolean): RawImageLayout {
  const { fields, dataStart } = parseHeader(file, bytes, complete);
  const objectType = fields.get('objecttype');
  if (objectType !== undefined && objectType.toLowerCase() !== 'image') {
    throw new MisasInputError(file, `MetaImage ObjectType "${objectType}" is not an Image`);
  }
  const ndims = Number(fields.get('ndims'));
  if (!fields.has('ndims')) throw invalid(file, 'the required field NDims is missing');
  if (ndims !== 2 && ndims !== 3)
    throw new MisasInputError(file, `MetaImage of NDims = ${fields.get('ndims')}; misas reads 2D and 3D images`);
  const sizes = numbers(file, fields, 'dimsize', 'DimSize', ndims, []);
  if (sizes.length === 0) throw invalid(file, 'the required field DimSize is missing');
  if (sizes.some((n) => !Number.isInteger(n) || n < 1))
    throw invalid(file, `DimSize = "${fields.get('dimsize')}" has a size below 1 or a fraction`);

  const typeText = fields.get('elementtype');
  if (typeText === undefined) throw invalid(file, 'the required field ElementType is missing');
  const channels = Number(fields.get('elementnumberofchannels') ?? 1);
  if (typeText.toUpperCase().endsWith('_ARRAY') || channels !== 1) {
    throw new MisasInputError(
      file,
      `MetaImage with ${channels === 1 ? 'vector' : channels} values per voxel (ElementType ${typeText}); misas reads one value per voxel — extract one component first`,
    );
  }
  const element = TYPES[typeText.toUpperCase()];
  if (!element) {
    throw new MisasInputError(
      file,
      `unsupported MetaImage ElementType "${typeText}" (read: ${Object.keys(TYPES).join(', ')})`,
    );
  }

  const spacing = numbers(file, fields, 'elementspacing', 'ElementSpacing', ndims, Array<number>(ndims).fill(1));
  const offset = numbers(file, fields, 'offset', 'Offset', ndims, Array<number>(ndims).fill(0));
  const identity = Array.from({ length: ndims * ndims }, (_, i) => (i % (ndims + 1) === 0 ? 1 : 0));
  const matrix = numbers(file, fields, 'transformmatrix', 'TransformMatrix', ndims * ndims, identity);
  // TransformMatrix holds axis i's direction at [i·n … i·n + n) (ITK's MetaImageIO reads it so).
  const steps = spacing.map((size, axis) =>
    matrix.slice(axis * ndims, (axis + 1) * ndims).map((value) => value * size),
  );
  const dims = [...sizes];
  if (dims.length === 3 && dims[2] === 1) dims.pop();

  const dataFile = fields.get('elementdatafile')!;
  if (/^LIST\b/i.test(dataFile) || dataFile.includes('%')) {
    throw new MisasInputError(
      file,
      `ElementDataFile = "${dataFile}" spreads the voxels over several files; misas reads one data file (a .mha, or a .mhd with one .raw)`,
    );
  }
  const binary = isTrue(fields, 'binarydata', true);
  const compressed = isTrue(fields, 'compresseddata', false);
  const headerSize = Number(fields.get('headersize') ?? 0);
  if (!Number.isInteger(headerSize) || headerSize < -1)
    throw invalid(file, `HeaderSize = "${fields.get('headersize')}" is not −1 or a byte count`);
  const attached = dataFile.toUpperCase() === 'LOCAL';
  return {
    format: 'MetaImage',
    dims,
    spacing: spacing.map((size) => Math.abs(size) || 1).slice(0, dims.length),
    affine: affineFromSteps(steps, offset, 'LPS'),
    element,
    littleEndian: !isTrue(fields, 'binarydatabyteordermsb', false),
    encoding: !binary ? 'text' : compressed ? 'compressed' : 'raw',
    data: attached ? { start: dataStart } : detachedDataFile(file, dataFile),
    lineSkip: 0,
    byteSkip: attached ? 0 : headerSize,
  };
}

export async function readMetaImage(file: string, bytes: Uint8Array, options: ReadImageOptions = {}): Promise<Volume> {
  return readRawImage(file, bytes, metaImageLayout(file, bytes, true), options);
}

export async function peekMetaImage(file: string): Promise<ImagePeek> {
  // The header ends after its ElementDataFile line.
  const { head, complete } = await readHeaderHead(file, (bytes) =>
    /(^|\n)\s*ElementDataFile\s*=[^\n]*\n/i.test(Buffer.from(bytes).toString('latin1')),
  );
  return peekRawImage(file, metaImageLayout(file, head, complete));
}
