/**
 * Overlay frames as GIF palette indices. A GIF has at most 256 colours, and a blended overlay
 * pixel is a grey level mixed with a class colour at the overlay's opacity, so the global
 * palette is a set of ramps: a grey ramp (unlabelled pixels, the caption) and one ramp per drawn
 * class — the same grey levels blended with that class's colour exactly as composeOverlay blends
 * them. Every frame of an export shares it; the only loss is fewer grey levels per ramp
 * (64 with three drawn classes, 32 with seven).
 */
import { isEdge, overlayAlpha, type OverlayStyle } from './overlay';

const PALETTE_SIZE = 256;

export interface OverlayPalette {
  /** r, g, b triples. */
  palette: Uint8Array;
  /** Entries 0…greySteps−1 are the grey ramp. */
  greySteps: number;
  /** Per class index: the first entry of its ramp, or −1 when the class is not drawn. */
  classBase: Int32Array;
  classSteps: number;
}

function rampLevel(step: number, steps: number): number {
  return steps > 1 ? Math.round((step * 255) / (steps - 1)) : 128;
}

function stepOf(grey: number, steps: number): number {
  return steps > 1 ? Math.round((grey * (steps - 1)) / 255) : 0;
}

/** The palette for overlays drawn in `style` (class colours, opacity, fill or contour). */
export function overlayPalette(style: OverlayStyle): OverlayPalette {
  const drawn = style.colors.map((color, index) => (color ? index : -1)).filter((index) => index >= 0);
  let classSteps = Math.floor(PALETTE_SIZE / (drawn.length + 1));
  if (classSteps < 2) classSteps = 1; // very many classes: one blended colour each
  // Keep at least two grey steps (black and white); classes beyond that stay undrawn.
  const fitting = drawn.slice(0, Math.floor((PALETTE_SIZE - 2) / classSteps));
  const greySteps = PALETTE_SIZE - fitting.length * classSteps;
  const palette = new Uint8Array(PALETTE_SIZE * 3);
  for (let step = 0; step < greySteps; step++) palette.fill(rampLevel(step, greySteps), step * 3, step * 3 + 3);
  const classBase = new Int32Array(style.colors.length).fill(-1);
  const a = overlayAlpha(style);
  fitting.forEach((classIndex, n) => {
    const base = greySteps + n * classSteps;
    classBase[classIndex] = base;
    const color = style.colors[classIndex]!;
    for (let step = 0; step < classSteps; step++) {
      const g = rampLevel(step, classSteps);
      for (let c = 0; c < 3; c++) palette[(base + step) * 3 + c] = Math.round(g + (color[c] - g) * a);
    }
  });
  return { palette, greySteps, classBase, classSteps };
}

/** Palette indices of plain grey levels (the caption band). */
export function greyIndices(grey: ArrayLike<number>, palette: OverlayPalette): Uint8Array {
  const out = new Uint8Array(grey.length);
  for (let i = 0; i < grey.length; i++) out[i] = stepOf(grey[i], palette.greySteps);
  return out;
}

/** Palette indices of the grey image with `labels` drawn in `style` (the indexed twin of composeOverlay). */
export function indexedOverlay(
  grey: Uint8ClampedArray,
  labels: ArrayLike<number> | undefined,
  width: number,
  height: number,
  style: OverlayStyle,
  palette: OverlayPalette,
): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const g = grey[i];
    const base = labels ? (palette.classBase[labels[i]] ?? -1) : -1;
    if (base >= 0 && (style.mode === 'fill' || isEdge(labels!, width, height, i)))
      out[i] = base + stepOf(g, palette.classSteps);
    else out[i] = stepOf(g, palette.greySteps);
  }
  return out;
}

/** How much a frame is enlarged in the GIF: small inputs become at least ~256 px, at most 4×. */
export function gifScale(width: number, height: number): number {
  return Math.max(1, Math.min(4, Math.ceil(256 / Math.max(width, height))));
}
