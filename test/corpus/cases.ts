/**
 * The bad-input corpus: every kind of broken image, mask and experiment a tester threw at the
 * CLI, written into a folder by `writeCorpus` (made here from small generated images and the
 * readers' own test data — no third-party files), one experiment per case, with the message
 * the user must see. Cases whose `expect` is 'ok' check that the guards do not refuse valid
 * input of the same kind (int64 labels, 4D with a frame, a palette mask, a BOM).
 *
 * To add a case: give it a name, the files it needs (`files`), its experiment (`experiment`,
 * or `experimentText` for broken JSON) and what the message says (`file` it names, `pattern`).
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { encode } from 'fast-png';
import { encodeNifti, encodePng } from '../../src/engine/io';
import { crc32 } from '../../src/engine/io/png-chunks';
import type { Volume, VoxelArray } from '../../src/engine/volume';

export const TEST_DATA = join(import.meta.dirname, '..', 'data');
const MODEL = join(TEST_DATA, 'models', 'threshold2d.onnx');
export const SIZE = 16;

export interface CorpusCase {
  name: string;
  /** Files of the case's folder: name → bytes. */
  files: Record<string, Uint8Array>;
  /** The experiment (written as JSON), or its exact text. */
  experiment?: object;
  experimentText?: string;
  /** 'ok', or the file the message must name (relative to the case folder) and what it says. */
  expect: 'ok' | { file: string; pattern: RegExp };
}

export function volume(data: VoxelArray, dims: number[], affine?: number[][]): Volume {
  const spacing = dims.map(() => 1);
  return {
    data,
    dims,
    spacing,
    affine: affine ?? [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ],
    channels: 1,
  };
}

/** A 16×16 float32 image: a bright square on a dark ground (what threshold2d segments). */
export function imageData(count = SIZE * SIZE): Float32Array {
  return Float32Array.from({ length: count }, (_, i) => (i % SIZE > 4 && i % SIZE < 11 ? 3 : 0.2) + (i % 7) * 0.01);
}

export function maskData<T extends VoxelArray>(ArrayType: { from(values: number[]): T }, count = SIZE * SIZE): T {
  return ArrayType.from(Array.from({ length: count }, (_, i) => (i % SIZE > 4 && i % SIZE < 11 ? 2 : 0)));
}

const nii = (v: Volume) => encodeNifti(v);
export const niiGz = (v: Volume) => new Uint8Array(gzipSync(nii(v)));
/** A 16×16 image and its label map (classes 0 and 2), on the same grid, as .nii.gz bytes. */
export const IMAGE = niiGz(volume(imageData(), [SIZE, SIZE]));
export const MASK = niiGz(volume(maskData(Uint8Array), [SIZE, SIZE]));

/** A NIfTI-1 file with header fields patched (little-endian, as encodeNifti writes). */
export function patchedNifti(v: Volume, patch: (view: DataView) => void): Uint8Array {
  const bytes = nii(v).slice();
  patch(new DataView(bytes.buffer));
  return bytes;
}

/** A 4D NIfTI (dim[0] = 4): `frames` copies of a 16×16 image. */
function fourD(frames: number): Uint8Array {
  const data = imageData(SIZE * SIZE * frames);
  return patchedNifti(volume(data, [SIZE, SIZE * frames]), (view) => {
    [4, SIZE, SIZE, 1, frames].forEach((n, i) => view.setInt16(40 + 2 * i, n, true));
  });
}

/** int64 label data in a NIfTI (datatype 1024), values as given. */
function int64Labels(values: number[]): Uint8Array {
  const v = volume(new Float64Array(values), [SIZE, SIZE]);
  return patchedNifti(v, (view) => {
    view.setInt16(70, 1024, true);
    view.setInt16(72, 64, true);
    values.forEach((value, i) => view.setBigInt64(352 + 8 * i, BigInt(value), true));
  });
}

export const PNG_IMAGE = encodePng(
  'image.png',
  volume(
    Uint8Array.from(imageData(), (x) => Math.round(x * 60)),
    [SIZE, SIZE],
  ),
);

/** A palette PNG (colour type 3) whose indices are the mask's classes, with a colourful palette. */
function palettePng(indices: Uint8Array): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const out = new Uint8Array(12 + data.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, data.length);
    out.set(new TextEncoder().encode(type), 4);
    out.set(data, 8);
    view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
    return out;
  };
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, SIZE);
  new DataView(ihdr.buffer).setUint32(4, SIZE);
  ihdr.set([8, 3, 0, 0, 0], 8);
  const raw = new Uint8Array(SIZE * (SIZE + 1));
  for (let y = 0; y < SIZE; y++) raw.set(indices.subarray(y * SIZE, (y + 1) * SIZE), y * (SIZE + 1) + 1);
  const parts = [
    Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('PLTE', Uint8Array.from([0, 0, 0, 255, 0, 0, 0, 255, 0])),
    chunk('IDAT', new Uint8Array(deflateSync(raw))),
    chunk('IEND', new Uint8Array(0)),
  ];
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

function withFlippedByte(bytes: Uint8Array, at: number): Uint8Array {
  const copy = bytes.slice();
  copy[at] ^= 0xff;
  return copy;
}

/** A 16×16 float32 image as NRRD (attached raw data unless the header names a data file). */
function nrrd(data: Float32Array, header = 'encoding: raw', attached = true): Uint8Array {
  const text =
    `NRRD0004\ntype: float\ndimension: 2\nsizes: ${SIZE} ${SIZE}\nspace: left-posterior-superior\n` +
    `space directions: (-1,0,0) (0,-1,0)\nspace origin: (0,0,0)\nendian: little\n${header}\n\n`;
  const bytes = new TextEncoder().encode(text);
  return attached ? new Uint8Array(Buffer.concat([bytes, new Uint8Array(data.buffer)])) : bytes;
}

const ZRAW = deflateSync(new Uint8Array(imageData().buffer));

/** A 16×16 MetaImage header; `data` is attached when the data file is LOCAL. */
function metaImage(type: string, dataFile: string, data?: Uint8Array, extra = ''): Uint8Array {
  const text = `ObjectType = Image\nNDims = 2\nDimSize = ${SIZE} ${SIZE}\n${extra}ElementType = ${type}\nElementDataFile = ${dataFile}\n`;
  const bytes = new TextEncoder().encode(text);
  return data ? new Uint8Array(Buffer.concat([bytes, data])) : bytes;
}

const dicom = (name: string) => new Uint8Array(readFileSync(join(TEST_DATA, 'dicom', name)));
/** The first file of a compressed series (tools/testdata/make_dicom_compressed.py). */
const compressedDicom = (folder: string) => {
  const dir = join(TEST_DATA, 'dicom-compressed', folder);
  return Buffer.from(readFileSync(join(dir, readdirSync(dir).sort()[0])));
};
/** A baseline JPEG file relabelled JPEG Extended (.51; a UID of the same length): a syntax without a decoder. */
function jpegExtended(): Uint8Array {
  const bytes = compressedDicom('jpeg-baseline');
  bytes.write('1.2.840.10008.1.2.4.51', bytes.indexOf('1.2.840.10008.1.2.4.50'));
  return new Uint8Array(bytes);
}
/** A JPEG-LS file whose one fragment lost its second half (the item length says so too): no end marker. */
function truncatedJpegLs(): Uint8Array {
  const bytes = compressedDicom('jpeg-ls');
  const end = bytes.lastIndexOf(Buffer.from([0xfe, 0xff, 0xdd, 0xe0])); // the Sequence Delimitation Item
  const fragmentStart = bytes.lastIndexOf(Buffer.from([0xfe, 0xff, 0x00, 0xe0]), end) + 8;
  const keep = ((end - fragmentStart) >> 2) << 1;
  const cut = Buffer.concat([bytes.subarray(0, fragmentStart + keep), bytes.subarray(end)]);
  cut.writeUInt32LE(keep, fragmentStart - 4);
  return new Uint8Array(cut);
}

/** An experiment on one input with a rotate sweep (the model is never reached by bad inputs). */
function experiment(input: object, series: object[] = [{ transform: 'rotate', values: [0, 10] }]): object {
  return { name: 'corpus', model: 'model.onnx', inputs: [input], series };
}

const EXPERIMENT = 'exp.misas.json';
const oneImage = (image: string, mask?: string, extra: object = {}) =>
  experiment({ image, ...(mask ? { mask } : {}), ...extra });
const fails = (file: string, pattern: RegExp) => ({ file, pattern });

function seriesCase(name: string, series: object, pattern: RegExp): CorpusCase {
  return {
    name,
    files: { 'image.nii.gz': IMAGE },
    experiment: experiment({ image: 'image.nii.gz' }, [series]),
    expect: fails(EXPERIMENT, pattern),
  };
}

export function corpusCases(): CorpusCase[] {
  const nan = imageData();
  for (let i = 0; i < 12; i++) nan[i * 3] = NaN;
  const inf = imageData();
  inf[5] = Infinity;
  inf[6] = -Infinity;
  const fractional = Float32Array.from(maskData(Float32Array), (x, i) => (i === 20 ? 0.5 : x));
  const negative = Int16Array.from(maskData(Int16Array), (x, i) => (i === 17 ? -1 : x));
  const big = Uint32Array.from(maskData(Uint32Array), (x, i) => (i === 3 ? 70000 : x));
  const mirrored = [
    [-1, 0, 0, SIZE - 1],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
  ];
  const shifted = [
    [1, 0, 0, 5],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
  ];
  const gz = IMAGE;
  const valid = JSON.stringify(oneImage('image.nii.gz'), null, 2);

  return [
    // NIfTI
    {
      name: 'valid NIfTI image and mask',
      files: { 'image.nii.gz': IMAGE, 'mask.nii.gz': MASK },
      experiment: oneImage('image.nii.gz', 'mask.nii.gz'),
      expect: 'ok',
    },
    {
      name: 'zero-byte .nii.gz',
      files: { 'image.nii.gz': new Uint8Array(0) },
      experiment: oneImage('image.nii.gz'),
      expect: fails('image.nii.gz', /the file is empty \(0 bytes\)/),
    },
    {
      name: 'truncated .nii.gz',
      files: { 'image.nii.gz': gz.subarray(0, gz.length >> 1) },
      experiment: oneImage('image.nii.gz'),
      expect: fails('image.nii.gz', /corrupt gzip data .*damaged or truncated/),
    },
    {
      name: 'corrupt gzip stream',
      files: { 'image.nii.gz': withFlippedByte(gz, gz.length >> 1) },
      experiment: oneImage('image.nii.gz'),
      expect: fails('image.nii.gz', /corrupt gzip data|truncated or inconsistent NIfTI|not a NIfTI/),
    },
    {
      name: 'header claims more data than the file holds',
      files: { 'image.nii': nii(volume(imageData(), [SIZE, SIZE])).subarray(0, 352 + 100) },
      experiment: oneImage('image.nii'),
      expect: fails(
        'image.nii',
        /truncated or inconsistent NIfTI: the header declares 16×16 float32 voxels × 1 frame\(s\) = 1024 bytes .* holds only 100 bytes/,
      ),
    },
    {
      name: 'absurd dims',
      files: {
        'image.nii': patchedNifti(volume(imageData(), [SIZE, SIZE]), (view) =>
          [3, 30000, 30000, 30000].forEach((n, i) => view.setInt16(40 + 2 * i, n, true)),
        ),
      },
      experiment: oneImage('image.nii'),
      expect: fails(
        'image.nii',
        /declares 30000×30000×30000 float32 voxels .* \(98\.23 TiB\) .* holds only 1024 bytes/,
      ),
    },
    {
      name: 'absurd dims in a .nii.gz',
      files: {
        'image.nii.gz': new Uint8Array(
          gzipSync(
            patchedNifti(volume(imageData(), [SIZE, SIZE]), (view) =>
              [3, 30000, 30000, 30000].forEach((n, i) => view.setInt16(40 + 2 * i, n, true)),
            ),
          ),
        ),
      },
      experiment: oneImage('image.nii.gz'),
      expect: fails('image.nii.gz', /image of 30000×30000×30000 voxels needs .* more than the limit/),
    },
    {
      name: 'negative dim',
      files: { 'image.nii': patchedNifti(volume(imageData(), [SIZE, SIZE]), (view) => view.setInt16(42, -5, true)) },
      experiment: oneImage('image.nii'),
      expect: fails('image.nii', /invalid NIfTI header: dim.*-5/),
    },
    {
      name: 'unknown datatype code',
      files: { 'image.nii': patchedNifti(volume(imageData(), [SIZE, SIZE]), (view) => view.setInt16(70, 1234, true)) },
      experiment: oneImage('image.nii'),
      expect: fails('image.nii', /unsupported NIfTI datatype 1234 \(not a NIfTI datatype\)/),
    },
    {
      name: 'complex64 datatype',
      files: { 'image.nii': patchedNifti(volume(imageData(), [SIZE, SIZE]), (view) => view.setInt16(70, 32, true)) },
      experiment: oneImage('image.nii'),
      expect: fails('image.nii', /unsupported NIfTI datatype 32 \(complex64\)/),
    },
    {
      name: 'not a NIfTI file',
      files: { 'image.nii': new TextEncoder().encode('hello '.repeat(100)) },
      experiment: oneImage('image.nii'),
      expect: fails('image.nii', /not a NIfTI file: the header size field is/),
    },
    {
      name: '4D without a frame',
      files: { 'image.nii': fourD(3) },
      experiment: oneImage('image.nii'),
      expect: fails(
        'image.nii',
        /holds 3 frames \(dims 16×16×1×3\) and no frame was chosen; give the input a "frame" \(0…2\)/,
      ),
    },
    {
      name: '4D with a frame it does not have',
      files: { 'image.nii': fourD(3) },
      experiment: oneImage('image.nii', undefined, { frame: 5 }),
      expect: fails('image.nii', /frame 5 requested but the file holds frames 0…2/),
    },
    {
      name: '4D with a frame and a 2D mask',
      files: { 'image.nii': fourD(3), 'mask.nii.gz': MASK },
      experiment: oneImage('image.nii', 'mask.nii.gz', { frame: 2 }),
      expect: 'ok',
    },
    {
      name: 'volume one voxel thin across the slice axis',
      files: { 'image.nii.gz': niiGz(volume(imageData(), [1, SIZE, SIZE])) },
      experiment: oneImage('image.nii.gz'),
      expect: fails(
        'image.nii.gz',
        /1×16×16 voxels, one voxel thick along axis 0, so its slices along axis 2 .* would be 1×16 lines/,
      ),
    },
    {
      name: 'NaN voxels',
      files: { 'image.nii.gz': niiGz(volume(nan, [SIZE, SIZE])) },
      experiment: oneImage('image.nii.gz'),
      expect: fails('image.nii.gz', /12 voxels are NaN \(the first at \(0, 0\)\)/),
    },
    {
      name: 'infinite voxels',
      files: { 'image.nii.gz': niiGz(volume(inf, [SIZE, SIZE])) },
      experiment: oneImage('image.nii.gz'),
      expect: fails('image.nii.gz', /1 voxel is \+Infinity, 1 voxel is −Infinity \(the first at \(5, 0\)\)/),
    },
    // PNG
    { name: 'valid PNG', files: { 'image.png': PNG_IMAGE }, experiment: oneImage('image.png'), expect: 'ok' },
    {
      name: 'zero-byte PNG',
      files: { 'image.png': new Uint8Array(0) },
      experiment: oneImage('image.png'),
      expect: fails('image.png', /the file is empty \(0 bytes\)/),
    },
    {
      name: 'truncated PNG',
      files: { 'image.png': PNG_IMAGE.subarray(0, PNG_IMAGE.length - 20) },
      experiment: oneImage('image.png'),
      expect: fails('image.png', /corrupt PNG: the file is truncated/),
    },
    {
      name: 'PNG cut inside the header',
      files: { 'image.png': PNG_IMAGE.subarray(0, 20) },
      experiment: oneImage('image.png'),
      expect: fails('image.png', /corrupt PNG: .*truncated/),
    },
    {
      name: 'PNG with a bad CRC',
      files: { 'image.png': withFlippedByte(PNG_IMAGE, PNG_IMAGE.length - 20) },
      experiment: oneImage('image.png'),
      expect: fails('image.png', /corrupt PNG: bad CRC in the IDAT chunk .* the file is damaged/),
    },
    {
      name: 'not a PNG',
      files: { 'image.png': new TextEncoder().encode('GIF89a') },
      experiment: oneImage('image.png'),
      expect: fails('image.png', /not a PNG file/),
    },
    {
      name: 'palette mask (indices are classes)',
      files: { 'image.png': PNG_IMAGE, 'mask.png': palettePng(Uint8Array.from(maskData(Uint8Array), (x) => x)) },
      experiment: oneImage('image.png', 'mask.png'),
      expect: 'ok',
    },
    // DICOM
    {
      name: 'valid DICOM',
      files: { 'image.dcm': dicom('explicit_le_uint8.dcm') },
      experiment: oneImage('image.dcm'),
      expect: 'ok',
    },
    {
      name: 'truncated DICOM',
      files: { 'image.dcm': dicom('explicit_le_uint8.dcm').subarray(0, 600) },
      experiment: oneImage('image.dcm'),
      expect: fails('image.dcm', /truncated DICOM|DICOM, the file is damaged or truncated/),
    },
    {
      name: 'DICOM cut in the preamble',
      files: { 'image.dcm': dicom('explicit_le_uint8.dcm').subarray(0, 100) },
      experiment: oneImage('image.dcm'),
      expect: fails('image.dcm', /not a DICOM Part-10 file/),
    },
    {
      name: 'zero-byte DICOM',
      files: { 'image.dcm': new Uint8Array(0) },
      experiment: oneImage('image.dcm'),
      expect: fails('image.dcm', /the file is empty \(0 bytes\)/),
    },
    {
      name: 'compressed DICOM without a decoder',
      files: { 'image.dcm': jpegExtended() },
      experiment: oneImage('image.dcm'),
      expect: fails('image.dcm', /unsupported transfer syntax 1\.2\.840\.10008\.1\.2\.4\.51 \(JPEG Extended\)/),
    },
    {
      name: 'compressed DICOM with a truncated fragment',
      files: { 'image.dcm': truncatedJpegLs() },
      experiment: oneImage('image.dcm'),
      expect: fails(
        'image.dcm',
        /the JPEG-LS Lossless \(1\.2\.840\.10008\.1\.2\.4\.80\) pixel data of frame 0 could not be decoded, the file is damaged or truncated/,
      ),
    },
    // NRRD and MetaImage (the readers' own tests use real data: test/unit/io/nrrd-metaimage.test.ts)
    {
      name: 'valid NRRD image with a NIfTI mask on its grid',
      files: { 'image.nrrd': nrrd(imageData()), 'mask.nii.gz': MASK },
      experiment: oneImage('image.nrrd', 'mask.nii.gz'),
      expect: 'ok',
    },
    {
      name: 'valid detached NRRD header and MetaImage mask',
      files: {
        'image.nhdr': nrrd(imageData(), 'encoding: raw\ndata file: image.raw', false),
        'image.raw': new Uint8Array(imageData().buffer),
        'mask.mha': metaImage('MET_UCHAR', 'LOCAL', maskData(Uint8Array), 'TransformMatrix = -1 0 0 -1\n'),
      },
      experiment: oneImage('image.nhdr', 'mask.mha'),
      expect: 'ok',
    },
    {
      name: 'truncated NRRD',
      files: { 'image.nrrd': nrrd(imageData()).subarray(0, 300) },
      experiment: oneImage('image.nrrd'),
      expect: fails(
        'image.nrrd',
        /truncated or inconsistent NRRD: the header declares 16×16 float32 voxels = 1024 bytes/,
      ),
    },
    {
      name: 'NRRD with an unknown encoding',
      files: { 'image.nrrd': nrrd(imageData(), 'encoding: hex') },
      experiment: oneImage('image.nrrd'),
      expect: fails('image.nrrd', /unsupported NRRD encoding "hex" \(read: raw, gzip, text\)/),
    },
    {
      name: 'detached NRRD data file missing',
      files: { 'image.nhdr': nrrd(imageData(), 'encoding: raw\ndata file: image.raw', false) },
      experiment: oneImage('image.nhdr'),
      expect: fails('image.nhdr', /its data file .*image\.raw: file not found/),
    },
    {
      name: 'detached data file outside the header’s folder',
      files: {
        'headers/image.nhdr': nrrd(imageData(), 'encoding: raw\ndata file: ../image.raw', false),
        'image.raw': new Uint8Array(imageData().buffer),
      },
      experiment: oneImage('headers/image.nhdr'),
      expect: fails('headers/image.nhdr', /its data file "\.\.\/image\.raw" lies outside the header's folder/),
    },
    {
      name: 'valid MetaImage (float32, attached)',
      files: { 'image.mha': metaImage('MET_FLOAT', 'LOCAL', new Uint8Array(imageData().buffer)) },
      experiment: oneImage('image.mha'),
      expect: 'ok',
    },
    {
      name: 'MetaImage with a zero size',
      files: {
        'image.mha': new TextEncoder().encode(
          'NDims = 2\nDimSize = 16 0\nElementType = MET_FLOAT\nElementDataFile = LOCAL\n',
        ),
      },
      experiment: oneImage('image.mha'),
      expect: fails('image.mha', /invalid MetaImage header: DimSize = "16 0" has a size below 1/),
    },
    {
      name: 'MetaImage with corrupt compressed data',
      files: {
        'image.mhd': metaImage('MET_FLOAT', 'image.zraw', undefined, 'CompressedData = True\n'),
        'image.zraw': ZRAW.subarray(0, ZRAW.length >> 1),
      },
      experiment: oneImage('image.mhd'),
      expect: fails('image.mhd', /its data file .*image\.zraw: corrupt compressed \(zlib\/gzip\) data/),
    },
    // Label maps
    {
      name: 'fractional label map',
      files: { 'image.nii.gz': IMAGE, 'mask.nii.gz': niiGz(volume(fractional, [SIZE, SIZE])) },
      experiment: oneImage('image.nii.gz', 'mask.nii.gz'),
      expect: fails('mask.nii.gz', /must hold integer class numbers, but voxel \(4, 1\) has the value 0\.5/),
    },
    {
      name: 'negative labels',
      files: { 'image.nii.gz': IMAGE, 'mask.nii.gz': niiGz(volume(negative, [SIZE, SIZE])) },
      experiment: oneImage('image.nii.gz', 'mask.nii.gz'),
      expect: fails('mask.nii.gz', /voxel \(1, 1\) has the negative value -1/),
    },
    {
      name: 'labels beyond 65535',
      files: { 'image.nii.gz': IMAGE, 'mask.nii.gz': niiGz(volume(big, [SIZE, SIZE])) },
      experiment: oneImage('image.nii.gz', 'mask.nii.gz'),
      expect: fails('mask.nii.gz', /class numbers 0…65535, but voxel \(3, 0\) has the value 70000/),
    },
    {
      name: 'int64 label map',
      files: { 'image.nii.gz': IMAGE, 'mask.nii': int64Labels([...maskData(Uint8Array)]) },
      experiment: oneImage('image.nii.gz', 'mask.nii'),
      expect: 'ok',
    },
    {
      name: 'int64 label map with a negative label',
      files: {
        'image.nii.gz': IMAGE,
        'mask.nii': int64Labels([...maskData(Uint8Array)].map((x, i) => (i === 2 ? -4 : x))),
      },
      experiment: oneImage('image.nii.gz', 'mask.nii'),
      expect: fails('mask.nii', /voxel \(2, 0\) has the negative value -4/),
    },
    {
      name: 'uint32 label map',
      files: { 'image.nii.gz': IMAGE, 'mask.nii.gz': niiGz(volume(maskData(Uint32Array), [SIZE, SIZE])) },
      experiment: oneImage('image.nii.gz', 'mask.nii.gz'),
      expect: 'ok',
    },
    {
      name: 'RGB mask with colours',
      files: { 'image.png': PNG_IMAGE, 'mask.png': palettePngAsRgb() },
      experiment: oneImage('image.png', 'mask.png'),
      expect: fails(
        'mask.png',
        /a label map needs one channel of class numbers, but this image has 3 channels that differ/,
      ),
    },
    // Image and mask pairing
    {
      name: 'mask of another shape',
      files: { 'image.nii.gz': IMAGE, 'mask.nii.gz': niiGz(volume(maskData(Uint8Array, SIZE * 8), [SIZE, 8])) },
      experiment: oneImage('image.nii.gz', 'mask.nii.gz'),
      expect: fails('mask.nii.gz', /the mask is 16×8 voxels but its image .*image\.nii\.gz is 16×16/),
    },
    {
      name: 'mirrored mask',
      files: { 'image.nii.gz': IMAGE, 'mask.nii.gz': niiGz(volume(maskData(Uint8Array), [SIZE, SIZE], mirrored)) },
      experiment: oneImage('image.nii.gz', 'mask.nii.gz'),
      expect: fails(
        'mask.nii.gz',
        /affine differs from that of its image .*image\.nii\.gz: voxel axis i points along \(-1, 0, 0\) mm in the mask and \(1, 0, 0\) mm in the image \(mirrored\)/,
      ),
    },
    {
      name: 'mask with a shifted origin',
      files: { 'image.nii.gz': IMAGE, 'mask.nii.gz': niiGz(volume(maskData(Uint8Array), [SIZE, SIZE], shifted)) },
      experiment: oneImage('image.nii.gz', 'mask.nii.gz'),
      expect: fails(
        'mask.nii.gz',
        /the origin is \(5, 0, 0\) mm in the mask and \(0, 0, 0\) mm in the image \(shifted by \(5, 0, 0\) mm\)/,
      ),
    },
    {
      name: 'PNG image with a NIfTI mask of the same dims',
      files: { 'image.png': PNG_IMAGE, 'mask.nii.gz': MASK },
      experiment: oneImage('image.png', 'mask.nii.gz'),
      expect: fails(
        'mask.nii.gz',
        /the mask is a NIfTI file and its image .*image\.png a PNG file; a PNG has no voxel-to-world geometry, so whether the mask is flipped or transposed against the image cannot be checked/,
      ),
    },
    {
      name: 'NIfTI image with a PNG mask of the same dims',
      files: { 'image.nii.gz': IMAGE, 'mask.png': palettePng(maskData(Uint8Array)) },
      experiment: oneImage('image.nii.gz', 'mask.png'),
      expect: fails(
        'mask.png',
        /the mask is a PNG file and its image .*image\.nii\.gz a NIfTI file; .*save the mask in the same format as its image/,
      ),
    },
    // Experiment files
    {
      name: 'experiment with a byte-order mark',
      files: { 'image.nii.gz': IMAGE },
      experimentText: '\ufeff' + valid,
      expect: 'ok',
    },
    {
      name: 'empty experiment',
      files: {},
      experimentText: '',
      expect: fails(EXPERIMENT, /the file is empty \(0 bytes\)/),
    },
    {
      name: 'truncated experiment',
      files: {},
      experimentText: valid.slice(0, 40),
      expect: fails(EXPERIMENT, /not valid JSON: .* at line \d+, column \d+ \(the file ends too early/),
    },
    {
      name: 'trailing comma',
      files: { 'image.nii.gz': IMAGE },
      experimentText: valid.replace(/\n\s*\]\s*\n\}$/, ',\n  ]\n}'),
      expect: fails(
        EXPERIMENT,
        /not valid JSON: .* at line \d+, column \d+ \(a trailing comma before a closing bracket/,
      ),
    },
    {
      name: 'wrong types',
      files: { 'image.nii.gz': IMAGE },
      experiment: { ...oneImage('image.nii.gz'), name: 7, seed: 'zero' },
      expect: fails(
        EXPERIMENT,
        /\$\.name: must be a string, not 7\n {2}\$\.seed: must be a whole number, not the string "zero"/,
      ),
    },
    {
      name: 'frame that is not an index',
      files: { 'image.nii.gz': IMAGE },
      experiment: oneImage('image.nii.gz', undefined, { frame: -1 }),
      expect: fails(EXPERIMENT, /\$\.inputs\[0\]\.frame: must be at least 0, not -1/),
    },
    seriesCase('step 0', { transform: 'rotate', start: 0, stop: 10, step: 0 }, /\$\.series\[0\]\.step: must not be 0/),
    seriesCase(
      'blur −3',
      { transform: 'blur', values: [0, -3] },
      /series 1 \(blur, \$\.series\[0\]\): value -3 is below the minimum 0/,
    ),
    seriesCase(
      'zoom −5',
      { transform: 'zoom', values: [-5] },
      /series 1 \(zoom, \$\.series\[0\]\): value -5 is below the minimum 0/,
    ),
    seriesCase(
      'resize 0',
      { transform: 'resize', values: [0, 64] },
      /series 1 \(resize, \$\.series\[0\]\): value 0 is below the minimum 1/,
    ),
    seriesCase(
      'gamma 0',
      { transform: 'gamma', values: [0, 1] },
      /series 1 \(gamma, \$\.series\[0\]\): value 0 must be greater than 0/,
    ),
    seriesCase(
      'rotate 1e308',
      { transform: 'rotate', values: [1e308] },
      /series 1 \(rotate, \$\.series\[0\]\): value 1e\+308 is above the maximum 3600/,
    ),
  ];

  function palettePngAsRgb(): Uint8Array {
    // An RGB mask whose classes are colours: red and green pixels differ between channels.
    const pixels = SIZE * SIZE;
    const rgb = new Uint8Array(pixels * 3);
    maskData(Uint8Array).forEach((x, i) => rgb.set(x ? [255, 0, 0] : [0, 0, 0], i * 3));
    return encode({ width: SIZE, height: SIZE, data: rgb, channels: 3, depth: 8 });
  }
}

/** Writes each case into `root/<index>-<slug>/` with the model and returns the folders. */
export function writeCorpus(root: string): { testCase: CorpusCase; dir: string; experiment: string }[] {
  return corpusCases().map((testCase, i) => {
    const dir = join(
      root,
      `${String(i).padStart(2, '0')}-${testCase.name
        .replace(/[^A-Za-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .toLowerCase()}`,
    );
    mkdirSync(dir, { recursive: true });
    copyFileSync(MODEL, join(dir, 'model.onnx'));
    for (const [name, bytes] of Object.entries(testCase.files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), bytes);
    }
    const experimentPath = join(dir, EXPERIMENT);
    writeFileSync(experimentPath, testCase.experimentText ?? JSON.stringify(testCase.experiment, null, 2));
    return { testCase, dir, experiment: experimentPath };
  });
}
