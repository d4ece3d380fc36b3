/**
 * A volume fed to a 2D model, prepared without a float copy of the whole volume (issue 16): the
 * model channels of a slice are made when the slice is fed, from the volume as read. Whole-volume
 * normalisation statistics are gathered slab by slab in storage order, so the map, the pad value
 * and every slice's values are bit-identical to those of a whole float32 copy (prepareImage).
 */
import type { Volume } from '../volume';
import type { ModelCard } from './cardTypes';
import { applyIntensityMap, intensityMapOfChunks, type ChannelChunks } from './normalize';
import { padsWithMinimum, padValueOf, sliceDims, toModelChannels, type PreparedImage } from './preprocess';

/** One slice along `axis` of each of the volume's channels, as float32 planes (the values a float32 copy holds). */
export function sourceSlicePlanes(volume: Volume, axis: number, index: number): Float32Array[] {
  const [nx, ny, nz] = volume.dims;
  const voxels = nx * ny * nz;
  const [w, h] = sliceDims(volume.dims, axis);
  const [base, du, dv] =
    axis === 2 ? [nx * ny * index, 1, nx] : axis === 1 ? [nx * index, 1, nx * ny] : [index, nx, nx * ny];
  return Array.from({ length: volume.channels }, (_, c) => {
    const start = c * voxels + base;
    if (axis === 2) return new Float32Array(volume.data.subarray(start, start + w * h));
    const plane = new Float32Array(w * h);
    for (let v = 0; v < h; v++) for (let u = 0; u < w; u++) plane[u + w * v] = volume.data[start + u * du + v * dv];
    return plane;
  });
}

export function prepareVolumeSlices(volume: Volume, card: ModelCard): PreparedImage {
  const axis = card.sliceAxis ?? 2;
  const raw = (index: number) => toModelChannels(sourceSlicePlanes(volume, axis, index), card.channels);
  // Per-slice statistics: each slice is normalised on its own when it is fed (itemGridInput).
  if (card.normalization.statistics === 'slice')
    return { planes: [], normalized: false, padValue: 0, slicePlanes: raw };

  // Storage order (z-slabs, channel by channel), the order a whole copy's planes are summed in.
  const storageSlab = (z: number) => toModelChannels(sourceSlicePlanes(volume, 2, z), card.channels);
  const slabs = volume.dims[2];
  const chunks: ChannelChunks = (visit) => {
    for (let c = 0; c < card.channels; c++) for (let z = 0; z < slabs; z++) visit(storageSlab(z)[c], c);
  };
  const map = intensityMapOfChunks(card.normalization, card.channels, chunks);
  const normalised = (planes: Float32Array[]) => {
    applyIntensityMap(map, planes);
    return planes;
  };
  // The pad value is the minimum of the normalised volume: the least of its slabs' minima.
  let padValue = 0;
  if (padsWithMinimum(card)) {
    padValue = Infinity;
    for (let z = 0; z < slabs; z++) padValue = Math.min(padValue, padValueOf(card, normalised(storageSlab(z))));
  }
  return { planes: [], normalized: true, padValue, slicePlanes: (index) => normalised(raw(index)) };
}
