/**
 * From a Volume to model input tensors: which model inputs an image makes (itself, or its
 * slices for a 2D model), channel handling, normalisation and the geometry step, then
 * packing into the model's layout.
 */
import { MisasInputError } from '../errors';
import { voxelCount, type Volume } from '../volume';
import { isChannelsLast, type ModelCard } from './cardTypes';
import { modelGridFor, padCropCentred, resizeLinear, resizeLinearInto, sameDims } from './geometry';
import { applyIntensityMap, applyIntensityMapFrom, intensityMapFor, statisticFreeMap } from './normalize';
import {
  applyOrientation,
  isIdentityOrientation,
  orientationMap,
  orientedDims,
  type OrientationMap,
} from './orientation';
import { prepareVolumeSlices } from './volumeSlices';

/** One model input: a whole image, or one slice of a volume for a 2D model. */
export interface WorkItem {
  image: number;
  /** Slice index along card.sliceAxis, for a volume fed to a 2D model. */
  slice?: number;
  /** The grid the model input comes from (the image's, or the slice's), image axis order. */
  gridDims: number[];
  /** gridDims in the model's orientation (card.orientation): the grid the geometry step starts from. */
  orientedDims: number[];
  /** The model grid after the geometry step. */
  modelDims: number[];
}

/** The card's orientation as numbers (the card resolution has checked that it fits the model). */
export function cardOrientation(card: ModelCard): OrientationMap {
  return orientationMap(card.orientation, card.spatialDims)!;
}

/** The dims of a slice of `dims` (3D) perpendicular to `axis`: the remaining axes in order. */
export function sliceDims(dims: readonly number[], axis: number): number[] {
  return dims.filter((_, i) => i !== axis);
}

/** Voxel (u, v) of slice `index` along `axis` of a volume [nx, ny, nz] is at base + u·du + v·dv. */
function sliceStrides(dims: readonly number[], axis: number, index: number): { base: number; du: number; dv: number } {
  const [nx, ny] = dims;
  if (axis === 2) return { base: nx * ny * index, du: 1, dv: nx };
  if (axis === 1) return { base: nx * index, du: 1, dv: nx * ny };
  return { base: index, du: nx, dv: nx * ny };
}

export function extractSlice(data: Float32Array, dims: readonly number[], axis: number, index: number): Float32Array {
  const [w, h] = sliceDims(dims, axis);
  if (axis === 2) return data.slice(index * w * h, (index + 1) * w * h);
  const { base, du, dv } = sliceStrides(dims, axis, index);
  const out = new Float32Array(w * h);
  for (let v = 0; v < h; v++) for (let u = 0; u < w; u++) out[u + w * v] = data[base + u * du + v * dv];
  return out;
}

export function insertSlice<T extends Uint8Array | Uint16Array>(
  target: T,
  dims: readonly number[],
  axis: number,
  index: number,
  plane: T,
): void {
  const [w, h] = sliceDims(dims, axis);
  if (axis === 2) {
    target.set(plane, index * w * h);
    return;
  }
  const { base, du, dv } = sliceStrides(dims, axis, index);
  for (let v = 0; v < h; v++) for (let u = 0; u < w; u++) target[base + u * du + v * dv] = plane[u + w * v];
}

/** Checks an image against the card and lists the model inputs it makes. */
export function planItems(images: readonly Volume[], card: ModelCard, modelPath: string): WorkItem[] {
  const items: WorkItem[] = [];
  const orientation = cardOrientation(card);
  const item = (image: number, gridDims: number[], slice?: number): WorkItem => {
    const oriented = orientedDims(gridDims, orientation);
    return {
      image,
      ...(slice === undefined ? {} : { slice }),
      gridDims,
      orientedDims: oriented,
      modelDims: modelGridFor(card.geometry, oriented),
    };
  };
  images.forEach((volume, image) => {
    const problem = (text: string) => new MisasInputError(modelPath, `input ${image + 1} of ${images.length}: ${text}`);
    const { dims, channels } = volume;
    if (dims.length !== 2 && dims.length !== 3)
      throw problem(`has ${dims.length} dims; expected a 2D image or a 3D volume`);
    if (dims.some((n) => !Number.isInteger(n) || n < 1)) throw problem(`has invalid dims [${dims.join(', ')}]`);
    if (channels !== 1 && channels !== 3)
      throw problem(`has ${channels} channels; misas feeds grey (1) or RGB (3) images`);
    if (volume.data.length !== voxelCount(dims) * channels)
      throw problem(`holds ${volume.data.length} values, not ${voxelCount(dims)}×${channels}`);
    if (card.spatialDims === 3) {
      if (dims.length !== 3) throw problem('is a 2D image, but the model segments 3D volumes');
      items.push(item(image, [...dims]));
    } else if (dims.length === 2) {
      items.push(item(image, [...dims]));
    } else {
      const axis = card.sliceAxis ?? 2;
      const plane = sliceDims(dims, axis);
      for (let slice = 0; slice < dims[axis]; slice++) items.push(item(image, plane, slice));
    }
  });
  return items;
}

/** The image's channels as float planes, converted to the model's channel count. */
function modelChannels(volume: Volume, wanted: 1 | 3): Float32Array[] {
  const size = voxelCount(volume.dims);
  const planes = Array.from(
    { length: volume.channels },
    (_, c) => new Float32Array(volume.data.subarray(c * size, (c + 1) * size)),
  );
  return toModelChannels(planes, wanted);
}

/** Float planes of the image's channels (or of one slice of them) converted to the model's channel count. */
export function toModelChannels(planes: Float32Array[], wanted: 1 | 3): Float32Array[] {
  const size = planes[0]?.length ?? 0;
  if (planes.length === wanted) return planes;
  if (wanted === 3) return [planes[0], planes[0].slice(), planes[0].slice()];
  // RGB → grey: the mean of the channels.
  const grey = new Float32Array(size);
  for (let i = 0; i < size; i++) grey[i] = (planes[0][i] + planes[1][i] + planes[2][i]) / 3;
  return [grey];
}

function minimumOf(planes: readonly Float32Array[]): number {
  let min = Infinity;
  for (const plane of planes) for (let i = 0; i < plane.length; i++) if (plane[i] < min) min = plane[i];
  return Number.isFinite(min) ? min : 0;
}

/** Whether the geometry step may pad, i.e. needs a pad value (resize never pads). */
function mayPad(card: ModelCard): boolean {
  return card.geometry.policy !== 'resize';
}

/** The pad value of the geometry step for normalised planes; 0 when nothing is ever padded. */
export function padValueOf(card: ModelCard, planes: readonly Float32Array[]): number {
  return padsWithMinimum(card) ? minimumOf(planes) : 0;
}

/** Whether the pad value is the normalised image's minimum (else 0). */
export function padsWithMinimum(card: ModelCard): boolean {
  return mayPad(card) && card.geometry.padValue !== 'zero';
}

/**
 * An image made ready for the model up to the geometry step: model channels, normalised
 * when the statistics are the whole image's.
 */
export interface PreparedImage {
  /** The whole image's model channels; empty when `slicePlanes` makes them slice by slice. */
  planes: Float32Array[];
  normalized: boolean;
  /** The geometry step's pad value (0 for the resize policy, which never pads). */
  padValue: number;
  /** A volume for a 2D model: the model channels of one slice, made when asked (volumeSlices.ts). */
  slicePlanes?: (slice: number) => Float32Array[];
}

/**
 * Float32 planes of finished PreparedImages (releasePrepared), taken again by prepareImage's
 * fused path, which overwrites every value: a sweep prepares images of the same size over and
 * over, and a fresh zeroed array per image showed in profiles. A few per size, a few sizes.
 */
const sparePlanes = new Map<number, Float32Array[]>();
const SPARE_PER_SIZE = 4;
const SPARE_SIZES = 8;

/** A float32 array of `size` values whose contents are undefined (the caller writes them all). */
function planeToOverwrite(size: number): Float32Array {
  return sparePlanes.get(size)?.pop() ?? new Float32Array(size);
}

/** Hands a PreparedImage's planes back for reuse; the caller must not read the image again. */
export function releasePrepared(image: PreparedImage): void {
  for (const plane of image.planes) {
    let spare = sparePlanes.get(plane.length);
    if (!spare) {
      if (sparePlanes.size >= SPARE_SIZES) sparePlanes.clear();
      spare = [];
      sparePlanes.set(plane.length, spare);
    }
    if (spare.length < SPARE_PER_SIZE && !spare.includes(plane)) spare.push(plane);
  }
  image.planes = [];
}

export function prepareImage(volume: Volume, card: ModelCard): PreparedImage {
  // No float copy of a whole volume for a 2D model: its slices are made as they are fed.
  if (card.spatialDims === 2 && volume.dims.length === 3) return prepareVolumeSlices(volume, card);
  const fixedMap = statisticFreeMap(card.normalization, card.channels);
  if (fixedMap && volume.channels === card.channels) {
    // No statistics to gather first: the copy into float32 planes is the normalisation pass too.
    const size = voxelCount(volume.dims);
    const planes = Array.from({ length: card.channels }, () => planeToOverwrite(size));
    applyIntensityMapFrom(fixedMap, volume.data, size, planes);
    return { planes, normalized: true, padValue: padValueOf(card, planes) };
  }
  const planes = modelChannels(volume, card.channels);
  applyIntensityMap(intensityMapFor(card.normalization, planes), planes);
  return { planes, normalized: true, padValue: padValueOf(card, planes) };
}

/** One work item's input on its own grid, normalised and oriented, before the geometry step. */
export interface GridInput {
  /** Planar channels on item.orientedDims; may share memory with the PreparedImage: read only. */
  data: Float32Array;
  channels: number;
  /** The geometry step's pad value for this item. */
  padValue: number;
}

export function itemGridInput(
  item: WorkItem,
  prepared: PreparedImage,
  card: ModelCard,
  volumeDims: readonly number[],
): GridInput {
  let planes =
    item.slice === undefined
      ? prepared.planes
      : (prepared.slicePlanes?.(item.slice) ??
        prepared.planes.map((plane) => extractSlice(plane, volumeDims, card.sliceAxis ?? 2, item.slice!)));
  let padValue = prepared.padValue;
  if (!prepared.normalized) {
    if (item.slice === undefined) planes = planes.map((plane) => plane.slice());
    applyIntensityMap(intensityMapFor(card.normalization, planes), planes);
    padValue = padValueOf(card, planes);
  }
  // One channel needs no joining.
  let data = planes[0];
  if (planes.length > 1) {
    const size = voxelCount(item.gridDims);
    data = new Float32Array(size * planes.length);
    planes.forEach((plane, c) => data.set(plane, c * size));
  }
  const orientation = cardOrientation(card);
  if (!isIdentityOrientation(orientation))
    data = applyOrientation(data, item.gridDims, planes.length, orientation).data;
  return { data, channels: planes.length, padValue };
}

/** The model-grid input of one work item: planar channels, model dims (image axis order). */
export function itemInput(
  item: WorkItem,
  prepared: PreparedImage,
  card: ModelCard,
  volumeDims: readonly number[],
): Float32Array {
  const { data, channels, padValue } = itemGridInput(item, prepared, card, volumeDims);
  // Neither geometry step writes to its input; only the unchanged grid needs a copy of its own.
  if (sameDims(item.orientedDims, item.modelDims)) return data === prepared.planes[0] ? data.slice() : data;
  if (card.geometry.policy === 'resize') return resizeLinear(data, item.orientedDims, channels, item.modelDims);
  return padCropCentred(data, item.orientedDims, channels, item.modelDims, [padValue]);
}

/**
 * itemInput written straight into a planar float32 batch at `offset` (no array of its own for
 * the common cases: the unchanged grid and the resize policy); the same values.
 */
export function itemInputInto(
  item: WorkItem,
  prepared: PreparedImage,
  card: ModelCard,
  volumeDims: readonly number[],
  target: Float32Array,
  offset: number,
): void {
  const { data, channels, padValue } = itemGridInput(item, prepared, card, volumeDims);
  if (sameDims(item.orientedDims, item.modelDims)) target.set(data, offset);
  else if (card.geometry.policy === 'resize')
    resizeLinearInto(data, item.orientedDims, channels, item.modelDims, target, offset);
  else target.set(padCropCentred(data, item.orientedDims, channels, item.modelDims, [padValue]), offset);
}

/** Tensor dims for a batch: [N, C, (D,) H, W] or [N, (D,) H, W, C]. */
export function batchTensorDims(card: ModelCard, batch: number, modelDims: readonly number[]): number[] {
  const spatial = [...modelDims].reverse();
  return isChannelsLast(card.layout) ? [batch, ...spatial, card.channels] : [batch, card.channels, ...spatial];
}

/** Writes one item's planar channels into the batch buffer at position `index`. */
export function packInto(
  batch: Float32Array | Float64Array,
  index: number,
  input: Float32Array,
  channels: number,
  channelsLast: boolean,
): void {
  const offset = index * input.length;
  if (!channelsLast) {
    batch.set(input, offset);
    return;
  }
  const voxels = input.length / channels;
  for (let c = 0; c < channels; c++) {
    for (let v = 0; v < voxels; v++) batch[offset + v * channels + c] = input[c * voxels + v];
  }
}
