/** Byte-level helpers shared by the binary readers. */
import { endianness } from 'node:os';
import type { VoxelArray, VoxelArrayConstructor } from '../volume';

export const HOST_IS_LITTLE_ENDIAN = endianness() === 'LE';

/** Reverses the bytes of each `width`-byte element in place. */
export function swapBytes(bytes: Uint8Array, width: number): void {
  if (width === 1) return;
  for (let start = 0; start < bytes.length; start += width) {
    for (let low = start, high = start + width - 1; low < high; low++, high--) {
      const byte = bytes[low];
      bytes[low] = bytes[high];
      bytes[high] = byte;
    }
  }
}

/**
 * A typed array over a copy of `bytes` (so it is aligned and owns its memory), converted from
 * the file's byte order to the host's.
 */
export function typedArrayFromBytes(
  bytes: Uint8Array,
  ArrayType: VoxelArrayConstructor,
  littleEndian: boolean,
): VoxelArray {
  const copy = new Uint8Array(bytes);
  if (littleEndian !== HOST_IS_LITTLE_ENDIAN) swapBytes(copy, ArrayType.BYTES_PER_ELEMENT);
  return new ArrayType(copy.buffer, 0, copy.length / ArrayType.BYTES_PER_ELEMENT);
}

/** value·slope + intercept into floats: float64 where float32 would lose integer precision. */
export function applyLinearScaling(data: VoxelArray, slope: number, intercept: number): Float32Array | Float64Array {
  const wide = data instanceof Float64Array || data instanceof Int32Array || data instanceof Uint32Array;
  const scaled = wide ? new Float64Array(data.length) : new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) scaled[i] = data[i] * slope + intercept;
  return scaled;
}

/**
 * 64-bit integers as the narrowest exact array: int32 / uint32 when every value fits, else
 * float64 when every value is within ±2^53; undefined when a value would lose precision.
 */
export function narrowWideIntegers(bytes: Uint8Array, signed: boolean, littleEndian: boolean): VoxelArray | undefined {
  const copy = new Uint8Array(bytes);
  if (littleEndian !== HOST_IS_LITTLE_ENDIAN) swapBytes(copy, 8);
  const wide = signed
    ? new BigInt64Array(copy.buffer, 0, copy.length / 8)
    : new BigUint64Array(copy.buffer, 0, copy.length / 8);
  let min = 0n,
    max = 0n;
  for (const v of wide) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const exact = BigInt(Number.MAX_SAFE_INTEGER);
  if (min < -exact || max > exact) return undefined;
  const Narrow =
    min >= -2147483648n && max <= 2147483647n
      ? Int32Array
      : max <= 4294967295n && min >= 0n
        ? Uint32Array
        : Float64Array;
  const narrow = new Narrow(wide.length);
  for (let i = 0; i < wide.length; i++) narrow[i] = Number(wide[i]);
  return narrow;
}
