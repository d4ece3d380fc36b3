/**
 * Nearest-neighbour resampling of palette indices: the GIF export stretches frames to their
 * physical proportions (non-square voxels) without mixing colours, so overlays stay crisp and
 * every output pixel is still an entry of the shared palette.
 */

/** `indices` (`width`×`height`, row by row) resampled to `outWidth`×`outHeight`: each output pixel takes the source pixel under its centre. */
export function resampleNearest(
  indices: Uint8Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
): Uint8Array {
  if (outWidth === width && outHeight === height) return indices;
  const columns = new Int32Array(outWidth);
  for (let x = 0; x < outWidth; x++) columns[x] = Math.min(width - 1, Math.floor(((x + 0.5) * width) / outWidth));
  const out = new Uint8Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    const row = Math.min(height - 1, Math.floor(((y + 0.5) * height) / outHeight)) * width;
    for (let x = 0; x < outWidth; x++) out[x + outWidth * y] = indices[row + columns[x]];
  }
  return out;
}
