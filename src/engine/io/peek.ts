/**
 * An image's size without its pixels: dims, spacing and channels as the full readers would
 * return them, and the bytes per value of the array they would return. NIfTI and PNG read only
 * their headers (a .nii.gz is gunzipped just far enough); a DICOM file goes through the DICOM
 * reader, a DICOM series folder has every file's header read (no pixels).
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { MisasInputError, describeThrown } from '../errors';
import type { Volume } from '../volume';
import { isGzip } from './gzip';
import { voxelSizes } from './nifti-affine';
import { WIDE_INTEGER_DATATYPES, niftiDatatype, niftiDatatypeName } from './nifti-datatypes';
import { parseNiftiHeader, type NiftiHeader } from './nifti-header';
import { chosenFrame, formatBytes, formatDims } from './options';
import { peekMetaImage } from './metaimage';
import { peekNrrd } from './nrrd';
import { checkPngChunks } from './png-chunks';
import { checkNoFrame, planDicomSeries } from './dicom-series';
import { formatOfPath, isDicomSeriesPath, readImage } from './read';

export interface ImagePeek {
  /** [nx, ny] or [nx, ny, nz], as the reader returns them (a 4D NIfTI gives its first frame's). */
  dims: number[];
  /** mm per dim. */
  spacing: number[];
  channels: number;
  /** Bytes per value of the reader's array: the file's type, or 4/8 once NIfTI/DICOM scaling makes floats. */
  bytesPerVoxel: number;
}

/** A NIfTI-2 header and its 4-byte extension flag. */
const NIFTI_HEAD_BYTES = 544;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function fileProblem(file: string, thrown: unknown): MisasInputError {
  const code = (thrown as { code?: unknown } | null)?.code;
  const problem =
    code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, not a file' : describeThrown(thrown);
  return new MisasInputError(file, problem, { cause: thrown });
}

type ReadAt = (position: number, length: number) => Promise<Buffer>;

/** Runs `use` with a reader of byte ranges of `file` (fewer bytes at the end of the file); file errors name the file. */
async function withFile<T>(file: string, use: (readAt: ReadAt) => Promise<T>): Promise<T> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (thrown) {
    throw fileProblem(file, thrown);
  }
  const opened = handle;
  const readAt: ReadAt = async (position, length) => {
    const buffer = Buffer.alloc(length);
    try {
      const { bytesRead } = await opened.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead);
    } catch (thrown) {
      throw fileProblem(file, thrown);
    }
  };
  try {
    return await use(readAt);
  } finally {
    await opened.close();
  }
}

/**
 * The first `count` bytes as a plain Uint8Array over its own memory: Buffer's `slice` is a view
 * into a shared pool, and the NIfTI header parser reads `slice(…).buffer` from offset 0.
 */
function ownCopy(bytes: Uint8Array, count: number): Uint8Array {
  const copy = new Uint8Array(Math.min(count, bytes.length));
  copy.set(bytes.subarray(0, copy.length));
  return copy;
}

/** The first `count` decompressed bytes of a gzip file (fewer if it holds fewer); stops reading once it has them. */
function gunzipHead(file: string, count: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const source = createReadStream(file, { highWaterMark: 16 * 1024 });
    const gunzip = createGunzip();
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const finish = (error?: MisasInputError) => {
      if (settled) return;
      settled = true;
      source.destroy();
      gunzip.destroy();
      if (error) reject(error);
      else resolve(ownCopy(Buffer.concat(chunks), count));
    };
    gunzip.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= count) finish();
    });
    gunzip.on('end', () => finish());
    gunzip.on('error', (thrown) =>
      finish(
        new MisasInputError(file, `corrupt gzip data (${describeThrown(thrown)}); the file is damaged or truncated`, {
          cause: thrown,
        }),
      ),
    );
    source.on('error', (thrown) => finish(fileProblem(file, thrown)));
    source.pipe(gunzip);
  });
}

/** The reader's dims: dim[1..3], 2D when nz = 1; further dims are frames. */
function niftiDims(file: string, header: NiftiHeader): { dims: number[]; frames: number } {
  const rank = header.dim[0];
  if (!(Number.isInteger(rank) && rank >= 1 && rank <= 7)) {
    throw new MisasInputError(file, `invalid NIfTI header: dim[0] = ${rank} is not a dimension count 1…7`);
  }
  const declared = header.dim.slice(1, rank + 1);
  if (declared.some((n) => !(Number.isInteger(n) && n >= 1))) {
    throw new MisasInputError(
      file,
      `invalid NIfTI header: dims ${declared.join(', ')}; every dimension must be at least 1`,
    );
  }
  const [nx, ny = 1, nz = 1] = declared;
  const frames = declared.slice(3).reduce((product, n) => product * n, 1);
  return { dims: nz === 1 ? [nx, ny] : [nx, ny, nz], frames };
}

/** Same rule as the reader: scl_slope 0/NaN or 1 with intercept 0 means no scaling. */
function scaledBytes(header: NiftiHeader, fileBytes: number, isFloat64OrWideInt: boolean): number {
  const slope = header.sclSlope;
  const intercept = header.sclInter;
  const scaled =
    Number.isFinite(slope) && slope !== 0 && (slope !== 1 || (Number.isFinite(intercept) && intercept !== 0));
  if (!scaled) return fileBytes;
  return isFloat64OrWideInt ? 8 : 4;
}

/** xyzt_units: metres and microns → mm, as the reader converts. */
const UNIT_TO_MM: Record<number, number> = { 1: 1000, 2: 1, 3: 0.001 };

async function peekNifti(file: string, frame: number | undefined): Promise<ImagePeek> {
  const start = await withFile(file, (readAt) => readAt(0, NIFTI_HEAD_BYTES));
  if (start.length === 0) throw new MisasInputError(file, 'the file is empty (0 bytes)');
  const compressed = isGzip(start);
  const head = compressed ? await gunzipHead(file, NIFTI_HEAD_BYTES) : ownCopy(start, start.length);
  const header = parseNiftiHeader(file, head);
  const { dims, frames } = niftiDims(file, header);
  chosenFrame(file, frame === undefined ? {} : { frame }, frames, header.dim.slice(1, header.dim[0] + 1));
  const wideInteger = WIDE_INTEGER_DATATYPES[header.datatypeCode];
  // 64-bit integers are narrowed by the reader; 8 bytes is the most the result can take.
  const datatype =
    niftiDatatype(header.datatypeCode) ?? (wideInteger && { name: wideInteger.name, ArrayType: Float64Array });
  if (!datatype)
    throw new MisasInputError(
      file,
      `unsupported NIfTI datatype ${header.datatypeCode} (${niftiDatatypeName(header.datatypeCode)})`,
    );
  const bytes = datatype.ArrayType.BYTES_PER_ELEMENT;
  if (header.bitpix !== bytes * 8) {
    throw new MisasInputError(
      file,
      `invalid NIfTI header: bitpix ${header.bitpix} does not match datatype ${datatype.name} (${bytes * 8} bits)`,
    );
  }
  if (!compressed) {
    // An uncompressed file's size tells whether the voxels are all there; a .nii.gz would need a full gunzip.
    if (!(Number.isInteger(header.voxOffset) && header.voxOffset >= 0)) {
      throw new MisasInputError(file, `invalid NIfTI header: vox_offset ${header.voxOffset} is not a byte position`);
    }
    const offset = Math.max(header.voxOffset, header.minimumDataOffset);
    const needed = dims.reduce((product, n) => product * n, bytes) * frames;
    const available = Math.max(0, (await stat(file)).size - offset);
    if (available < needed) {
      throw new MisasInputError(
        file,
        `truncated or inconsistent NIfTI: the header declares ${formatDims(dims)} ${datatype.name} voxels × ${frames} frame(s) = ${formatBytes(needed)} from byte ${offset}, but the file holds only ${formatBytes(available)} of data there`,
      );
    }
  }
  const factor = UNIT_TO_MM[header.xyztUnits & 7] ?? 1;
  const spacing = voxelSizes(header.geometry.pixdim)
    .slice(0, dims.length)
    .map((size) => size * factor);
  const wide =
    datatype.ArrayType === Float64Array || datatype.ArrayType === Int32Array || datatype.ArrayType === Uint32Array;
  return { dims, spacing, channels: 1, bytesPerVoxel: scaledBytes(header, bytes, wide) };
}

interface PngChunkHeader {
  length: number;
  type: string;
}

/** Chunks up to the first IDAT: IHDR (size, colour type, depth), PLTE (grey or colour) and pHYs (spacing) come before it. */
/** Files up to this size get their chunk structure and CRCs checked up front (a whole read). */
const PNG_FULL_CHECK_BYTES = 64 * 1024 * 1024;

function peekPng(file: string): Promise<ImagePeek> {
  return withFile(file, async (readAt) => {
    const peek = await peekPngChunks(file, readAt);
    const size = (await stat(file)).size;
    if (size <= PNG_FULL_CHECK_BYTES) checkPngChunks(file, await readAt(0, size));
    return peek;
  });
}

async function peekPngChunks(file: string, readAt: ReadAt): Promise<ImagePeek> {
  const corrupt = (problem: string) => new MisasInputError(file, `corrupt PNG: ${problem}`);
  const signature = await readAt(0, 8);
  if (signature.length === 0) throw new MisasInputError(file, 'the file is empty (0 bytes)');
  if (signature.length < 8 || PNG_SIGNATURE.some((byte, i) => signature[i] !== byte))
    throw new MisasInputError(file, 'not a PNG file (the PNG signature is missing)');
  let position = 8;
  const nextChunk = async (): Promise<PngChunkHeader> => {
    const bytes = await readAt(position, 8);
    if (bytes.length < 8) throw corrupt('the file ends before the image data (truncated)');
    position += 8;
    return { length: bytes.readUInt32BE(0), type: bytes.toString('latin1', 4, 8) };
  };
  const chunkData = async (chunk: PngChunkHeader, length = chunk.length): Promise<Buffer> => {
    const data = await readAt(position, length);
    if (data.length < length) throw corrupt(`the ${chunk.type} chunk is cut short (truncated)`);
    return data;
  };

  const ihdr = await nextChunk();
  if (ihdr.type !== 'IHDR' || ihdr.length !== 13) throw corrupt('the first chunk is not a 13-byte IHDR');
  const header = await chunkData(ihdr);
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const depth = header[8];
  const colourType = header[9];
  const depths: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
  if (!depths[colourType]?.includes(depth))
    throw corrupt(`colour type ${colourType} with bit depth ${depth} is not a valid combination`);
  if (width < 1 || height < 1) throw corrupt(`image of ${width}×${height} pixels`);
  position += ihdr.length + 4;

  let greyPalette: boolean | undefined;
  let spacing = [1, 1];
  for (;;) {
    const chunk = await nextChunk();
    if (chunk.type === 'IDAT' || chunk.type === 'IEND') break;
    if (chunk.type === 'PLTE') {
      if (chunk.length > 768 || chunk.length % 3 !== 0)
        throw corrupt(`a PLTE chunk of ${chunk.length} bytes (at most 256 colours of 3 bytes)`);
      const palette = await chunkData(chunk);
      greyPalette = true;
      for (let i = 0; i + 2 < palette.length; i += 3)
        if (palette[i] !== palette[i + 1] || palette[i + 1] !== palette[i + 2]) greyPalette = false;
    } else if (chunk.type === 'pHYs' && chunk.length >= 9) {
      const physical = await chunkData(chunk, 9);
      const [x, y, unit] = [physical.readUInt32BE(0), physical.readUInt32BE(4), physical[8]];
      // Pixels per metre → mm per pixel; other units (or none) leave 1 mm, as the reader does.
      if (unit === 1 && x > 0 && y > 0) spacing = [1000 / x, 1000 / y];
    }
    position += chunk.length + 4;
  }
  if (colourType === 3 && greyPalette === undefined) throw corrupt('a palette image without a PLTE chunk');
  // Grey (+alpha) → 1 channel; RGB(A) → 3; palette → 1 when every colour is grey, else 3.
  const channels = colourType === 0 || colourType === 4 || (colourType === 3 && greyPalette) ? 1 : 3;
  return { dims: [width, height], spacing, channels, bytesPerVoxel: depth === 16 ? 2 : 1 };
}

function peekOfVolume(volume: Volume): ImagePeek {
  return {
    dims: [...volume.dims],
    spacing: [...volume.spacing],
    channels: volume.channels,
    bytesPerVoxel: volume.data.BYTES_PER_ELEMENT,
  };
}

/** A DICOM series folder or glob: every file's header, sorted and checked as the reader does; no pixels. */
async function peekDicomSeries(folder: string, frame: number | undefined): Promise<ImagePeek> {
  const plan = await planDicomSeries(folder);
  if ('singleFile' in plan) return peekOfVolume(await readImage(plan.singleFile, frame === undefined ? {} : { frame }));
  checkNoFrame(plan, frame === undefined ? {} : { frame });
  return {
    dims: [...plan.dims],
    spacing: [...plan.spacing],
    channels: plan.channels,
    bytesPerVoxel: plan.bytesPerVoxel,
  };
}

/** The size of an image (NIfTI, NRRD, MetaImage, PNG, DICOM) from its header; MisasInputError naming the file when it is not readable. */
export async function peekImage(path: string, frame?: number): Promise<ImagePeek> {
  if (await isDicomSeriesPath(path)) return peekDicomSeries(path, frame);
  const format = formatOfPath(path);
  if (format === 'nifti') return peekNifti(path, frame);
  if (format === 'png') return peekPng(path);
  if (format === 'nrrd') return peekNrrd(path);
  if (format === 'metaimage') return peekMetaImage(path);
  // DICOM (with or without an extension) and anything else: the reader decides and says what is wrong.
  return peekOfVolume(await readImage(path, frame === undefined ? {} : { frame }));
}
