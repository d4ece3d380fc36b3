/** Gamma correction within the channel's range (MONAI AdjustContrast): y = min + range·((x − min)/range)^γ. */
import { valueRange } from '../../volume';
import { pointwiseTransform } from './pointwise';

export function adjustGamma(values: ArrayLike<number>, gamma: number): Float64Array {
  const [min, max] = valueRange(values);
  const range = max - min;
  const out = Float64Array.from(values);
  if (range === 0) return out; // a constant image has no contrast to bend
  for (let i = 0; i < out.length; i++) out[i] = min + range * ((out[i] - min) / range) ** gamma;
  return out;
}

export const gamma = pointwiseTransform({
  name: 'gamma',
  title: 'Gamma',
  description:
    'Bends intensities within their range, y = min + range·((x − min)/range)^γ (MONAI AdjustContrast); γ < 1 brightens, γ > 1 darkens.',
  parameter: { name: 'gamma', unit: '', scale: 'log', exclusiveMinimum: 0 },
  identity: 1,
  defaultSweep: { start: 0.25, stop: 4, steps: 13, scale: 'log' },
  defaultSweepText: '0.25…4 (13 log steps, 1 included)',
  channelMap: (gammaValue) => (channel) => adjustGamma(channel, gammaValue),
});
