/**
 * Physical proportions of overlay frames. A frame is a 2D plane of an input whose voxels need not
 * be square (1×1×3 mm volumes, 0.7×1.4 mm slices); drawn with square pixels it would look
 * squashed. These helpers say how wide one frame pixel is relative to its height, and how big
 * to show a frame so that it has its physical shape while its larger side keeps the length it
 * has with square pixels.
 */
import type { RunResults } from '../../src/engine/report/results';

/** The slice axis frames of a volume are cut along when the model card does not say (the engine's default). */
export const DEFAULT_SLICE_AXIS = 2;

/**
 * The axes a frame shows, as [across, down]: a 2D input's own two, or for a volume the two axes
 * other than `sliceAxis`, in ascending order (how the engine's extractSlice keeps them).
 */
export function planeAxes(spatialDims: number, sliceAxis = DEFAULT_SLICE_AXIS): [number, number] {
  if (spatialDims !== 3) return [0, 1];
  const kept = [0, 1, 2].filter((axis) => axis !== sliceAxis);
  return kept.length === 2 ? [kept[0], kept[1]] : [0, 1];
}

/**
 * Width over height of one frame pixel: spacing[across] / spacing[down]. 1 (square) when the
 * spacing is missing, has another length, or holds a value that is not a positive number.
 */
export function pixelAspect(spacing: readonly number[] | undefined, sliceAxis = DEFAULT_SLICE_AXIS): number {
  if (!spacing || (spacing.length !== 2 && spacing.length !== 3)) return 1;
  const [across, down] = planeAxes(spacing.length, sliceAxis);
  const [sx, sy] = [spacing[across], spacing[down]];
  if (!(sx > 0 && sy > 0 && Number.isFinite(sx) && Number.isFinite(sy))) return 1;
  return sx / sy;
}

/** The axis the run's model `model` cuts volumes along: its recorded card's sliceAxis, else the default. */
export function modelSliceAxis(results: RunResults, model = 0): number {
  const card = results.models[model]?.card as { sliceAxis?: unknown } | null | undefined;
  const axis = card?.sliceAxis;
  return axis === 0 || axis === 1 || axis === 2 ? axis : DEFAULT_SLICE_AXIS;
}

/**
 * Pixel aspect of the frames of input `input` predicted by model `model`. A picked slice of a
 * volume is recorded with its plane's two spacings already; a whole volume is shown along the
 * model's slice axis.
 */
export function framePixelAspect(results: RunResults, input: number, model = 0): number {
  const info = results.inputs[input];
  if (!info) return 1;
  return pixelAspect(info.spacing, modelSliceAxis(results, model));
}

/**
 * The size to show a `width`×`height` frame at so one pixel is `aspect` times as wide as tall,
 * in the units of its square-pixel size (width × height): the larger side keeps its length, the
 * other follows the physical proportions. Aspect 1 gives width × height back.
 */
export function displaySize(width: number, height: number, aspect: number): { width: number; height: number } {
  const ratio = (width * aspect) / height; // physical width over height of the whole frame
  const longest = Math.max(width, height);
  return ratio >= 1 ? { width: longest, height: longest / ratio } : { width: longest * ratio, height: longest };
}

/**
 * CSS for a canvas that fills its box's width with square pixels today (`width: 100%;
 * height: auto`): its width as a share of the box (capped at 1: never wider than today) and
 * its CSS aspect-ratio (physical width over height). The pixel buffer is left alone.
 */
export function canvasBox(width: number, height: number, aspect: number): { widthShare: number; aspectRatio: number } {
  const size = displaySize(width, height, aspect);
  return { widthShare: Math.min(1, size.width / width), aspectRatio: size.width / size.height };
}

/**
 * `canvasBox` as CSSOM properties to assign to a canvas's style (the CSP allows the CSSOM, not
 * style attributes); empty strings for square pixels, which leave the stylesheet's sizing.
 */
export function canvasBoxStyle(width: number, height: number, aspect: number): { width: string; aspectRatio: string } {
  if (aspect === 1 || !(width > 0 && height > 0)) return { width: '', aspectRatio: '' };
  const box = canvasBox(width, height, aspect);
  return { width: `${+(box.widthShare * 100).toFixed(3)}%`, aspectRatio: `${+box.aspectRatio.toFixed(6)}` };
}
