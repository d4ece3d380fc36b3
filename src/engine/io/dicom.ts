/**
 * DICOM reader (dicom-parser): uncompressed images in Implicit VR LE, Explicit VR LE or Explicit
 * VR BE (grey or RGB; 8/16/32 bits) and compressed ones (JPEG, JPEG-LS, JPEG 2000, RLE: grey,
 * 8/16 bits; dicom-codecs.ts); Bits Stored, signedness and rescale applied alike. A multi-frame
 * file gives the frame asked for, or, when its frames are planes of one stack
 * (dicom-multiframe.ts), a volume; compressed frames are decoded one at a time. Geometry from
 * Pixel Spacing and, when present, Image Position/Orientation (Patient), converted from DICOM's
 * LPS to the RAS+ world NIfTI uses.
 */
import dicomParser, { type DataSet } from 'dicom-parser';
import { MisasInputError, describeThrown } from '../errors';
import { integerSampleType, scaledSampleType, type SampleType } from '../sampleType';
import { identityAffine, type Affine, type Volume, type VoxelArray, type VoxelArrayConstructor } from '../volume';
import { applyLinearScaling, typedArrayFromBytes } from './bytes';
import { COMPRESSED_SYNTAXES, UNCOMPRESSED_SYNTAXES, transferSyntaxName } from './dicom-syntaxes';
import { frameDecoder, type FrameFormat } from './dicom-codecs';
import { encapsulatedFrame } from './dicom-frames';
import { frameRescale, frameStack, type FramePlane } from './dicom-multiframe';
import type { StackGeometry } from './dicom-stack';
import { affineFromSteps } from './world-affine';
import { checkDataSize, chosenFrame, formatBytes, type ReadImageOptions } from './options';

export const TAG = {
  transferSyntax: 'x00020010',
  samplesPerPixel: 'x00280002',
  photometric: 'x00280004',
  planarConfiguration: 'x00280006',
  numberOfFrames: 'x00280008',
  rows: 'x00280010',
  columns: 'x00280011',
  pixelSpacing: 'x00280030',
  imagerPixelSpacing: 'x00181164',
  sliceThickness: 'x00180050',
  bitsAllocated: 'x00280100',
  bitsStored: 'x00280101',
  pixelRepresentation: 'x00280103',
  rescaleIntercept: 'x00281052',
  rescaleSlope: 'x00281053',
  imagePosition: 'x00200032',
  imageOrientation: 'x00200037',
  pixelData: 'x7fe00010',
} as const;

/** Part-10 files carry "DICM" after a 128-byte preamble; that is how files without an extension are recognised. */
export function hasDicomMagic(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d
  );
}

/** dicom-parser throws plain objects `{ exception, dataSet }`; the text is in `exception`. */
function parserProblem(thrown: unknown): string {
  const inner =
    thrown && typeof thrown === 'object' && 'exception' in thrown
      ? (thrown as { exception: unknown }).exception
      : thrown;
  return describeThrown(inner);
}

/** Parses a Part-10 file; `headerOnly` stops at Pixel Data (its element is kept, without its value). */
export function parseDicom(file: string, bytes: Uint8Array, headerOnly = false): DataSet {
  if (!hasDicomMagic(bytes)) throw new MisasInputError(file, 'not a DICOM Part-10 file (no "DICM" marker at byte 128)');
  try {
    return headerOnly ? dicomParser.parseDicom(bytes, { untilTag: TAG.pixelData }) : dicomParser.parseDicom(bytes);
  } catch (thrown) {
    throw new MisasInputError(
      file,
      `unreadable DICOM, the file is damaged or truncated (${parserProblem(thrown)})${syntaxNote(bytes)}`,
      { cause: thrown },
    );
  }
}

/** "; transfer syntax … (JPEG-LS Lossless)" when the File Meta header is readable: which decoder meets a damaged file. */
function syntaxNote(bytes: Uint8Array): string {
  try {
    const uid = transferSyntaxOf(dicomParser.readPart10Header(bytes));
    return uid ? `; transfer syntax ${uid} (${transferSyntaxName(uid)})` : '';
  } catch {
    return '';
  }
}

function requiredUint16(file: string, dataSet: DataSet, tag: string, name: string): number {
  const value = dataSet.uint16(tag);
  if (value === undefined)
    throw new MisasInputError(file, `DICOM without ${name} (${tag.slice(1, 5)},${tag.slice(5)}); not an image?`);
  return value;
}

function arrayTypeFor(file: string, bitsAllocated: number, signed: boolean): VoxelArrayConstructor {
  switch (bitsAllocated) {
    case 8:
      return signed ? Int8Array : Uint8Array;
    case 16:
      return signed ? Int16Array : Uint16Array;
    case 32:
      return signed ? Int32Array : Uint32Array;
    default:
      throw new MisasInputError(file, `unsupported DICOM Bits Allocated ${bitsAllocated} (8, 16 or 32 are read)`);
  }
}

/** Keeps the Bits Stored low bits (the rest may hold overlays), sign-extending signed data. */
function keepStoredBits(data: VoxelArray, bitsStored: number, signed: boolean): void {
  const shift = 32 - bitsStored;
  for (let i = 0; i < data.length; i++) data[i] = signed ? (data[i] << shift) >> shift : (data[i] << shift) >>> shift;
}

function interleavedToPlanar(data: VoxelArray, pixels: number, channels: number): VoxelArray {
  const planar = new (data.constructor as VoxelArrayConstructor)(data.length);
  for (let c = 0; c < channels; c++) for (let i = 0; i < pixels; i++) planar[c * pixels + i] = data[i * channels + c];
  return planar;
}

function positive(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : 1;
}

/** [column spacing, row spacing]: Pixel Spacing is stored as (row spacing, column spacing). */
function spacingOf(dataSet: DataSet): [number, number] {
  const tag = dataSet.elements[TAG.pixelSpacing] ? TAG.pixelSpacing : TAG.imagerPixelSpacing;
  return [positive(dataSet.floatString(tag, 1)), positive(dataSet.floatString(tag, 0))];
}

function affineOf(dataSet: DataSet, [columnSpacing, rowSpacing]: [number, number]): Affine {
  const orientation = [0, 1, 2, 3, 4, 5].map((i) => dataSet.floatString(TAG.imageOrientation, i));
  const position = [0, 1, 2].map((i) => dataSet.floatString(TAG.imagePosition, i));
  if ([...orientation, ...position].some((value) => value === undefined || !Number.isFinite(value))) {
    return identityAffine([columnSpacing, rowSpacing, 1]);
  }
  const [rx, ry, rz, cx, cy, cz] = orientation as number[];
  const normal = [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx];
  const thickness = positive(dataSet.floatString(TAG.sliceThickness));
  const lps = [0, 1, 2].map((axis) => [
    [rx, ry, rz][axis] * columnSpacing,
    [cx, cy, cz][axis] * rowSpacing,
    normal[axis] * thickness,
    (position as number[])[axis],
  ]);
  // LPS → RAS: negate the x and y rows.
  return [lps[0].map((v) => -v), lps[1].map((v) => -v), lps[2], [0, 0, 0, 1]];
}

export async function readDicom(file: string, bytes: Uint8Array, options: ReadImageOptions = {}): Promise<Volume> {
  const dataSet = parseDicom(file, bytes);
  try {
    return await readParsedDicom(file, bytes, dataSet, options);
  } catch (thrown) {
    // dicom-parser's accessors throw TypeErrors on some damaged elements (found by npm run fuzz).
    if (thrown instanceof MisasInputError) throw thrown;
    throw new MisasInputError(file, `unreadable DICOM, an element is damaged (${describeThrown(thrown)})`, {
      cause: thrown,
    });
  }
}

/** The file's transfer syntax: how its pixels are read (uncompressed, or which decoder). */
export function transferSyntaxOf(dataSet: DataSet): string {
  return (dataSet.string(TAG.transferSyntax) ?? '').replace(/\0/g, '').trim();
}

async function readParsedDicom(
  file: string,
  bytes: Uint8Array,
  dataSet: DataSet,
  options: ReadImageOptions,
): Promise<Volume> {
  const syntaxUid = transferSyntaxOf(dataSet);
  const syntax = UNCOMPRESSED_SYNTAXES[syntaxUid];
  const compressed = COMPRESSED_SYNTAXES[syntaxUid];
  if (!syntax && !compressed) {
    throw new MisasInputError(
      file,
      `unsupported transfer syntax ${syntaxUid || '(missing)'} (${transferSyntaxName(syntaxUid)}); uncompressed, JPEG (baseline, lossless), JPEG-LS, JPEG 2000 and RLE DICOM are read — decompress it first, e.g. with gdcmconv --raw`,
    );
  }
  const rows = requiredUint16(file, dataSet, TAG.rows, 'Rows');
  const columns = requiredUint16(file, dataSet, TAG.columns, 'Columns');
  const bitsAllocated = requiredUint16(file, dataSet, TAG.bitsAllocated, 'Bits Allocated');
  const bitsStored = dataSet.uint16(TAG.bitsStored) ?? bitsAllocated;
  const signed = dataSet.uint16(TAG.pixelRepresentation) === 1;
  const samples = dataSet.uint16(TAG.samplesPerPixel) ?? 1;
  const photometric = (dataSet.string(TAG.photometric) ?? (samples === 3 ? 'RGB' : 'MONOCHROME2')).trim();
  const grey = samples === 1 && (photometric === 'MONOCHROME1' || photometric === 'MONOCHROME2');
  if (!grey && !(samples === 3 && photometric === 'RGB')) {
    throw new MisasInputError(
      file,
      `unsupported DICOM pixels: ${samples} sample(s) per pixel, photometric interpretation ${photometric} (grey MONOCHROME1/2 or RGB are read)`,
    );
  }
  if (rows < 1 || columns < 1)
    throw new MisasInputError(file, `DICOM image of ${columns}×${rows} pixels has no pixels`);
  // The codecs' colour output (YBR converted or not, per codec) is not checked against colour
  // fixtures: compressed colour is refused rather than read in colours that may be wrong.
  if (compressed && (!grey || bitsAllocated > 16)) {
    throw new MisasInputError(
      file,
      `${compressed.name} DICOM with ${samples} sample(s) per pixel (${photometric}) of ${bitsAllocated} bits is not read: compressed DICOM is read as grey of 8 or 16 bits; decompress it first, e.g. with gdcmconv --raw`,
    );
  }
  const ArrayType = arrayTypeFor(file, bitsAllocated, signed);
  const frames = dataSet.intString(TAG.numberOfFrames) ?? 1;
  checkDataSize(file, [columns, rows, samples, frames], ArrayType.BYTES_PER_ELEMENT, options);
  // An enhanced file whose frames are planes of one stack is a volume, unless a frame is asked for.
  const stack = frames > 1 && options.frame === undefined ? frameStack(file, dataSet, frames) : undefined;
  const frame = stack ? 0 : chosenFrame(file, options, Math.max(1, frames));

  const pixelData = dataSet.elements[TAG.pixelData];
  if (!pixelData) throw new MisasInputError(file, 'DICOM without Pixel Data (7FE0,0010)');
  const frameBytes = rows * columns * samples * ArrayType.BYTES_PER_ELEMENT;
  const available = Math.min(pixelData.length, bytes.length - pixelData.dataOffset);
  if (compressed && !pixelData.encapsulatedPixelData) {
    throw new MisasInputError(
      file,
      `the transfer syntax is ${compressed.name} (${syntaxUid}) but the Pixel Data is not encapsulated (no fragments): a damaged file`,
    );
  }
  if (!compressed && available < frameBytes * frames) {
    throw new MisasInputError(
      file,
      `truncated DICOM: ${columns}×${rows}×${samples} samples of ${bitsAllocated} bits × ${frames} frame(s) need ${formatBytes(frameBytes * frames)} of pixel data, the file holds ${formatBytes(Math.max(0, available))}`,
    );
  }
  // Bits Stored, not Bits Allocated, bounds the values (12-bit CT in 16-bit words: 0…4095).
  const storedType = integerSampleType(
    bitsStored > 0 && bitsStored < bitsAllocated ? bitsStored : bitsAllocated,
    signed,
  );
  const format: FrameFormat = { rows, columns, samples, bytesPerSample: ArrayType.BYTES_PER_ELEMENT };
  const decode = compressed ? await frameDecoder(compressed.codec) : undefined;
  /** A frame's bytes, little-endian when decoded; a decoder's failure is the file's problem, said with its syntax. */
  const frameBytesOf = (index: number): Uint8Array => {
    if (!compressed || !decode) {
      const start = pixelData.dataOffset + index * frameBytes;
      return bytes.subarray(start, start + frameBytes);
    }
    try {
      return decodedToWidth(
        decode(encapsulatedFrame(dataSet, pixelData, index, frames, compressed.codec), format),
        format,
      );
    } catch (thrown) {
      throw new MisasInputError(
        file,
        `the ${compressed.name} (${syntaxUid}) pixel data of frame ${index} could not be decoded, the file is damaged or truncated (${parserProblem(thrown)})`,
        { cause: thrown },
      );
    }
  };
  const readFrame = (index: number): { data: VoxelArray; sampleType: SampleType } => {
    let data = typedArrayFromBytes(frameBytesOf(index), ArrayType, syntax?.littleEndian ?? true);
    if (bitsStored > 0 && bitsStored < bitsAllocated) keepStoredBits(data, bitsStored, signed);
    // Planar Configuration 0 (the default) interleaves the colour samples of each pixel.
    if (samples === 3 && (dataSet.uint16(TAG.planarConfiguration) ?? 0) === 0)
      data = interleavedToPlanar(data, rows * columns, samples);
    const { slope, intercept } = frameRescale(dataSet, index);
    if (slope === 1 && intercept === 0) return { data, sampleType: storedType };
    return {
      data: applyLinearScaling(data, slope, intercept),
      sampleType: scaledSampleType(storedType, slope, intercept),
    };
  };
  if (stack) {
    // One array type for all frames, known before any is decoded: floats when any frame is rescaled.
    const rescaled = stack.sorted.some(({ frame: index }) => {
      const { slope, intercept } = frameRescale(dataSet, index);
      return slope !== 1 || intercept !== 0;
    });
    const VolumeType = rescaled ? (bitsAllocated >= 32 ? Float64Array : Float32Array) : ArrayType;
    return stackVolume(stack, readFrame, [columns, rows], samples, VolumeType);
  }
  const { data, sampleType } = readFrame(frame);
  const spacing = spacingOf(dataSet);
  return { data, dims: [columns, rows], spacing, affine: affineOf(dataSet, spacing), channels: samples, sampleType };
}

/**
 * A decoded frame as `format.bytesPerSample` bytes per sample: 8-bit codestreams in 16-bit
 * words (Bits Allocated 16, Bits Stored ≤ 8) are widened; any other size is refused.
 */
function decodedToWidth(decoded: Uint8Array, format: FrameFormat): Uint8Array {
  const samples = format.rows * format.columns * format.samples;
  if (decoded.length === samples * format.bytesPerSample) return decoded;
  if (format.bytesPerSample === 2 && decoded.length === samples) {
    const wide = new Uint8Array(samples * 2);
    for (let i = 0; i < samples; i++) wide[2 * i] = decoded[i];
    return wide;
  }
  throw new Error(
    `it decodes to ${decoded.length} bytes, not the ${samples * format.bytesPerSample} bytes of ${format.columns}×${format.rows}×${format.samples} samples of ${format.bytesPerSample * 8} bits the header says`,
  );
}

/** The frames of a stack as one volume (planar channels, sorted frame k at z = k). */
function stackVolume(
  stack: StackGeometry<FramePlane>,
  readFrame: (index: number) => { data: VoxelArray; sampleType: SampleType },
  [columns, rows]: [number, number],
  channels: number,
  ArrayType: VoxelArrayConstructor,
): Volume {
  const plane = columns * rows;
  const voxels = plane * stack.sorted.length;
  const data = new ArrayType(voxels * channels);
  // Frame by frame (a compressed frame is decoded here): memory for the volume and one frame.
  const sampleTypes = stack.sorted.map(({ frame: index }, k) => {
    const frame = readFrame(index);
    for (let c = 0; c < channels; c++)
      data.set(frame.data.subarray(c * plane, (c + 1) * plane), c * voxels + k * plane);
    return frame.sampleType;
  });
  const same = sampleTypes.every((type) => JSON.stringify(type) === JSON.stringify(sampleTypes[0]));
  const sampleType: SampleType = same
    ? sampleTypes[0]
    : {
        name: sampleTypes[0].name,
        min: Math.min(...sampleTypes.map((type) => type.min)),
        max: Math.max(...sampleTypes.map((type) => type.max)),
        integer: sampleTypes.every((type) => type.integer),
      };
  return {
    data,
    dims: [columns, rows, stack.sorted.length],
    spacing: stack.spacing,
    affine: affineFromSteps(stack.steps, stack.origin, 'LPS'),
    channels,
    sampleType,
  };
}
