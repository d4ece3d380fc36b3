/**
 * DICOM series headers: what a series needs from each file (up to Pixel Data, no pixels), read
 * asynchronously for the reader and synchronously for dataset expansion, and grouped by series.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import type { DataSet } from 'dicom-parser';
import { MisasInputError, describeThrown } from '../errors';
import { TAG, hasDicomMagic, parseDicom } from './dicom';
import { readFileHead, readInputFile } from './files';
const SERIES_TAG = {
  seriesUid: 'x0020000e',
  seriesNumber: 'x00200011',
  seriesDescription: 'x0008103e',
} as const;

/** Headers are read from the first 64 KiB; a longer header (big private tags) reads the whole file. */
const HEADER_BYTES = 64 * 1024;

export interface SliceHeader {
  file: string;
  /** The file's name, for messages. */
  label: string;
  seriesUid: string;
  seriesNumber?: string;
  seriesDescription?: string;
  rows: number;
  columns: number;
  samples: number;
  bitsAllocated: number;
  signed: boolean;
  frames: number;
  rescaled: boolean;
  /** Row direction then column direction (LPS unit vectors); undefined when the file has none. */
  orientation?: number[];
  /** Image Position (Patient); [] when the file has none (refused before stacking). */
  position: number[];
  /** [column spacing, row spacing], as the single-file reader orders them. */
  spacing: [number, number];
}

function numbers(dataSet: DataSet, tag: string, count: number): number[] | undefined {
  const values = Array.from({ length: count }, (_, i) => dataSet.floatString(tag, i));
  return values.every((value) => value !== undefined && Number.isFinite(value)) ? (values as number[]) : undefined;
}

function cleanString(dataSet: DataSet, tag: string): string | undefined {
  const value = dataSet.string(tag)?.replace(/\0/g, '').trim();
  return value ? value : undefined;
}

function positiveOr1(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : 1;
}

function sliceHeader(file: string, dataSet: DataSet): SliceHeader | undefined {
  const rows = dataSet.uint16(TAG.rows);
  const columns = dataSet.uint16(TAG.columns);
  // Not an image (a structured report, a presentation state): not a slice.
  if (rows === undefined || columns === undefined || !dataSet.elements[TAG.pixelData]) return undefined;
  const bitsAllocated = dataSet.uint16(TAG.bitsAllocated) ?? 0;
  const slope = dataSet.floatString(TAG.rescaleSlope) ?? 1;
  const intercept = dataSet.floatString(TAG.rescaleIntercept) ?? 0;
  const spacingTag = dataSet.elements[TAG.pixelSpacing] ? TAG.pixelSpacing : TAG.imagerPixelSpacing;
  return {
    file,
    label: basename(file),
    seriesUid: cleanString(dataSet, SERIES_TAG.seriesUid) ?? '',
    seriesNumber: cleanString(dataSet, SERIES_TAG.seriesNumber),
    seriesDescription: cleanString(dataSet, SERIES_TAG.seriesDescription),
    rows,
    columns,
    samples: dataSet.uint16(TAG.samplesPerPixel) ?? 1,
    bitsAllocated,
    signed: dataSet.uint16(TAG.pixelRepresentation) === 1,
    frames: dataSet.intString(TAG.numberOfFrames) ?? 1,
    rescaled: Number.isFinite(slope) && Number.isFinite(intercept) && (slope !== 1 || intercept !== 0),
    orientation: numbers(dataSet, TAG.imageOrientation, 6),
    position: numbers(dataSet, TAG.imagePosition, 3) ?? [],
    spacing: [positiveOr1(dataSet.floatString(spacingTag, 1)), positiveOr1(dataSet.floatString(spacingTag, 0))],
  };
}

/** The header of one file, or undefined when it is not a DICOM image; `label` names it in messages. */
export async function readSliceHeader(file: string, label = basename(file)): Promise<SliceHeader | undefined> {
  const header = await readSliceHeaderOf(file);
  return header && { ...header, label };
}

async function readSliceHeaderOf(file: string): Promise<SliceHeader | undefined> {
  const head: Uint8Array = await readFileHead(file, HEADER_BYTES);
  if (!hasDicomMagic(head)) return undefined;
  if (head.length < HEADER_BYTES) return headerOf(file, parseDicom(file, head, true));
  // The head may end inside the header (a large private element): then the whole file is parsed.
  let dataSet: DataSet | undefined;
  try {
    dataSet = parseDicom(file, head, true);
  } catch {
    dataSet = undefined;
  }
  if (!dataSet?.elements[TAG.pixelData]) dataSet = parseDicom(file, await readInputFile(file), true);
  return headerOf(file, dataSet);
}

/**
 * The header of one file, read synchronously (dataset expansion is synchronous); undefined when
 * it is not a DICOM image. As readSliceHeader: the first 64 KiB, the whole file when the header is longer.
 */
export function readSliceHeaderSync(file: string, label = basename(file)): SliceHeader | undefined {
  let head: Uint8Array;
  try {
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(HEADER_BYTES);
      head = buffer.subarray(0, readSync(fd, buffer, 0, HEADER_BYTES, 0));
    } finally {
      closeSync(fd);
    }
  } catch (thrown) {
    throw new MisasInputError(file, `cannot read the file (${describeThrown(thrown)})`, { cause: thrown });
  }
  if (!hasDicomMagic(head)) return undefined;
  let dataSet: DataSet | undefined;
  try {
    dataSet = parseDicom(file, head, true);
  } catch (thrown) {
    if (head.length < HEADER_BYTES) throw thrown;
  }
  if (!dataSet?.elements[TAG.pixelData] && head.length === HEADER_BYTES)
    dataSet = parseDicom(file, readFileSync(file), true);
  const header = headerOf(file, dataSet!);
  return header && { ...header, label };
}

/** Whether a file starts like a DICOM Part-10 file ("DICM" at byte 128); unreadable files are not. */
export function hasDicomMagicSync(file: string): boolean {
  try {
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(132);
      return readSync(fd, buffer, 0, 132, 0) === 132 && hasDicomMagic(buffer);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** Whether a slice header can be a plane of a series volume (one frame, with a position). */
export function isStackable(header: SliceHeader): boolean {
  return header.frames === 1 && header.orientation !== undefined && header.position.length === 3;
}

/** The headers by Series Instance UID, in order of first appearance. */
export function groupBySeries(headers: SliceHeader[]): Map<string, SliceHeader[]> {
  const bySeries = new Map<string, SliceHeader[]>();
  for (const header of headers) bySeries.set(header.seriesUid, [...(bySeries.get(header.seriesUid) ?? []), header]);
  return bySeries;
}

/** "uid series 3 "T1 sag": 12 file(s), e.g. IM0001; …": each series, for messages. */
export function describeSeriesList(bySeries: Map<string, SliceHeader[]>): string {
  return [...bySeries].map(([uid, slices]) => describeSeries(uid, slices)).join('; ');
}

export function headerOf(file: string, dataSet: DataSet): SliceHeader | undefined {
  try {
    return sliceHeader(file, dataSet);
  } catch (thrown) {
    // dicom-parser's accessors throw TypeErrors on some damaged elements.
    throw new MisasInputError(file, `unreadable DICOM, an element is damaged (${describeThrown(thrown)})`, {
      cause: thrown,
    });
  }
}

export function describeSeries(uid: string, slices: SliceHeader[]): string {
  const first = slices[0];
  const number = first.seriesNumber ? ` series ${first.seriesNumber}` : '';
  const description = first.seriesDescription ? ` "${first.seriesDescription}"` : '';
  return `${uid || '(no Series Instance UID)'}${number}${description}: ${slices.length} file(s), e.g. ${first.label}`;
}
