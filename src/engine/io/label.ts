/** Label maps: integer class numbers, one channel, on the image's grid. */
import { MisasInputError } from '../errors';
import { isIntegerArray, valueRange, voxelCount, withData, type Volume, type VoxelArray, type VoxelArrayConstructor } from '../volume';
import { formatDims, type ReadImageOptions } from './options';
import { readImage } from './read';

/** "(12, 40, 3)": a voxel position in the order of dims. */
function position(index: number, dims: readonly number[]): string {
  const coordinates: number[] = [];
  let rest = index;
  for (const n of dims) {
    coordinates.push(rest % n);
    rest = Math.floor(rest / n);
  }
  return `(${coordinates.join(', ')})`;
}

/** The smallest integer array type that holds every value in [min, max]. */
export function integerArrayTypeFor(min: number, max: number): VoxelArrayConstructor {
  const candidates: [VoxelArrayConstructor, number, number][] = [
    [Uint8Array, 0, 255],
    [Int8Array, -128, 127],
    [Uint16Array, 0, 65535],
    [Int16Array, -32768, 32767],
    [Uint32Array, 0, 4294967295],
    [Int32Array, -2147483648, 2147483647],
  ];
  const fit = candidates.find(([, low, high]) => min >= low && max <= high);
  if (!fit) throw new RangeError(`no integer array holds ${min}…${max}`);
  return fit[0];
}

/** One channel: RGB masks are accepted only when every pixel is grey (r = g = b). */
function singleChannel(volume: Volume, file: string): VoxelArray {
  const size = voxelCount(volume.dims);
  if (volume.channels === 1) return volume.data;
  for (let i = 0; i < size; i++) {
    const values = Array.from({ length: volume.channels }, (_, c) => volume.data[c * size + i]);
    if (values.some((value) => value !== values[0])) {
      throw new MisasInputError(
        file,
        `a label map needs one channel of class numbers, but this image has ${volume.channels} channels that differ, ` +
          `e.g. at ${position(i, volume.dims)}: (${values.join(', ')}); save the mask as a grey or palette PNG of class numbers`,
      );
    }
  }
  return volume.data.slice(0, size);
}

/** Checks that every value is an integer; float data with integral values becomes an integer array. */
function integerData(data: VoxelArray, dims: readonly number[], file: string): VoxelArray {
  if (isIntegerArray(data)) return data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isInteger(data[i])) {
      throw new MisasInputError(file, `a label map must hold integer class numbers, but voxel ${position(i, dims)} has the value ${data[i]}`);
    }
  }
  const [min, max] = valueRange(data);
  const ArrayType = integerArrayTypeFor(min, max);
  return ArrayType.from(data);
}

/** `volume` as a label map (integer array, one channel), or a MisasInputError naming `file`. */
export function toLabelMap(volume: Volume, file: string): Volume {
  const data = integerData(singleChannel(volume, file), volume.dims, file);
  return { ...withData(volume, data), channels: 1 };
}

export async function readLabelMap(path: string, options: ReadImageOptions = {}): Promise<Volume> {
  return toLabelMap(await readImage(path, { ...options, kind: 'labelMap' }), path);
}

/** A mask must lie on its image's voxel grid: same dims. */
export function checkSameGrid(image: Volume, imagePath: string, mask: Volume, maskPath: string): void {
  const same = image.dims.length === mask.dims.length && image.dims.every((n, i) => n === mask.dims[i]);
  if (!same) {
    throw new MisasInputError(
      maskPath,
      `the mask is ${formatDims(mask.dims)} voxels but its image ${imagePath} is ${formatDims(image.dims)}; a mask must have the same dims as its image`,
    );
  }
}
