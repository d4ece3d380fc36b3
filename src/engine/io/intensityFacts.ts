/**
 * An image's intensity facts: what its values are before any normalisation (type, range, mean,
 * standard deviation, 1st/99th percentile) and its size. The analyze wizard shows them beside
 * the normalisation question and checks each choice against them (intensityFit.ts).
 *
 * Memory stays bounded: the header is peeked first and images above `maxBytes` are refused
 * before their voxels are read; percentiles come from at most PERCENTILE_SAMPLE values (a
 * regular sample of larger images, said so in `sampled`).
 */
import { MisasInputError } from '../errors';
import type { VoxelArray, Volume } from '../volume';
import { formatBytes, formatDims } from './options';
import { peekImage } from './peek';
import { readImage } from './read';

export interface IntensityFacts {
  /** The reader's array type, i.e. what normalisation sees: 'uint8', 'int16', 'float32', … */
  dtype: string;
  /** [nx, ny] or [nx, ny, nz]. */
  dims: number[];
  channels: number;
  min: number;
  max: number;
  mean: number;
  /** Population standard deviation (numpy's default ddof = 0). */
  sd: number;
  /** 1st and 99th percentile, linear interpolation between order statistics (numpy's default). */
  p1: number;
  p99: number;
  /** Every value is a whole number (always true for integer types). */
  integers: boolean;
  /** How many values the percentiles were computed from, when fewer than all (a regular sample). */
  sampled?: number;
  /** Values that are NaN or infinite; left out of every statistic. */
  nonFinite?: number;
}

/** At most this many values are sorted for the percentiles (16 MiB of float32). */
export const PERCENTILE_SAMPLE = 2 ** 22;
/** Images larger than this (voxel data as read) get no facts: the wizard is not worth a huge read. */
export const DEFAULT_FACTS_MAX_BYTES = 2 ** 30;

const DTYPE_NAMES: Array<[new (...args: never[]) => VoxelArray, string]> = [
  [Uint8Array, 'uint8'],
  [Int8Array, 'int8'],
  [Uint16Array, 'uint16'],
  [Int16Array, 'int16'],
  [Uint32Array, 'uint32'],
  [Int32Array, 'int32'],
  [Float32Array, 'float32'],
  [Float64Array, 'float64'],
];

export function dtypeName(data: VoxelArray): string {
  return DTYPE_NAMES.find(([type]) => data instanceof type)?.[1] ?? 'unknown';
}

/** The q-th percentile (0…100) of ascending `sorted`, as numpy.percentile's default 'linear' method. */
export function percentileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const position = ((n - 1) * q) / 100;
  const below = Math.floor(position);
  const above = Math.min(below + 1, n - 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}

/** The facts of a volume in memory (all channels together). */
export function intensityFacts(volume: Volume): IntensityFacts {
  const { data } = volume;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let finite = 0;
  let integers = true;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) continue;
    finite++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
    if (integers && !Number.isInteger(v)) integers = false;
  }
  const mean = finite ? sum / finite : NaN;
  // Second pass for the variance: sum of squared deviations does not cancel catastrophically.
  let squares = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (Number.isFinite(v)) squares += (v - mean) * (v - mean);
  }
  const stride = Math.max(1, Math.ceil(finite / PERCENTILE_SAMPLE));
  const sample = new Float64Array(Math.ceil(finite / stride));
  let taken = 0;
  for (let i = 0, seen = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) continue;
    if (seen++ % stride === 0) sample[taken++] = v;
  }
  const sorted = sample.subarray(0, taken).sort();
  const facts: IntensityFacts = {
    dtype: dtypeName(data),
    dims: [...volume.dims],
    channels: volume.channels,
    min: finite ? min : NaN,
    max: finite ? max : NaN,
    mean,
    sd: finite ? Math.sqrt(squares / finite) : NaN,
    p1: percentileOfSorted(sorted, 1),
    p99: percentileOfSorted(sorted, 99),
    integers,
  };
  if (stride > 1) facts.sampled = taken;
  if (finite < data.length) facts.nonFinite = data.length - finite;
  return facts;
}

/**
 * Reads an image and returns its facts; the header first, so an image above `maxBytes` is refused
 * (MisasInputError naming the file) before its voxels are read.
 */
export async function readIntensityFacts(path: string, maxBytes = DEFAULT_FACTS_MAX_BYTES): Promise<IntensityFacts> {
  const peek = await peekImage(path);
  const bytes = peek.dims.reduce((product, n) => product * n, peek.bytesPerVoxel * peek.channels);
  if (bytes > maxBytes) {
    throw new MisasInputError(
      path,
      `image of ${formatDims(peek.dims)} voxels (${formatBytes(bytes)}) is larger than the ${formatBytes(maxBytes)} read for its intensity facts`,
    );
  }
  return intensityFacts(await readImage(path, { maxBytes }));
}
