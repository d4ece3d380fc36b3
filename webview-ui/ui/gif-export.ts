/**
 * A series' prediction overlays as an animated GIF (misas's gif_series): one frame per sweep
 * value, fetched one at a time through the page's frame loader (cached frames are reused),
 * drawn with the viewer's overlay style into one shared palette, with the value written in a
 * band above the image. Frames are enlarged (small inputs) and stretched to their physical
 * proportions (non-square voxels) by nearest-neighbour resampling. Cancellable between frames.
 */
import type { FrameKey } from '../data/frame-cache';
import type { FrameLoader } from '../data/frame-loader';
import { encodeGif, type GifFrame } from '../data/gif';
import { gifScale, greyIndices, indexedOverlay, overlayPalette } from '../data/gif-overlay';
import { greyLevels, type OverlayStyle } from '../data/overlay';
import { displaySize } from '../data/pixel-aspect';
import { resampleNearest } from '../data/resample';

/** Time each value shows, in hundredths of a second. */
export const GIF_FRAME_DELAY_CS = 60;

export class GifExportCancelled extends Error {
  constructor() {
    super('the GIF export was cancelled');
    this.name = 'GifExportCancelled';
  }
}

export interface GifJob {
  values: readonly number[];
  keyOf: (value: number) => FrameKey;
  loader: FrameLoader;
  style: OverlayStyle;
  /** The caption of a value's frame, e.g. "rotate = 15°". */
  caption: (value: number) => string;
  /** Width over height of one frame pixel (the input's spacing; 1 = square). */
  pixelAspect?: number;
  signal: AbortSignal;
  onProgress: (done: number, total: number) => void;
}

/** Grey levels of white text on black, `width`×`height`, drawn by the browser's canvas. */
function captionGrey(text: string, width: number, height: number): Uint8ClampedArray {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  const grey = new Uint8ClampedArray(width * height);
  if (!context) return grey;
  context.fillStyle = '#000';
  context.fillRect(0, 0, width, height);
  context.fillStyle = '#fff';
  context.font = `${Math.round(height * 0.62)}px ${getComputedStyle(document.body).fontFamily || 'sans-serif'}`;
  context.textBaseline = 'middle';
  context.fillText(text, Math.round(height * 0.3), height / 2, width - height * 0.6);
  const rgba = context.getImageData(0, 0, width, height).data;
  for (let i = 0; i < grey.length; i++) grey[i] = rgba[i * 4];
  return grey;
}

/** `indices` (`width`×`height`) placed at the top left of a `targetWidth`×`targetHeight` black canvas (frames of another size). */
function fitTo(
  indices: Uint8Array,
  width: number,
  height: number,
  targetWidth: number,
  targetHeight: number,
): Uint8Array {
  if (width === targetWidth && height === targetHeight) return indices;
  const out = new Uint8Array(targetWidth * targetHeight);
  for (let y = 0; y < Math.min(height, targetHeight); y++)
    out.set(indices.subarray(y * width, y * width + Math.min(width, targetWidth)), y * targetWidth);
  return out;
}

/** A frame's size in the GIF: enlarged `scale` times, then its shorter side stretched or shrunk to the physical proportions. */
function gifFrameSize(width: number, height: number, scale: number, aspect: number): { width: number; height: number } {
  const size = displaySize(width * scale, height * scale, aspect);
  return { width: Math.max(1, Math.round(size.width)), height: Math.max(1, Math.round(size.height)) };
}

/** Renders every value's overlay and encodes the GIF; rejects with GifExportCancelled when `signal` aborts. */
export async function renderOverlayGif(job: GifJob): Promise<Uint8Array> {
  const palette = overlayPalette(job.style);
  const frames: GifFrame[] = [];
  const aspect = job.pixelAspect ?? 1;
  let size: { width: number; height: number; scale: number; band: number } | undefined;
  for (let i = 0; i < job.values.length; i++) {
    if (job.signal.aborted) throw new GifExportCancelled();
    job.onProgress(i, job.values.length);
    const value = job.values[i];
    const frame = await job.loader.load(job.keyOf(value));
    if (job.signal.aborted) throw new GifExportCancelled();
    if (!size) {
      const scale = gifScale(frame.width, frame.height);
      size = { ...gifFrameSize(frame.width, frame.height, scale, aspect), scale, band: 12 * Math.min(scale, 2) + 6 };
    }
    const target = gifFrameSize(frame.width, frame.height, size.scale, aspect);
    const overlay = indexedOverlay(
      greyLevels(frame.image, frame.range),
      frame.prediction,
      frame.width,
      frame.height,
      job.style,
      palette,
    );
    const image = fitTo(
      resampleNearest(overlay, frame.width, frame.height, target.width, target.height),
      target.width,
      target.height,
      size.width,
      size.height,
    );
    const band = greyIndices(captionGrey(job.caption(value), size.width, size.band), palette);
    const indices = new Uint8Array(size.width * (size.band + size.height));
    indices.set(band);
    indices.set(image, band.length);
    frames.push({ indices, delayCs: GIF_FRAME_DELAY_CS });
  }
  job.onProgress(job.values.length, job.values.length);
  if (!size) throw new Error('the series has no values to animate');
  return encodeGif({ width: size.width, height: size.band + size.height, palette: palette.palette, frames, loop: 0 });
}
