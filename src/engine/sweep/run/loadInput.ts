/** Loading an experiment's inputs: image, label map (or none), slice selection. */
import { basename } from 'node:path';
import { MisasInputError } from '../../errors';
import { checkSameGrid, readImage, readLabelMap, type ReadImageOptions } from '../../io';
import { voxelCount, type Volume } from '../../volume';

export interface LoadedInput {
  /** Index in the experiment's inputs (several loaded inputs share it when slices are picked). */
  index: number;
  /** Display label: file name, plus the slice when one was picked. */
  label: string;
  imagePath: string;
  maskPath?: string;
  slice?: { axis: number; index: number };
  image: Volume;
  /** Ground truth; undefined means the prediction on the untransformed image is the pseudo-truth. */
  mask?: Volume;
}

/** Copies one slice along `axis` (0, 1 or 2) of a 3D volume into a 2D volume of the two other axes. */
export function extractSlice(volume: Volume, axis: number, index: number): Volume {
  const [nx, ny, nz] = volume.dims;
  const sizes = [nx, ny, nz];
  if (index < 0 || index >= sizes[axis])
    throw new RangeError(`slice ${index} is outside 0…${sizes[axis] - 1} along axis ${axis}`);
  const kept = [0, 1, 2].filter((a) => a !== axis);
  const [w, h] = [sizes[kept[0]], sizes[kept[1]]];
  const Type = volume.data.constructor as new (n: number) => typeof volume.data;
  const data = new Type(w * h * volume.channels);
  const stride = [1, nx, nx * ny];
  const per = voxelCount(volume.dims);
  for (let c = 0; c < volume.channels; c++) {
    for (let v = 0; v < h; v++) {
      for (let u = 0; u < w; u++) {
        const source = c * per + index * stride[axis] + u * stride[kept[0]] + v * stride[kept[1]];
        data[c * w * h + u + w * v] = volume.data[source];
      }
    }
  }
  const spacing = [volume.spacing[kept[0]] ?? 1, volume.spacing[kept[1]] ?? 1];
  return {
    data,
    dims: [w, h],
    spacing,
    affine: volume.affine.map((row) => [...row]),
    channels: volume.channels,
    ...(volume.sampleType ? { sampleType: volume.sampleType } : {}),
  };
}

/**
 * Why a volume cannot be sliced along `sliceAxis`, or undefined: one voxel along another axis
 * would give 1×N slices. (One voxel along the slice axis itself is a single 2D slice, which is
 * fine; a NIfTI with nz = 1 is read as 2D anyway.)
 */
export function thinVolumeProblem(dims: readonly number[], sliceAxis: number): string | undefined {
  if (dims.length !== 3) return undefined;
  const thin = [0, 1, 2].find((axis) => axis !== sliceAxis && dims[axis] === 1);
  if (thin === undefined) return undefined;
  const kept = [0, 1, 2].filter((axis) => axis !== sliceAxis).map((axis) => dims[axis]);
  return (
    `the volume is ${dims.join('×')} voxels, one voxel thick along axis ${thin}, so its slices along axis ${sliceAxis} (the model's slice axis) ` +
    `would be ${kept.join('×')} lines, not images; save it as a 2D image without the thin axis, or set "sliceAxis": ${thin} in the model card`
  );
}

/** NaN and ±Infinity voxels, counted, so that the image (not the model) is named for them. */
export function checkFiniteImage(image: Volume, file: string): void {
  let nan = 0,
    positive = 0,
    negative = 0,
    first = -1;
  for (let i = 0; i < image.data.length; i++) {
    const v = image.data[i];
    if (v - v === 0) continue;
    if (first < 0) first = i;
    if (Number.isNaN(v)) nan++;
    else if (v > 0) positive++;
    else negative++;
  }
  if (first < 0) return;
  const counts = [
    [nan, 'NaN'],
    [positive, '+Infinity'],
    [negative, '−Infinity'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, what]) => `${n} voxel${n === 1 ? ' is' : 's are'} ${what}`);
  const voxels = voxelCount(image.dims);
  const at = first % voxels;
  const coordinates = image.dims.map(
    (_, axis) => Math.floor(at / image.dims.slice(0, axis).reduce((p, n) => p * n, 1)) % image.dims[axis],
  );
  throw new MisasInputError(
    file,
    `${counts.join(', ')} (the first at (${coordinates.join(', ')})); the image must hold finite numbers before a model can be run on it`,
  );
}

export async function loadInput(
  entry: { image: string; mask?: string; slices?: number[]; frame?: number },
  index: number,
  sliceAxis: number,
  onReadProgress?: ReadImageOptions['onProgress'],
): Promise<LoadedInput[]> {
  const frame = entry.frame === undefined ? {} : { frame: entry.frame };
  const image = await readImage(entry.image, { ...frame, ...(onReadProgress ? { onProgress: onReadProgress } : {}) });
  checkFiniteImage(image, entry.image);
  const thin = thinVolumeProblem(image.dims, sliceAxis);
  if (thin) throw new MisasInputError(entry.image, thin);
  const mask = entry.mask ? await readLabelMap(entry.mask, { ...frame, anyFrameOfOne: true }) : undefined;
  if (mask) checkSameGrid(image, entry.image, mask, entry.mask!);
  const common = { index, imagePath: entry.image, ...(entry.mask ? { maskPath: entry.mask } : {}) };
  if (!entry.slices) return [{ ...common, label: basename(entry.image), image, ...(mask ? { mask } : {}) }];
  if (image.dims.length !== 3) {
    throw new MisasInputError(entry.image, `"slices" was given but the image is 2D (${image.dims.join('×')})`);
  }
  return entry.slices.map((slice) => {
    try {
      return {
        ...common,
        label: `${basename(entry.image)} [slice ${slice}]`,
        slice: { axis: sliceAxis, index: slice },
        image: extractSlice(image, sliceAxis, slice),
        ...(mask ? { mask: extractSlice(mask, sliceAxis, slice) } : {}),
      };
    } catch (thrown) {
      throw new MisasInputError(entry.image, (thrown as Error).message);
    }
  });
}
