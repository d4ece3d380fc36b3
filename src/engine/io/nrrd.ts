/**
 * NRRD reader (.nrrd with attached data, .nhdr with a detached data file): raw, gzip or text
 * encodings, either byte order, the element types of ELEMENT_TYPES, 2D and 3D, one value per
 * voxel. Geometry from "space" (right-anterior-superior, left-anterior-superior or
 * left-posterior-superior), "space directions" and "space origin", mapped to RAS; a header
 * without a space gives "spacings" on the diagonal, as a NIfTI without sform or qform gives
 * pixdim.
 */
import { MisasInputError } from '../errors';
import type { Volume } from '../volume';
import { NRRD_TYPES, parseNrrdHeaderText, parseQuotedWords, parseVectors } from './nrrd-header';
import type { ReadImageOptions } from './options';
import type { ImagePeek } from './peek';
import {
  ELEMENT_TYPES,
  detachedDataFile,
  peekRawImage,
  readHeaderHead,
  readRawImage,
  type RawImageLayout,
  type VoxelEncoding,
} from './raw-image';
import { affineFromSteps, stepLengths, type AnatomicalSpace } from './world-affine';

/** The spaces with anatomical axes, by every name NRRD gives them ("-time" spaces add a 4th coordinate). */
const SPACES: Record<string, AnatomicalSpace> = {
  'right-anterior-superior': 'RAS',
  ras: 'RAS',
  'left-anterior-superior': 'LAS',
  las: 'LAS',
  'left-posterior-superior': 'LPS',
  lps: 'LPS',
  'right-anterior-superior-time': 'RAS',
  rast: 'RAS',
  'left-anterior-superior-time': 'LAS',
  last: 'LAS',
  'left-posterior-superior-time': 'LPS',
  lpst: 'LPS',
};

const ENCODINGS: Record<string, VoxelEncoding> = {
  raw: 'raw',
  gz: 'compressed',
  gzip: 'compressed',
  txt: 'text',
  text: 'text',
  ascii: 'text',
};

/** Space units → mm. */
const UNIT_TO_MM: Record<string, number> = {
  '': 1,
  mm: 1,
  millimeter: 1,
  millimeters: 1,
  m: 1000,
  cm: 10,
  um: 0.001,
  µm: 0.001,
};

/** Axis kinds that hold something other than positions (vectors, colours, tensors, time…). */
const SPATIAL_KINDS = new Set(['domain', 'space', '???', 'none']);

type Fields = Map<string, string>;

function invalid(file: string, problem: string): MisasInputError {
  return new MisasInputError(file, `invalid NRRD header: ${problem}`);
}

function required(file: string, fields: Fields, name: string): string {
  const value = fields.get(name);
  if (value === undefined) throw invalid(file, `the required field "${name}" is missing`);
  return value;
}

function integerField(file: string, fields: Fields, name: string, fallback: number, min: number): number {
  const text = fields.get(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw invalid(file, `${name}: "${text}" is not an integer ≥ ${min}`);
  return value;
}

function elementOf(file: string, fields: Fields) {
  const text = required(file, fields, 'type');
  const name = NRRD_TYPES[text.toLowerCase().replace(/\s+/g, ' ')];
  if (!name) {
    const known = 'int8, uint8, int16, uint16, int32, uint32, int64, uint64, float, double';
    throw new MisasInputError(file, `unsupported NRRD type "${text}" (read: ${known})`);
  }
  return ELEMENT_TYPES[name as keyof typeof ELEMENT_TYPES];
}

function encodingOf(file: string, fields: Fields): VoxelEncoding {
  const text = required(file, fields, 'encoding').toLowerCase();
  const encoding = ENCODINGS[text];
  if (!encoding) {
    throw new MisasInputError(
      file,
      `unsupported NRRD encoding "${text}" (read: raw, gzip, text); re-save it, e.g. teem-unu save -f nrrd -e gzip -i IN -o OUT.nrrd`,
    );
  }
  return encoding;
}

function endiannessOf(file: string, fields: Fields, bytes: number, encoding: VoxelEncoding): boolean {
  const text = fields.get('endian')?.toLowerCase();
  if (text === 'little' || text === 'big') return text === 'little';
  if (text !== undefined) throw invalid(file, `endian: "${text}" (little or big)`);
  if (bytes > 1 && encoding !== 'text')
    throw invalid(file, `the field "endian" is missing (needed for ${bytes}-byte values)`);
  return true;
}

function sizesOf(file: string, fields: Fields): number[] {
  required(file, fields, 'dimension');
  const dimension = integerField(file, fields, 'dimension', 0, 1);
  const text = required(file, fields, 'sizes');
  const sizes = text.split(/\s+/).map(Number);
  if (sizes.length !== dimension || sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    throw invalid(file, `sizes: "${text}" is not ${dimension} integer(s) ≥ 1 (dimension: ${dimension})`);
  }
  return sizes;
}

/** Per axis, its step in world coordinates, or null for an axis that is not spatial; and the space. */
function stepsOf(
  file: string,
  fields: Fields,
  sizes: number[],
): { steps: (number[] | null)[]; space: AnatomicalSpace; origin: number[] } {
  const spaceText = fields.get('space');
  const directionsText = fields.get('space directions');
  if (spaceText === undefined && fields.has('space dimension')) {
    throw new MisasInputError(
      file,
      'the NRRD names a "space dimension" but no anatomical "space", so which side is the patient\'s left cannot be told; ' +
        'give it "space: left-posterior-superior" (as ITK assumes) or "right-anterior-superior" if that is what its directions are in',
    );
  }
  if (spaceText === undefined) {
    // No world space: spacings (1 mm when missing or "nan") on the diagonal, non-spatial kinds set apart.
    const kinds = fields.has('kinds') ? parseQuotedWords(fields.get('kinds')!) : [];
    const spacings = fields.has('spacings') ? fields.get('spacings')!.split(/\s+/).map(Number) : [];
    let axis = 0;
    const steps = sizes.map((_, i) => {
      if (kinds[i] !== undefined && !SPATIAL_KINDS.has(kinds[i].toLowerCase())) return null;
      const spacing = Number.isFinite(spacings[i]) && spacings[i] !== 0 ? spacings[i] : 1;
      const step = [0, 0, 0];
      step[Math.min(axis++, 2)] = spacing;
      return step;
    });
    return { steps, space: 'RAS', origin: [0, 0, 0] };
  }
  const space = SPACES[spaceText.toLowerCase()];
  if (!space) {
    throw new MisasInputError(
      file,
      `NRRD space "${spaceText}" has no anatomical axes, so which side is the patient's left cannot be told; ` +
        'read are right-anterior-superior, left-anterior-superior and left-posterior-superior (ITK assumes the last for others)',
    );
  }
  const dimensions = spaceText.toLowerCase().endsWith('time') || /^(rast|last|lpst)$/i.test(spaceText) ? 4 : 3;
  if (directionsText === undefined) throw invalid(file, `space "${spaceText}" without "space directions"`);
  const vectors = parseVectors(directionsText);
  const bad = vectors.findIndex((vector) => vector === undefined || (vector !== null && vector.length !== dimensions));
  if (vectors.length !== sizes.length || bad >= 0) {
    throw invalid(
      file,
      `space directions: "${directionsText}" must be ${sizes.length} vector(s) of ${dimensions} numbers "(x,y,z)" or "none"`,
    );
  }
  const originText = fields.get('space origin');
  const origin = originText === undefined ? Array<number>(dimensions).fill(0) : parseVectors(originText)[0];
  if (!origin || origin.length !== dimensions)
    throw invalid(file, `space origin: "${originText}" is not a vector of ${dimensions} numbers`);
  const factors = spaceUnitFactors(file, fields);
  const scale = (vector: number[]) => vector.slice(0, 3).map((value, i) => value * factors[i]);
  return {
    steps: (vectors as (number[] | null)[]).map((vector) => vector && scale(vector)),
    space,
    origin: scale(origin),
  };
}

/** mm per unit of the three spatial coordinates (a "-time" space's fourth unit is a time's). */
function spaceUnitFactors(file: string, fields: Fields): number[] {
  const text = fields.get('space units');
  if (text === undefined) return [1, 1, 1];
  const units = parseQuotedWords(text);
  return Array.from({ length: 3 }, (_, i) => {
    const factor = UNIT_TO_MM[(units[i] ?? '').toLowerCase()];
    if (factor === undefined)
      throw new MisasInputError(file, `NRRD space units "${units[i]}" are not a length misas knows (mm, cm, m, um)`);
    return factor;
  });
}

/** The header of a NRRD file as a RawImageLayout; `complete`: `bytes` is the whole file. */
export function nrrdLayout(file: string, bytes: Uint8Array, complete: boolean): RawImageLayout {
  const { fields, dataStart } = parseNrrdHeaderText(file, bytes, complete);
  const sizes = sizesOf(file, fields);
  const element = elementOf(file, fields);
  const encoding = encodingOf(file, fields);
  const littleEndian = endiannessOf(file, fields, element.bytes, encoding);
  const { steps, space, origin } = stepsOf(file, fields, sizes);

  // Axes that are not positions (a vector's components, colours, time) are one value each: only size 1 is read.
  const other = steps.findIndex((step, axis) => step === null && sizes[axis] > 1);
  if (other >= 0) {
    const kind = fields.has('kinds') ? ` (kind ${parseQuotedWords(fields.get('kinds')!)[other] ?? 'unknown'})` : '';
    throw new MisasInputError(
      file,
      `NRRD axis ${other}${kind} holds ${sizes[other]} values per voxel; misas reads one value per voxel — keep one, e.g. teem-unu slice -a ${other} -p 0`,
    );
  }
  const spatial = steps.flatMap((step, axis) => (step ? [{ step, size: sizes[axis] }] : []));
  if (spatial.length < 2 || spatial.length > 3) {
    throw new MisasInputError(file, `the NRRD has ${spatial.length} spatial axes; misas reads 2D and 3D images`);
  }
  // A single slice is 2D, as a NIfTI with nz = 1 is; its affine keeps the slice's third axis.
  const dims = spatial.map((axis) => axis.size);
  if (dims.length === 3 && dims[2] === 1) dims.pop();
  const allSteps = spatial.map((axis) => axis.step);
  const lengths = stepLengths(allSteps).map((length) => (length > 0 ? length : 1));

  const dataFileText = fields.get('data file');
  if (dataFileText !== undefined && (/^LIST/.test(dataFileText) || dataFileText.includes('%'))) {
    throw new MisasInputError(
      file,
      `data file: "${dataFileText}" spreads the voxels over several files; misas reads one data file — join them, e.g. teem-unu join`,
    );
  }
  if (dataFileText === undefined && dataStart === undefined)
    throw invalid(file, 'no data: neither a "data file" nor an empty line before attached data');
  const byteSkip = integerField(file, fields, 'byte skip', 0, -1);
  if (byteSkip < 0 && encoding !== 'raw') throw invalid(file, '"byte skip: -1" is only allowed with raw encoding');
  return {
    format: 'NRRD',
    dims,
    spacing: lengths.slice(0, dims.length),
    affine: affineFromSteps(allSteps, origin, space),
    element,
    littleEndian,
    encoding,
    data: dataFileText === undefined ? { start: dataStart! } : detachedDataFile(file, dataFileText),
    lineSkip: integerField(file, fields, 'line skip', 0, 0),
    byteSkip,
  };
}

export async function readNrrd(file: string, bytes: Uint8Array, options: ReadImageOptions = {}): Promise<Volume> {
  return readRawImage(file, bytes, nrrdLayout(file, bytes, true), options);
}

export async function peekNrrd(file: string): Promise<ImagePeek> {
  // The header ends at its first empty line.
  const { head, complete } = await readHeaderHead(file, (bytes) =>
    /\n\r?\n/.test(Buffer.from(bytes).toString('latin1')),
  );
  return peekRawImage(file, nrrdLayout(file, head, complete));
}
