/**
 * PIL-style brightness (y = x·f) and contrast (y = m + f·(x − m), m the channel mean). As PIL
 * clips to 0…255 for 8-bit images, integer-typed input is clipped to its own value range.
 */
import { valueRange } from '../../volume';
import type { TransformSpec } from '../types';
import { mapChannels, meanAndStd, type ChannelContext } from './channels';

const FACTOR_SWEEP = { start: 0.25, stop: 4, steps: 13, scale: 'log' as const };
const FACTOR_SWEEP_TEXT = '0.25…4 (13 log steps: ×√2 each, 1 included)';

function clippedIfInteger(values: ArrayLike<number>, out: Float64Array, context: ChannelContext): Float64Array {
  if (!context.integerInput) return out;
  const [min, max] = valueRange(values);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(max, Math.max(min, out[i]));
  return out;
}

export function adjustBrightness(values: ArrayLike<number>, factor: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] * factor;
  return out;
}

export function adjustContrast(values: ArrayLike<number>, factor: number): Float64Array {
  const { mean } = meanAndStd(values);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = mean + factor * (values[i] - mean);
  return out;
}

export const brightness: TransformSpec = {
  name: 'brightness',
  title: 'Brightness',
  description: 'Multiplies every intensity by a factor (PIL ImageEnhance.Brightness); integer images are clipped to their own range.',
  kind: 'intensity',
  parameter: { name: 'factor', unit: '×', scale: 'log', minimum: 0 },
  identity: 1,
  defaultSweep: FACTOR_SWEEP,
  defaultSweepText: FACTOR_SWEEP_TEXT,
  options: {},
  apply(input, value) {
    return mapChannels(input, (values, context) => clippedIfInteger(values, adjustBrightness(values, value), context));
  },
};

export const contrast: TransformSpec = {
  name: 'contrast',
  title: 'Contrast',
  description: 'Scales intensities about the channel mean, y = m + f·(x − m) (PIL ImageEnhance.Contrast); integer images are clipped to their own range.',
  kind: 'intensity',
  parameter: { name: 'factor', unit: '×', scale: 'log', minimum: 0 },
  identity: 1,
  defaultSweep: FACTOR_SWEEP,
  defaultSweepText: FACTOR_SWEEP_TEXT,
  options: {},
  apply(input, value) {
    return mapChannels(input, (values, context) => clippedIfInteger(values, adjustContrast(values, value), context));
  },
};
