/**
 * Overlay pixels: the image in grey (window = the image's own range) with class labels blended
 * on top, either filled or as contours. Pure functions on arrays, so they are tested in Node;
 * the viewer puts the result into a canvas.
 */

export type OverlayMode = 'fill' | 'contour';

export interface OverlayStyle {
  mode: OverlayMode;
  /** 0…1: how much of a labelled pixel is the class colour. */
  opacity: number;
  /** Class index → [r, g, b] 0…255, or undefined for classes not drawn (hidden, background). */
  colors: ReadonlyArray<readonly [number, number, number] | undefined>;
}

/** Grey levels 0…255 of `image`, `range` mapped to black…white (a flat image is mid-grey). */
export function greyLevels(image: Float32Array, range: readonly [number, number]): Uint8ClampedArray {
  const [lo, hi] = range;
  const out = new Uint8ClampedArray(image.length);
  if (!(hi > lo)) return out.fill(128);
  const scale = 255 / (hi - lo);
  for (let i = 0; i < image.length; i++) out[i] = Math.round((image[i] - lo) * scale);
  return out;
}

/** Whether pixel i of a label map is on the edge of its region (4-neighbourhood; the image border counts as an edge). */
export function isEdge(labels: ArrayLike<number>, width: number, height: number, i: number): boolean {
  const x = i % width;
  const y = (i - x) / width;
  const v = labels[i];
  if (x === 0 || y === 0 || x === width - 1 || y === height - 1) return true;
  return labels[i - 1] !== v || labels[i + 1] !== v || labels[i - width] !== v || labels[i + width] !== v;
}

/** How much of a drawn pixel is the class colour: the opacity, at least half for contours (thin lines must stay visible). */
export function overlayAlpha(style: OverlayStyle): number {
  const alpha = Math.max(0, Math.min(1, style.opacity));
  return style.mode === 'contour' ? Math.max(alpha, 0.5) : alpha;
}

/** RGBA pixels (canvas ImageData order) of the grey image with `labels` blended in `style`. */
export function composeOverlay(
  grey: Uint8ClampedArray,
  labels: ArrayLike<number> | undefined,
  width: number,
  height: number,
  style: OverlayStyle,
): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(width * height * 4);
  const a = overlayAlpha(style);
  for (let i = 0; i < width * height; i++) {
    const g = grey[i];
    let r = g;
    let gg = g;
    let b = g;
    const color = labels ? style.colors[labels[i]] : undefined;
    if (color && (style.mode === 'fill' || isEdge(labels!, width, height, i))) {
      r = g + (color[0] - g) * a;
      gg = g + (color[1] - g) * a;
      b = g + (color[2] - g) * a;
    }
    rgba[i * 4] = r;
    rgba[i * 4 + 1] = gg;
    rgba[i * 4 + 2] = b;
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

/** `#rgb` / `#rrggbb` / `rgb(r, g, b)` as [r, g, b], or undefined. */
export function parseColor(text: string): [number, number, number] | undefined {
  const value = text.trim();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value);
  if (hex) {
    const digits =
      hex[1].length === 3
        ? [...hex[1]].map((d) => d + d)
        : [hex[1].slice(0, 2), hex[1].slice(2, 4), hex[1].slice(4, 6)];
    return digits.map((d) => parseInt(d, 16)) as [number, number, number];
  }
  const rgb = /^rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)/i.exec(value);
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : undefined;
}

/** The index of the sweep value nearest to `value` (values sorted ascending). */
export function nearestIndex(values: readonly number[], value: number): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (Math.abs(values[i] - value) < Math.abs(values[best] - value)) best = i;
  return best;
}
