/**
 * The sample type an image file stores its values in, carried on the Volume so that a
 * transform can clip its result to what that file could hold ("dtype-range") even after the
 * data became floats (scl_slope / Rescale Slope, interpolating spatial transforms).
 */
import { isIntegerArray, type VoxelArray } from './volume';

export interface SampleType {
  /** The stored type as the file names it: 'uint8', 'int16', 'uint12' (DICOM Bits Stored 12) … */
  name: string;
  /** Smallest and largest value the file can hold, in the volume's units (after any scaling). */
  min: number;
  max: number;
  /**
   * True when the volume's values are the stored integers themselves: a cast to the type then
   * drops fractions. False after a linear rescale (the values are then physical, not integers).
   */
  integer: boolean;
  /** The linear rescale applied on reading, when there was one (for messages and docs). */
  scaling?: { slope: number; intercept: number };
}

/** The sample type of `bits`-bit integers, signed (two's complement) or not. */
export function integerSampleType(bits: number, signed: boolean): SampleType {
  const name = `${signed ? 'int' : 'uint'}${bits}`;
  return signed
    ? { name, min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1, integer: true }
    : { name, min: 0, max: 2 ** bits - 1, integer: true };
}

/** The type after value·slope + intercept: its range moves with the values, its values are no longer integers. */
export function scaledSampleType(stored: SampleType, slope: number, intercept: number): SampleType {
  const ends = [stored.min * slope + intercept, stored.max * slope + intercept];
  return {
    name: stored.name,
    min: Math.min(...ends),
    max: Math.max(...ends),
    integer: false,
    scaling: { slope, intercept },
  };
}

const BITS: [new (n: number) => VoxelArray, number, boolean][] = [
  [Uint8Array, 8, false],
  [Int8Array, 8, true],
  [Uint16Array, 16, false],
  [Int16Array, 16, true],
  [Uint32Array, 32, false],
  [Int32Array, 32, true],
];

/** The sample type implied by an integer typed array; undefined for float arrays (no range to clip to). */
export function sampleTypeOfArray(data: VoxelArray): SampleType | undefined {
  if (!isIntegerArray(data)) return undefined;
  const entry = BITS.find(([ArrayType]) => data instanceof ArrayType);
  return entry ? integerSampleType(entry[1], entry[2]) : undefined;
}

/**
 * What the image's file stores: the reader's record when there is one, else what the data's own
 * array type implies (images built in memory). Undefined for float images.
 */
export function sampleTypeOf(volume: { data: VoxelArray; sampleType?: SampleType }): SampleType | undefined {
  return volume.sampleType ?? sampleTypeOfArray(volume.data);
}
