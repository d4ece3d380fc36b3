/** Drawing an overlay frame on a canvas in the theme's class colours (the viewer, its thumbnails and GIF export share the style). */
import type { OverlayFrame } from '../data/frame-cache';
import { parseColor, type OverlayMode, type OverlayStyle } from '../data/overlay';
import { classColor, isBackgroundClass } from '../data/palette';

/** The overlay settings of the toolbar and legend. */
export interface ViewerStyle {
  mode: OverlayMode;
  opacity: number;
  hiddenClasses: readonly string[];
}

/** A class's colour: the theme's CSS variable when set, else the palette's light or dark variant. */
function classRgb(index: number, count: number): [number, number, number] | undefined {
  const color = classColor(index, count);
  const fromTheme = parseColor(getComputedStyle(document.body).getPropertyValue(`--misas-class-${color.slot}`));
  const dark =
    document.body.classList.contains('vscode-dark') || document.body.classList.contains('vscode-high-contrast');
  return fromTheme ?? parseColor(dark ? color.dark : color.light);
}

/** The overlay style of the toolbar and legend, with the theme's class colours (none for hidden classes and the background). */
export function overlayStyleOf(style: ViewerStyle, classes: readonly string[]): OverlayStyle {
  const hidden = new Set(style.hiddenClasses);
  const colors = classes.map((name, i) =>
    hidden.has(name) || isBackgroundClass(i, classes.length) ? undefined : classRgb(i, classes.length),
  );
  return { mode: style.mode, opacity: style.opacity, colors };
}

/** Puts composed RGBA pixels of a frame's size on the canvas (resized to the frame). */
export function paint(canvas: HTMLCanvasElement, frame: OverlayFrame, rgba: Uint8ClampedArray): void {
  if (canvas.width !== frame.width) canvas.width = frame.width;
  if (canvas.height !== frame.height) canvas.height = frame.height;
  canvas
    .getContext('2d')
    ?.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, frame.width, frame.height), 0, 0);
}
