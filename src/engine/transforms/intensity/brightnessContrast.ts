/**
 * Brightness (y = x·f) and contrast (y = m + f·(x − m), m the channel mean), as PIL's
 * ImageEnhance blends an image with a degenerate one (black, or the grey of the mean), which is
 * what misas does to its 8-bit images. PIL then clips to 0…255 and truncates; the `clamp`
 * option's default dtype-range does the same for any integer type, with PIL's arithmetic (the
 * mean rounded to an integer grey, the blend in single precision), so 8-bit files give PIL's
 * values exactly. Float images are not clipped.
 */
import type { SampleType } from '../../sampleType';
import { channelsOf, type Volume } from '../../volume';
import { defineTransform } from '../define';
import type { OptionSpecs } from '../types';
import { clampOption, clampTarget } from './clamp';
import { mapChannels, meanAndStd } from './channels';

const FACTOR_SWEEP = { start: 0.25, stop: 4, steps: 13, scale: 'log' as const };
const FACTOR_SWEEP_TEXT = '0.25…4 (13 log steps: ×∛2 each, 1 included)';

const ENHANCE_OPTIONS = {
  clamp: clampOption('dtype-range', 'misas applies PIL ImageEnhance to 8-bit images, which clips to 0…255 and truncates.'),
} as const satisfies OptionSpecs;

/** y = base + f·(x − base) in float64: the blend of a float image. */
export function blend(values: ArrayLike<number>, base: number, factor: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = base + factor * (values[i] - base);
  return out;
}

/**
 * PIL's Image.blend for integer samples: the factor and every product in single precision
 * (PIL's C code takes alpha as a float). Clipping and truncation follow in the clamp.
 */
export function blendSinglePrecision(values: ArrayLike<number>, base: number, factor: number): Float64Array {
  const alpha = Math.fround(factor);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.fround(base + Math.fround(alpha * (values[i] - base)));
  return out;
}

/** Whether the result will be cast to an integer type, so PIL's integer arithmetic applies. */
function castsToIntegers(target: SampleType | undefined): boolean {
  return target?.integer === true;
}

export function adjustBrightness(values: ArrayLike<number>, factor: number, target?: SampleType): Float64Array {
  return castsToIntegers(target) ? blendSinglePrecision(values, 0, factor) : blend(values, 0, factor);
}

/**
 * PIL's contrast blends towards an integer grey: the mean rounded half up (int(mean + 0.5)),
 * of `values` or, for a colour image, the `greyMean` of its luminance that PIL uses for all channels.
 */
export function adjustContrast(values: ArrayLike<number>, factor: number, target?: SampleType, greyMean?: number): Float64Array {
  if (castsToIntegers(target)) return blendSinglePrecision(values, greyMean ?? Math.floor(meanAndStd(values).mean + 0.5), factor);
  return blend(values, meanAndStd(values).mean, factor);
}

/**
 * The grey level PIL's Contrast blends a colour image towards: the mean of its "L" conversion
 * L = (19595·R + 38470·G + 7471·B + 2^15) >> 16 (ITU-R 601-2 luma in fixed point), rounded half up.
 */
export function luminanceMean(image: Volume): number {
  const [red, green, blue] = channelsOf(image);
  let sum = 0;
  for (let i = 0; i < red.length; i++) sum += Math.floor((red[i] * 19595 + green[i] * 38470 + blue[i] * 7471 + 0x8000) / 65536);
  return Math.floor(sum / Math.max(red.length, 1) + 0.5);
}

export const brightness = defineTransform({
  name: 'brightness',
  title: 'Brightness',
  description: 'Multiplies every intensity by a factor (PIL ImageEnhance.Brightness); by default integer images are clipped to their file type\'s range (0…255 for 8-bit) and truncated, as PIL and misas do.',
  kind: 'intensity',
  parameter: { name: 'factor', unit: '×', scale: 'log', minimum: 0 },
  identity: 1,
  defaultSweep: FACTOR_SWEEP,
  defaultSweepText: FACTOR_SWEEP_TEXT,
  options: ENHANCE_OPTIONS,
  apply(input, value, options) {
    return mapChannels(input, (values, { clampTarget }) => adjustBrightness(values, value, clampTarget), options.clamp);
  },
});

export const contrast = defineTransform({
  name: 'contrast',
  title: 'Contrast',
  description: 'Scales intensities about the mean, y = m + f·(x − m) (PIL ImageEnhance.Contrast; m per channel, or for colour images with clamp dtype-range the mean luminance, as PIL); by default integer images are clipped to their file type\'s range (0…255 for 8-bit) and truncated, as PIL and misas do.',
  kind: 'intensity',
  parameter: { name: 'factor', unit: '×', scale: 'log', minimum: 0 },
  identity: 1,
  defaultSweep: FACTOR_SWEEP,
  defaultSweepText: FACTOR_SWEEP_TEXT,
  options: ENHANCE_OPTIONS,
  apply(input, value, options) {
    const colourGrey = clampTarget(options.clamp, input.image)?.integer && input.image.channels === 3 ? luminanceMean(input.image) : undefined;
    return mapChannels(input, (values, context) => adjustContrast(values, value, context.clampTarget, colourGrey), options.clamp);
  },
});
