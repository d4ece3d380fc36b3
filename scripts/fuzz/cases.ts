/**
 * The fuzzer's cases: seed files per reader and seeded mutations of them (byte flips,
 * truncations, splices, header-field mutations, JSON edits), and one case run through the
 * reader the way misas reads an input. A case passes when the reader returns or throws the
 * project's MisasInputError naming the file; anything else thrown is a finding.
 *
 * Case `i` of seed `s` is a pure function of (s, i): `npm run fuzz -- --seed s --case i --save DIR`
 * reproduces it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, gunzipSync, gzipSync } from 'node:zlib';
import { MisasInputError } from '../../src/engine/errors';
import {
  encodeNifti,
  encodePng,
  readDicom,
  readMetaImage,
  readNifti,
  readNrrd,
  readPng,
  toLabelMap,
} from '../../src/engine/io';
import { crc32 } from '../../src/engine/io/png-chunks';
import { parseJsonText } from '../../src/engine/json';
import { createRandom, deriveSeed, type Random } from '../../src/engine/random';
import { resolveExperiment } from '../../src/engine/sweep/experiment/load';
import { checkFiniteImage } from '../../src/engine/sweep/run/loadInput';
import type { Volume, VoxelArray } from '../../src/engine/volume';

export const FORMATS = ['nifti', 'png', 'dicom', 'nrrd', 'metaimage', 'experiment'] as const;
export type FuzzFormat = (typeof FORMATS)[number];

export interface FuzzCase {
  id: number;
  format: FuzzFormat;
  /** File name the reader is given (its extension matters for .nii.gz). */
  name: string;
  mutation: string;
  bytes: Uint8Array;
}

export type Outcome =
  { kind: 'ok' } | { kind: 'refused'; message: string } | { kind: 'crash'; message: string; stack: string };

const ROOT = join(import.meta.dirname, '..', '..');
const DATA = join(ROOT, 'test', 'data');
/** Readers refuse voxel data above this, so that a mutated dim costs a message, not the machine's memory. */
const MAX_BYTES = 64 * 2 ** 20;

interface Seed {
  format: FuzzFormat;
  name: string;
  bytes: Uint8Array;
}

function volume(data: VoxelArray, dims: number[], affine?: number[][]): Volume {
  return {
    data,
    dims,
    spacing: dims.map(() => 1),
    affine: affine ?? [
      [1, 0, 0, 2],
      [0, 1, 0, 3],
      [0, 0, 1, 4],
      [0, 0, 0, 1],
    ],
    channels: 1,
  };
}

const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

/** A 6×5 float32 NRRD in text encoding with an oblique LPS geometry (every header field set). */
function smallNrrd(values: Float32Array): Uint8Array {
  const header =
    'NRRD0005\n# fuzz seed\ntype: float\ndimension: 2\nsizes: 6 5\nspace: left-posterior-superior\n' +
    'space directions: (0.6,0.8,0) (-0.8,0.6,0)\nspace origin: (1,2,3)\nspace units: "mm" "mm" "mm"\n' +
    'kinds: domain domain\nendian: little\nencoding: text\n\n';
  return concat(new TextEncoder().encode(header + Array.from(values).join(' ') + '\n'));
}

/** A 6×5×1 MetaImage with zlib-compressed int16 data and a TransformMatrix. */
function smallMetaImage(values: Float32Array): Uint8Array {
  const data = deflateSync(new Uint8Array(Int16Array.from(values).buffer));
  const header =
    'ObjectType = Image\nNDims = 3\nBinaryData = True\nBinaryDataByteOrderMSB = False\nCompressedData = True\n' +
    `CompressedDataSize = ${data.length}\nTransformMatrix = 0 1 0 1 0 0 0 0 -1\nOffset = 5 -6 7\n` +
    'ElementSpacing = 0.5 2 3\nDimSize = 6 5 1\nElementType = MET_SHORT\nElementDataFile = LOCAL\n';
  return concat(new TextEncoder().encode(header), data);
}

let seedCache: Seed[] | undefined;

/** Valid files of every kind the readers take: generated here, plus the readers' test data. */
export function seeds(): Seed[] {
  if (seedCache) return seedCache;
  const file = (...parts: string[]) => new Uint8Array(readFileSync(join(DATA, ...parts)));
  const ramp = (n: number) => Float32Array.from({ length: n }, (_, i) => (i * 37) % 101);
  const nifti3d = encodeNifti(volume(Int16Array.from(ramp(6 * 5 * 4)), [6, 5, 4]));
  const nifti2d = encodeNifti(volume(ramp(12 * 9), [12, 9]));
  const experiment = {
    name: 'fuzz',
    model: 'model.onnx',
    inputs: [{ image: 'image.nii', mask: 'mask.nii', slices: [0, 1], frame: 0 }],
    series: [
      { transform: 'rotate', start: -10, stop: 10, step: 5 },
      { transform: 'gamma', values: [0.5, 1, 2] },
      { transform: 'brightness', start: 0.25, stop: 4, steps: 5, scale: 'log' },
      { transform: 'blur', params: {} },
    ],
    metrics: ['dice'],
    seed: 3,
    tolerance: 0.9,
  };
  seedCache = [
    { format: 'nifti', name: 'image.nii', bytes: nifti3d },
    { format: 'nifti', name: 'image.nii', bytes: nifti2d },
    { format: 'nifti', name: 'image.nii.gz', bytes: new Uint8Array(gzipSync(nifti2d)) },
    { format: 'nifti', name: 'image.nii', bytes: file('nifti', 'float32_nifti2.nii') },
    { format: 'nifti', name: 'image.nii', bytes: file('nifti', 'int16_be_scaled_qform.nii') },
    { format: 'png', name: 'image.png', bytes: encodePng('x.png', volume(Uint8Array.from(ramp(10 * 7)), [10, 7])) },
    ...['grey1.png', 'grey16.png', 'palette.png', 'grey_alpha.png', 'grey8_dpi.png'].map((name) => ({
      format: 'png' as const,
      name: 'image.png',
      bytes: file('png', name),
    })),
    ...['explicit_le_uint8.dcm', 'implicit_le_uint16.dcm', 'explicit_be_int16_rescale.dcm', 'explicit_le_rgb.dcm'].map(
      (name) => ({ format: 'dicom' as const, name: 'image.dcm', bytes: file('dicom', name) }),
    ),
    ...['crop_oblique.nrrd', 'crop_oblique_int16_big_raw.nrrd', 'crop_spacings.nrrd'].map((name) => ({
      format: 'nrrd' as const,
      name: 'image.nrrd',
      bytes: file('nrrd-metaimage', name),
    })),
    { format: 'nrrd', name: 'image.nrrd', bytes: smallNrrd(ramp(6 * 5)) },
    ...['crop_oblique.mha', 'slice_z68.mha'].map((name) => ({
      format: 'metaimage' as const,
      name: 'image.mha',
      bytes: file('nrrd-metaimage', name),
    })),
    { format: 'metaimage', name: 'image.mha', bytes: smallMetaImage(ramp(6 * 5)) },
    {
      format: 'experiment',
      name: 'exp.misas.json',
      bytes: new TextEncoder().encode(JSON.stringify(experiment, null, 2)),
    },
  ];
  return seedCache;
}

const INTERESTING_INT16 = [0, 1, -1, 2, 3, 4, 7, 8, 255, 256, 32767, -32768, 1024, 1280, 16, 64, 2304];
const INTERESTING_FLOAT = [0, -0, 1, -1, 0.5, 1e-30, 1e30, -1e30, NaN, Infinity, -Infinity, 3.4e38, 352, 348, 1e9];
const INTERESTING_UINT32 = [0, 1, 0x7fffffff, 0xffffffff, 0x80000000, 65535, 65536, 1e6];

/** NIfTI-1 header fields: [offset, kind]. dim[0..7], datatype, bitpix, pixdim, vox_offset, scl, codes, srow, magic. */
const NIFTI1_FIELDS: [number, 'i16' | 'f32' | 'u8'][] = [
  ...Array.from({ length: 8 }, (_, i) => [40 + 2 * i, 'i16'] as [number, 'i16']),
  [70, 'i16'],
  [72, 'i16'],
  [252, 'i16'],
  [254, 'i16'],
  [123, 'u8'],
  ...Array.from({ length: 8 }, (_, i) => [76 + 4 * i, 'f32'] as [number, 'f32']),
  [108, 'f32'],
  [112, 'f32'],
  [116, 'f32'],
  ...Array.from({ length: 12 }, (_, i) => [256 + 4 * i, 'f32'] as [number, 'f32']),
  ...Array.from({ length: 12 }, (_, i) => [280 + 4 * i, 'f32'] as [number, 'f32']),
  [0, 'f32'],
  [344, 'u8'],
];

const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random.uniform() * list.length)];
const int = (random: Random, below: number) => Math.floor(random.uniform() * below);

function flipBytes(bytes: Uint8Array, random: Random): [Uint8Array, string] {
  const out = bytes.slice();
  const count = 1 + int(random, 8);
  for (let i = 0; i < count; i++) out[int(random, out.length)] ^= 1 + int(random, 255);
  return [out, `flip ${count} byte(s)`];
}

function truncate(bytes: Uint8Array, random: Random): [Uint8Array, string] {
  const at = random.uniform() < 0.3 ? int(random, Math.min(bytes.length, 400)) : int(random, bytes.length);
  return [bytes.slice(0, at), `truncate at ${at}`];
}

function splice(bytes: Uint8Array, random: Random, other: Uint8Array): [Uint8Array, string] {
  const at = int(random, bytes.length);
  const from = int(random, other.length);
  const length = 1 + int(random, Math.min(256, other.length - from));
  const mode = pick(random, ['insert', 'overwrite', 'delete'] as const);
  if (mode === 'delete')
    return [Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + length)]), `delete ${length} at ${at}`];
  const piece =
    random.uniform() < 0.5 ? other.subarray(from, from + length) : Uint8Array.from({ length }, () => int(random, 256));
  if (mode === 'insert')
    return [Uint8Array.from([...bytes.subarray(0, at), ...piece, ...bytes.subarray(at)]), `insert ${length} at ${at}`];
  const out = bytes.slice();
  out.set(piece.subarray(0, Math.max(0, out.length - at)), at);
  return [out, `overwrite ${length} at ${at}`];
}

function niftiField(bytes: Uint8Array, random: Random): [Uint8Array, string] {
  if (bytes.length < 348 || new DataView(bytes.buffer, bytes.byteOffset).getInt32(0, true) !== 348)
    return flipBytes(bytes, random);
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  const littleEndian = view.getInt32(0, true) === 348;
  const [offset, kind] = pick(random, NIFTI1_FIELDS);
  let value: number;
  if (kind === 'i16') view.setInt16(offset, (value = pick(random, INTERESTING_INT16)), littleEndian);
  else if (kind === 'f32') view.setFloat32(offset, (value = pick(random, INTERESTING_FLOAT)), littleEndian);
  else out[offset] = value = int(random, 256);
  return [out, `NIfTI field at ${offset} = ${value}`];
}

/** Rewrites every complete chunk's CRC, so that a mutation reaches the decoder instead of the CRC check. */
function fixPngCrcs(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let position = 8; position + 12 <= bytes.length;) {
    const length = view.getUint32(position);
    const end = position + 12 + length;
    if (end > bytes.length) break;
    view.setUint32(end - 4, crc32(bytes, position + 4, end - 4));
    position = end;
  }
  return bytes;
}

function pngField(bytes: Uint8Array, random: Random): [Uint8Array, string] {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  if (out.length < 33) return flipBytes(bytes, random);
  const field = pick(random, ['width', 'height', 'depth', 'colour', 'interlace', 'idat'] as const);
  let what: string;
  if (field === 'width' || field === 'height') {
    const value = pick(random, INTERESTING_UINT32);
    view.setUint32(field === 'width' ? 16 : 20, value);
    what = `${field} = ${value}`;
  } else if (field === 'idat') {
    // Re-deflate random bytes as the image data: valid zlib, wrong amount or content.
    const raw = Uint8Array.from({ length: int(random, 400) }, () => int(random, 256));
    const idat = new Uint8Array(deflateSync(raw));
    const chunk = new Uint8Array(12 + idat.length);
    new DataView(chunk.buffer).setUint32(0, idat.length);
    chunk.set([0x49, 0x44, 0x41, 0x54], 4);
    chunk.set(idat, 8);
    const iend = Uint8Array.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0, 0, 0, 0]);
    return [
      fixPngCrcs(Uint8Array.from([...out.subarray(0, 33), ...chunk, ...iend])),
      `IDAT of ${raw.length} random bytes`,
    ];
  } else {
    const offset = { depth: 24, colour: 25, interlace: 28 }[field];
    out[offset] = pick(random, [0, 1, 2, 3, 4, 6, 8, 16, 255]);
    what = `${field} = ${out[offset]}`;
  }
  return [fixPngCrcs(out), `IHDR ${what}`];
}

/** DICOM: overwrite the value of a pixel-description element (rows, columns, bits, frames, samples) where it is found. */
function dicomField(bytes: Uint8Array, random: Random): [Uint8Array, string] {
  const tags = [
    [0x0028, 0x0010],
    [0x0028, 0x0011],
    [0x0028, 0x0100],
    [0x0028, 0x0101],
    [0x0028, 0x0002],
    [0x0028, 0x0103],
    [0x0028, 0x0008],
    [0x7fe0, 0x0010],
    [0x0002, 0x0010],
  ];
  const [group, element] = pick(random, tags);
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  for (let i = 132; i + 12 <= out.length; i++) {
    for (const littleEndian of [true, false]) {
      if (view.getUint16(i, littleEndian) !== group || view.getUint16(i + 2, littleEndian) !== element) continue;
      const at = i + 4 + int(random, 8);
      const value = pick(random, [0, 1, 0xff, 0xffff, 7, 12, 32, 64]);
      view.setUint16(at, value, littleEndian);
      return [out, `DICOM (${group.toString(16)},${element.toString(16)}) byte ${at - i} = ${value}`];
    }
  }
  return flipBytes(bytes, random);
}

const JSON_VALUES: unknown[] = [
  null,
  -1,
  0,
  0.5,
  1e308,
  -1e308,
  'x',
  '',
  [],
  {},
  true,
  [0],
  { transform: 'rotate' },
  'rotate',
  3600.5,
  -3,
];

function jsonStructure(bytes: Uint8Array, random: Random): [Uint8Array, string] {
  const data = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  // A random path into the document, then a random replacement (or deletion) there.
  let node = data as Record<string, unknown>;
  const path: string[] = [];
  for (let depth = 0; depth < 4; depth++) {
    const keys = node && typeof node === 'object' ? Object.keys(node) : [];
    if (!keys.length) break;
    const key = pick(random, keys);
    const child = node[key];
    if (child && typeof child === 'object' && random.uniform() < 0.6) {
      node = child as Record<string, unknown>;
      path.push(key);
      continue;
    }
    path.push(key);
    if (random.uniform() < 0.2) delete node[key];
    else node[key] = pick(random, JSON_VALUES);
    break;
  }
  return [new TextEncoder().encode(JSON.stringify(data)), `JSON ${path.join('.')}`];
}

function jsonText(bytes: Uint8Array, random: Random): [Uint8Array, string] {
  const text = new TextDecoder().decode(bytes);
  const at = int(random, text.length);
  const mode = pick(random, ['delete', 'insert', 'bom', 'comma'] as const);
  const edited =
    mode === 'delete'
      ? text.slice(0, at) + text.slice(at + 1 + int(random, 5))
      : mode === 'insert'
        ? text.slice(0, at) +
          pick(random, ['{', '}', '[', ']', ',', ':', '"', '0', '-', 'e', '\\', '\ufeff', '\u0000']) +
          text.slice(at)
        : mode === 'bom'
          ? '\ufeff' + text
          : text.replace(/(\S)(\s*[}\]])/, '$1,$2');
  return [new TextEncoder().encode(edited), `JSON text ${mode} at ${at}`];
}

const HEADER_VALUES = [
  '0',
  '-1',
  '1',
  '3',
  'nan',
  '',
  '1e9',
  '99999999999999999999',
  '(1,2)',
  'none',
  'LIST',
  '%d',
  '../x.raw',
  'big',
  'gzip',
  'text',
  'MET_CHAR_ARRAY',
  'True',
];

/** A line of a text header (NRRD "field: value", MetaImage "Key = Value") with its value replaced. */
function headerField(bytes: Uint8Array, random: Random): [Uint8Array, string] {
  const text = Buffer.from(bytes).toString('latin1');
  const end = Math.min(text.length, 2048);
  const lines: number[] = [];
  for (let at = text.indexOf('\n'); at >= 0 && at < end; at = text.indexOf('\n', at + 1)) lines.push(at + 1);
  if (lines.length === 0) return flipBytes(bytes, random);
  const start = pick(random, lines);
  const stop = text.indexOf('\n', start);
  const line = text.slice(start, stop < 0 ? text.length : stop);
  const separator = line.includes(': ') ? ': ' : ' = ';
  const key = line.split(separator)[0];
  const value = pick(random, HEADER_VALUES);
  const edited = text.slice(0, start) + `${key}${separator}${value}` + text.slice(start + line.length);
  return [new Uint8Array(Buffer.from(edited, 'latin1')), `header "${key}" = "${value}"`];
}

/** Case `id` of `seed`: a seed file and one to three mutations of it, all drawn from (seed, id). */
export function makeCase(seed: number, id: number, formats: readonly FuzzFormat[] = FORMATS): FuzzCase {
  const random = createRandom(deriveSeed(seed, id));
  const format = formats[id % formats.length];
  const pool = seeds().filter((s) => s.format === format);
  const base = pick(random, pool);
  let bytes = base.bytes;
  const gz = base.name.endsWith('.gz');
  // Mutate what is inside the gzip most of the time; the compressed stream itself otherwise.
  const inner = gz && random.uniform() < 0.7;
  if (inner) bytes = new Uint8Array(gunzipSync(bytes));
  const steps: string[] = [];
  const rounds = 1 + int(random, 3);
  for (let round = 0; round < rounds; round++) {
    const other = pick(random, pool).bytes;
    const choices: Array<() => [Uint8Array, string]> = [
      () => flipBytes(bytes, random),
      () => truncate(bytes, random),
      () => splice(bytes, random, other),
    ];
    if (format === 'nifti')
      choices.push(
        () => niftiField(bytes, random),
        () => niftiField(bytes, random),
      );
    if (format === 'png')
      choices.push(
        () => pngField(bytes, random),
        () => pngField(bytes, random),
        () => [fixPngCrcs(flipBytes(bytes, random)[0]), 'flip, CRCs fixed'],
      );
    if (format === 'dicom')
      choices.push(
        () => dicomField(bytes, random),
        () => dicomField(bytes, random),
      );
    if (format === 'nrrd' || format === 'metaimage')
      choices.push(
        () => headerField(bytes, random),
        () => headerField(bytes, random),
        () => headerField(bytes, random),
      );
    if (format === 'experiment') {
      choices.length = 0;
      choices.push(() => jsonText(bytes, random));
      try {
        JSON.parse(new TextDecoder().decode(bytes));
        choices.push(
          () => jsonStructure(bytes, random),
          () => jsonStructure(bytes, random),
          () => jsonStructure(bytes, random),
        );
      } catch {
        /* already broken text: only text edits */
      }
    }
    const [mutated, step] = pick(random, choices)();
    bytes = mutated;
    steps.push(step);
  }
  if (inner) bytes = new Uint8Array(gzipSync(bytes));
  return {
    id,
    format,
    name: base.name,
    mutation: `${gz ? (inner ? 'inside gzip: ' : 'gzip stream: ') : ''}${steps.join('; ')}`,
    bytes,
  };
}

/**
 * Runs one case as misas reads an input: the reader, then the checks every image gets (finite
 * voxels) and those of a mask (label map). Experiments are parsed and resolved against `dir`,
 * where image.nii and mask.nii exist.
 */
export async function runCase(fuzzCase: FuzzCase, dir: string): Promise<Outcome> {
  const file = join(dir, fuzzCase.name);
  try {
    if (fuzzCase.format === 'experiment') {
      resolveExperiment(parseJsonText(new TextDecoder().decode(fuzzCase.bytes), file), file);
      return { kind: 'ok' };
    }
    const options = { maxBytes: MAX_BYTES, frame: 0 };
    const readers = {
      nifti: readNifti,
      png: readPng,
      dicom: readDicom,
      nrrd: readNrrd,
      metaimage: readMetaImage,
    } as const;
    const image = await readers[fuzzCase.format](file, fuzzCase.bytes, options);
    try {
      toLabelMap(image, file);
    } catch (thrown) {
      if (!(thrown instanceof MisasInputError)) throw thrown;
    }
    checkFiniteImage(image, file);
    return { kind: 'ok' };
  } catch (thrown) {
    if (
      thrown instanceof MisasInputError &&
      thrown.file === file &&
      thrown.message.startsWith(`${file}: `) &&
      thrown.problem.trim() !== ''
    ) {
      return { kind: 'refused', message: thrown.message };
    }
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    return { kind: 'crash', message: `${error.name}: ${error.message}`, stack: error.stack ?? '' };
  }
}
