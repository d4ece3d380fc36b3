/** Options shared by the readers, and the size limit that protects memory. */
import { MisasInputError } from '../errors';

export interface ReadImageOptions {
  /**
   * Which frame of a 4D NIfTI (or a multi-frame DICOM) to return. Required when the file holds
   * more than one: misas never picks a frame for the user (experiment inputs take "frame").
   */
  frame?: number;
  /** Read a file with a single frame whatever `frame` says (the 3D mask of a 4D series). */
  anyFrameOfOne?: boolean;
  /** Refuse images whose voxel data is larger than this many bytes (default 2^31). */
  maxBytes?: number;
  /**
   * What the file will be used as. 'labelMap' returns palette PNG indices (class numbers)
   * instead of expanding them to colours; readLabelMap sets it.
   */
  kind?: 'image' | 'labelMap';
  /** Told after each file of a DICOM series is read (done of total), so a long read can show progress. */
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_MAX_BYTES = 2 ** 31;

/** "3221225472 bytes (3.00 GiB)": exact for scripts, readable for people. */
export function formatBytes(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let size = bytes;
  let unit = '';
  for (const next of units) {
    if (size < 1024) break;
    size /= 1024;
    unit = next;
  }
  return unit ? `${bytes} bytes (${size.toFixed(2)} ${unit})` : `${bytes} bytes`;
}

/** "181×217×181" */
export function formatDims(dims: readonly number[]): string {
  return dims.join('×');
}

/** The frame index to read, checked against the number of frames the file holds. */
export function chosenFrame(file: string, options: ReadImageOptions, frames: number, dims?: readonly number[]): number {
  if (options.frame === undefined && frames > 1) {
    const shape = dims ? ` (dims ${formatDims(dims)})` : '';
    throw new MisasInputError(
      file,
      `holds ${frames} frames${shape} and no frame was chosen; give the input a "frame" (0…${frames - 1}) in the experiment`,
    );
  }
  if (frames === 1 && options.anyFrameOfOne) return 0;
  const frame = options.frame ?? 0;
  if (!Number.isInteger(frame) || frame < 0 || frame >= frames) {
    const available = frames === 1 ? 'only frame 0' : `frames 0…${frames - 1}`;
    throw new MisasInputError(file, `frame ${frame} requested but the file holds ${available}`);
  }
  return frame;
}

/** Refuses voxel data above the limit before anything is allocated for it. */
export function checkDataSize(
  file: string,
  dims: readonly number[],
  bytesPerVoxel: number,
  options: ReadImageOptions,
): void {
  const limit = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const bytes = dims.reduce((product, n) => product * n, bytesPerVoxel);
  if (bytes > limit) {
    throw new MisasInputError(
      file,
      `image of ${formatDims(dims)} voxels needs ${formatBytes(bytes)}, more than the limit of ${formatBytes(limit)} (option maxBytes)`,
    );
  }
}
