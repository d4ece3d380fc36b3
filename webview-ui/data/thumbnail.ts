/**
 * Thumbnails keep a shrunken copy of their frame, not the frame: a strip of a dozen values stays
 * a few hundred kilobytes, and redrawing it (class toggles, fill/contour, theme) needs no new
 * requests even after the full frames have left the LRU cache.
 */
import type { OverlayFrame } from './frame-cache';

/** Size of a `width`×`height` frame shrunk to fit `maxSide` (never enlarged). */
export function thumbnailSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Start (inclusive) of the source cells behind target cell `i` of `target` cells over `source`. */
function cellStart(i: number, source: number, target: number): number {
  return Math.floor((i * source) / target);
}

/**
 * The frame shrunk to fit `maxSide`: the image averaged over each thumbnail pixel's block (so
 * thin structures stay visible as grey), labels sampled at the block's centre (labels cannot be
 * averaged). The image range is kept, so thumbnails share the frame's grey window.
 */
export function shrinkFrame(frame: OverlayFrame, maxSide: number): OverlayFrame {
  const { width: w, height: h } = frame;
  const size = thumbnailSize(w, h, maxSide);
  if (size.width === w && size.height === h)
    return {
      width: w,
      height: h,
      image: frame.image,
      range: frame.range,
      truth: frame.truth,
      prediction: frame.prediction,
      pseudoTruth: frame.pseudoTruth,
    };
  const image = new Float32Array(size.width * size.height);
  const Labels = frame.prediction instanceof Uint16Array ? Uint16Array : Uint8Array;
  const prediction = new Labels(size.width * size.height);
  const truth = frame.truth ? new Labels(size.width * size.height) : undefined;
  for (let ty = 0; ty < size.height; ty++) {
    const y0 = cellStart(ty, h, size.height);
    const y1 = Math.max(y0 + 1, cellStart(ty + 1, h, size.height));
    const cy = Math.min(h - 1, Math.floor(((ty + 0.5) * h) / size.height));
    for (let tx = 0; tx < size.width; tx++) {
      const x0 = cellStart(tx, w, size.width);
      const x1 = Math.max(x0 + 1, cellStart(tx + 1, w, size.width));
      let sum = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += frame.image[x + w * y];
      const t = tx + size.width * ty;
      image[t] = sum / ((x1 - x0) * (y1 - y0));
      const centre = Math.min(w - 1, Math.floor(((tx + 0.5) * w) / size.width)) + w * cy;
      prediction[t] = frame.prediction[centre];
      if (truth) truth[t] = frame.truth![centre];
    }
  }
  return {
    width: size.width,
    height: size.height,
    image,
    range: frame.range,
    ...(truth ? { truth } : {}),
    prediction,
    pseudoTruth: frame.pseudoTruth,
  };
}
