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
import { meanAndStd } from './channels';
import { clampOption } from './clamp';
import { pointwiseTransform } from './pointwise';

const FACTOR_SWEEP = { start: 0.25, stop: 4, steps: 13, scale: 'log' as const };
const FACTOR_SWEEP_TEXT = '0.25…4 (13 log steps: ×∛2 each, 1 included)';

const ENHANCE_CLAMP = clampOption(
  'dtype-range',
  'misas applies PIL ImageEnhance to 8-bit images, which clips to 0…255 and truncates.',
);

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

/**
 * The grey level PIL's Contrast blends a colour image towards: the mean of its "L" conversion
 * L = (19595·R + 38470·G + 7471·B + 2^15) >> 16 (ITU-R 601-2 luma in fixed point), rounded half up.
 */
export function luminanceMean(image: Volume): number {
  const [red, green, blue] = channelsOf(image);
  let sum = 0;
  for (let i = 0; i < red.length; i++)
    sum += Math.floor((red[i] * 19595 + green[i] * 38470 + blue[i] * 7471 + 0x8000) / 65536);
  return Math.floor(sum / Math.max(red.length, 1) + 0.5);
}

export const brightness = pointwiseTransform({
  name: 'brightness',
  title: 'Brightness',
  description:
    "Multiplies every intensity by a factor (PIL ImageEnhance.Brightness); by default integer images are clipped to their file type's range (0…255 for 8-bit) and truncated, as PIL and misas do.",
  parameter: { name: 'factor', unit: '×', scale: 'log', minimum: 0 },
  identity: 1,
  defaultSweep: FACTOR_SWEEP,
  defaultSweepText: FACTOR_SWEEP_TEXT,
  clamp: ENHANCE_CLAMP,
  channelMap: (factor, _image, target) =>
    castsToIntegers(target)
      ? (channel) => blendSinglePrecision(channel, 0, factor)
      : (channel) => blend(channel, 0, factor),
});

export const contrast = pointwiseTransform({
  name: 'contrast',
  title: 'Contrast',
  description:
    "Scales intensities about the mean, y = m + f·(x − m) (PIL ImageEnhance.Contrast; m per channel, or for colour images with clamp dtype-range the mean luminance, as PIL); by default integer images are clipped to their file type's range (0…255 for 8-bit) and truncated, as PIL and misas do.",
  parameter: { name: 'factor', unit: '×', scale: 'log', minimum: 0 },
  identity: 1,
  defaultSweep: FACTOR_SWEEP,
  defaultSweepText: FACTOR_SWEEP_TEXT,
  clamp: ENHANCE_CLAMP,
  channelMap(factor, image, target) {
    if (!castsToIntegers(target)) return (channel) => blend(channel, meanAndStd(channel).mean, factor);
    // PIL blends towards an integer grey: the mean rounded half up (int(mean + 0.5)), of each
    // channel or, for a colour image, the mean of its luminance, which PIL uses for all channels.
    const colourGrey = image.channels === 3 ? luminanceMean(image) : undefined;
    return (channel) => blendSinglePrecision(channel, colourGrey ?? Math.floor(meanAndStd(channel).mean + 0.5), factor);
  },
});
