/**
 * PNG reader and writer (fast-png). Grey → 1 channel, RGB(A) → 3 planar channels (alpha
 * dropped), palette → class indices for label maps, colours (or grey) for images.
 */
import { decode, encode, hasPngSignature, type DecodedPng } from 'fast-png';
import { MisasInputError, describeThrown } from '../errors';
import { integerSampleType } from '../sampleType';
import { identityAffine, valueRange, type Volume, type VoxelArray } from '../volume';
import { writeFileAtomic } from './files';
import { checkPngChunks } from './png-chunks';
import { checkDataSize, type ReadImageOptions } from './options';

const PNG_UNIT_METRE = 1;

/** One sample per pixel and channel, rows unpacked from 1/2/4-bit packing. */
function samples(png: DecodedPng): Uint8Array | Uint16Array {
  if (png.depth === 16) return png.data as Uint16Array;
  if (png.depth === 8) return png.data instanceof Uint8Array ? png.data : new Uint8Array(png.data);
  // Packed rows (grey or palette indices, one channel) start on byte boundaries.
  const { width, height, depth } = png;
  const rowBytes = Math.ceil((width * depth) / 8);
  const mask = (1 << depth) - 1;
  const unpacked = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = png.data[y * rowBytes + (bit >> 3)];
      unpacked[x + width * y] = (byte >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return unpacked;
}

/** Interleaved samples → the first `keep` channels as planes. */
function planar(
  values: Uint8Array | Uint16Array,
  pixels: number,
  stride: number,
  keep: number,
): Uint8Array | Uint16Array {
  const out = new (values instanceof Uint16Array ? Uint16Array : Uint8Array)(pixels * keep);
  for (let c = 0; c < keep; c++) {
    for (let i = 0; i < pixels; i++) out[c * pixels + i] = values[i * stride + c];
  }
  return out;
}

function expandPalette(indices: Uint8Array, palette: number[][], file: string): { data: Uint8Array; channels: number } {
  const pixels = indices.length;
  const missing = indices.findIndex((index) => index >= palette.length);
  if (missing >= 0)
    throw new MisasInputError(
      file,
      `corrupt PNG: palette index ${indices[missing]} but the palette has ${palette.length} colours`,
    );
  const grey = palette.every(([r, g, b]) => r === g && g === b);
  const channels = grey ? 1 : 3;
  const data = new Uint8Array(pixels * channels);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < pixels; i++) data[c * pixels + i] = palette[indices[i]][c];
  }
  return { data, channels };
}

/** pHYs in pixels per metre → mm per pixel; without a metric pHYs chunk, 1 mm. */
function spacingOf(png: DecodedPng): number[] {
  const resolution = png.resolution;
  if (resolution?.unit === PNG_UNIT_METRE && resolution.x > 0 && resolution.y > 0)
    return [1000 / resolution.x, 1000 / resolution.y];
  return [1, 1];
}

function decodeChecked(file: string, bytes: Uint8Array, options: ReadImageOptions): DecodedPng {
  if (bytes.length === 0) throw new MisasInputError(file, 'the file is empty (0 bytes)');
  if (!hasPngSignature(bytes)) throw new MisasInputError(file, 'not a PNG file (the PNG signature is missing)');
  checkPngChunks(file, bytes);
  // The size the decoder would allocate, refused before it does (IHDR: width, height at 16, 20).
  const header = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const samplesPerPixel = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[bytes[25]] ?? 4;
  checkDataSize(file, [header.getUint32(16), header.getUint32(20), samplesPerPixel], bytes[24] === 16 ? 2 : 1, options);
  try {
    return decode(bytes);
  } catch (thrown) {
    throw new MisasInputError(file, `corrupt PNG (${describeThrown(thrown)})`, { cause: thrown });
  }
}

export function readPng(file: string, bytes: Uint8Array, options: ReadImageOptions = {}): Volume {
  const png = decodeChecked(file, bytes, options);
  const { width, height } = png;
  checkDataSize(file, [width, height, png.channels], png.depth === 16 ? 2 : 1, options);
  const pixels = width * height;
  const values = samples(png);
  if (values.length < pixels * png.channels)
    throw new MisasInputError(file, 'corrupt PNG: less pixel data than width × height');
  let data: VoxelArray;
  let channels: number;
  if (png.palette) {
    const indices = (values as Uint8Array).subarray(0, pixels);
    // A palette mask's indices are its class numbers; its colours only draw them.
    ({ data, channels } =
      options.kind === 'labelMap' ? { data: indices.slice(), channels: 1 } : expandPalette(indices, png.palette, file));
  } else if (png.channels <= 2) {
    data = planar(values, pixels, png.channels, 1); // grey, or grey + alpha
    channels = 1;
  } else {
    data = planar(values, pixels, png.channels, 3); // RGB, or RGBA
    channels = 3;
  }
  const spacing = spacingOf(png);
  // Samples of 1/2/4-bit greys keep their values (0…2^depth − 1), so that is the range the file
  // holds; palette colours are 8-bit whatever the index depth.
  const sampleType = integerSampleType(png.palette ? 8 : png.depth, false);
  return {
    data,
    dims: [width, height],
    spacing,
    affine: identityAffine([spacing[0], spacing[1], 1]),
    channels,
    sampleType,
  };
}

export interface WritePngOptions {
  /** Bit depth; default 8 for Uint8Array data and for values up to 255, else 16. */
  depth?: 8 | 16;
}

/** The bytes of a grey PNG of a 2D single-channel volume with integer values 0…65535. */
export function encodePng(file: string, volume: Volume, options: WritePngOptions = {}): Uint8Array {
  if (volume.dims.length !== 2 || volume.channels !== 1) {
    throw new MisasInputError(
      file,
      `a PNG holds one 2D grey image; got dims ${volume.dims.join('×')} with ${volume.channels} channel(s)`,
    );
  }
  const [width, height] = volume.dims;
  for (let i = 0; i < volume.data.length; i++) {
    if (!Number.isInteger(volume.data[i])) {
      throw new MisasInputError(
        file,
        `cannot write the non-integer value ${volume.data[i]} at (${i % width}, ${Math.floor(i / width)}) to a PNG`,
      );
    }
  }
  const [min, max] = valueRange(volume.data);
  const depth = options.depth ?? (volume.data instanceof Uint8Array || max <= 255 ? 8 : 16);
  if (min < 0 || max > 2 ** depth - 1) {
    throw new MisasInputError(
      file,
      `values ${min}…${max} do not fit ${depth === 8 ? 'an' : 'a'} ${depth}-bit PNG (0…${2 ** depth - 1})`,
    );
  }
  const data = depth === 8 ? Uint8Array.from(volume.data) : Uint16Array.from(volume.data);
  return encode({ width, height, data, depth, channels: 1 });
}

export async function writePng(path: string, volume: Volume, options: WritePngOptions = {}): Promise<void> {
  await writeFileAtomic(path, encodePng(path, volume, options));
}
