/**
 * Class colours, shared by every view of a run (charts now, overlays later): class i always
 * has the same hue. Okabe–Ito hues (distinguishable with the common colour-vision
 * deficiencies), with a lighter variant of each for dark themes so lines keep their contrast.
 * The background class (index 0 of a multi-class model) is neutral grey: it is rarely the
 * point and is hidden by default.
 */

export interface ClassColor {
  /** Theme-independent slot: `--misas-class-<slot>` in the stylesheet. */
  slot: number | 'bg';
  light: string;
  dark: string;
}

const FOREGROUND: ReadonlyArray<{ light: string; dark: string }> = [
  { light: '#0072b2', dark: '#4aa8e8' }, // blue
  { light: '#d55e00', dark: '#ff8a47' }, // vermillion
  { light: '#009e73', dark: '#2fd3a3' }, // bluish green
  { light: '#cc79a7', dark: '#e79ac6' }, // reddish purple
  { light: '#c78a00', dark: '#f2b33d' }, // orange (darkened for light backgrounds)
  { light: '#3f8fc4', dark: '#8fd0f5' }, // sky blue
  { light: '#9a8c00', dark: '#f0e442' }, // yellow (darkened for light backgrounds)
];

const BACKGROUND = { light: '#7a7a7a', dark: '#9d9d9d' };

export const PALETTE_SIZE = FOREGROUND.length;

/** Whether class `index` of `classCount` is the background (index 0 when there are several classes). */
export function isBackgroundClass(index: number, classCount: number): boolean {
  return classCount > 1 && index === 0;
}

export function classColor(index: number, classCount: number): ClassColor {
  if (isBackgroundClass(index, classCount)) return { slot: 'bg', ...BACKGROUND };
  const slot = (classCount > 1 ? index - 1 : index) % PALETTE_SIZE;
  return { slot, ...FOREGROUND[slot] };
}

/** CSS custom property holding the class colour in the current theme. */
export function classColorVar(index: number, classCount: number): string {
  return `--misas-class-${classColor(index, classCount).slot}`;
}

/** The stylesheet rules defining the custom properties (light set, dark set). */
export function paletteCss(theme: 'light' | 'dark'): string {
  const lines = FOREGROUND.map((color, slot) => `--misas-class-${slot}: ${color[theme]};`);
  lines.push(`--misas-class-bg: ${BACKGROUND[theme]};`);
  return lines.join('\n');
}
