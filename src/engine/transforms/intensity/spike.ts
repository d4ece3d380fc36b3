/**
 * k-space spike (TorchIO Spike): S = F(x); for each relative position p, S[floor(p·shape)] +=
 * r·max|S| with the maximum recomputed after each spike; y = F⁻¹(S). Positions are (x, y[, z])
 * in engine axis order on the centred spectrum, where 0.5 is the centre (zero frequency).
 *
 * Computed without transforming the whole image back: F⁻¹ is linear, so y = x plus the image of
 * each added coefficient (a cosine). max|S| over the untouched coefficients is Σx when x ≥ 0
 * and the zero frequency is not spiked (|S_k| ≤ Σ|x| = S_0); otherwise one full fftn finds it.
 */
import { addCoefficientImage, centredSpectrum, dftCoefficient, rawIndex } from '../../fft';
import { defineTransform } from '../define';
import type { OptionSpecs } from '../types';
import { mapChannels } from './channels';
import { clampOption } from './clamp';
import { parsePositions } from './options';

interface SpikedCoefficient {
  frequency: number[];
  /** Centred flat index, to exclude it from the maximum of the untouched coefficients. */
  centredFlat: number;
  re: number;
  im: number;
  added: number;
}

/** max|S| over the coefficients that no spike touches. */
function untouchedMaximum(
  values: ArrayLike<number>,
  dims: readonly number[],
  spiked: readonly SpikedCoefficient[],
): number {
  let sum = 0;
  let nonNegative = true;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    if (values[i] < 0) nonNegative = false;
  }
  const zeroFrequencySpiked = spiked.some((c) => c.frequency.every((k) => k === 0));
  if (nonNegative && !zeroFrequencySpiked) return sum;
  const spectrum = centredSpectrum(values, dims);
  const skip = new Set(spiked.map((c) => c.centredFlat));
  let max = 0;
  for (let i = 0; i < spectrum.re.length; i++) {
    if (!skip.has(i)) max = Math.max(max, Math.sqrt(spectrum.re[i] ** 2 + spectrum.im[i] ** 2));
  }
  return max;
}

export function spikeImage(
  values: ArrayLike<number>,
  dims: readonly number[],
  positions: readonly number[][],
  intensity: number,
): Float64Array {
  const byIndex = new Map<number, SpikedCoefficient>();
  const order = positions.map((position) => {
    let centredFlat = 0;
    let stride = 1;
    const frequency = dims.map((n, axis) => {
      const centred = Math.floor(position[axis] * n);
      centredFlat += centred * stride;
      stride *= n;
      return rawIndex(centred, n);
    });
    let coefficient = byIndex.get(centredFlat);
    if (!coefficient) {
      coefficient = { frequency, centredFlat, ...dftCoefficient(values, dims, frequency), added: 0 };
      byIndex.set(centredFlat, coefficient);
    }
    return coefficient;
  });
  const spiked = [...byIndex.values()];
  const baseMaximum = untouchedMaximum(values, dims, spiked);
  for (const coefficient of order) {
    const maximum = spiked.reduce((m, c) => Math.max(m, Math.hypot(c.re, c.im)), baseMaximum);
    coefficient.re += intensity * maximum;
    coefficient.added += intensity * maximum;
  }
  const out = Float64Array.from(values);
  for (const c of spiked) addCoefficientImage(out, dims, c.frequency, { re: c.added, im: 0 });
  return out;
}

const MISAS_SPIKE_CLAMP =
  "misas applies TorchIO's spike to the 8-bit image scaled to 0…1, then clamps to 0…1 and casts back to uint8.";

const SPIKE_OPTIONS = {
  positions: {
    type: 'string',
    default: '0.1,0.1',
    description:
      'Relative k-space positions "x,y[,z]", several separated by ";". A left-out coordinate is 0.5 (the k-space centre), so "0.1,0.1" on a volume repeats the same stripes on every slice.',
  },
  clamp: clampOption('dtype-range', MISAS_SPIKE_CLAMP),
} as const satisfies OptionSpecs;

export const spike = defineTransform({
  name: 'spike',
  title: 'k-space spike',
  description:
    'Adds a spike of r·max|S| to the centred k-space at fixed relative positions (TorchIO Spike): a herringbone / stripe artifact.',
  kind: 'intensity',
  parameter: { name: 'intensity', unit: '', scale: 'linear', minimum: 0 },
  identity: 0,
  defaultSweep: { start: 0, stop: 2.5, step: 0.1 },
  defaultSweepText: '0…2.5 step 0.1 (as misas; 0 = identity)',
  options: SPIKE_OPTIONS,
  apply(input, value, options) {
    const positions = parsePositions('spike', options.positions, input.image.dims.length);
    return mapChannels(
      input,
      (values, { dims }) => (value === 0 ? values : spikeImage(values, dims, positions, value)),
      options.clamp,
    );
  },
});

const SPIKE_POSITION_OPTIONS = {
  intensity: { type: 'number', default: 0.1, minimum: 0, description: 'Spike intensity r (as a fraction of max|S|).' },
  y: { type: 'number', default: 0.1, minimum: 0, maximum: 0.999, description: 'Relative y position of the spike.' },
  z: {
    type: 'number',
    default: 0.5,
    minimum: 0,
    maximum: 0.999,
    description: 'Relative z position for volumes (0.5 = k-space centre: the same pattern on every slice).',
  },
  clamp: clampOption('dtype-range', MISAS_SPIKE_CLAMP),
} as const satisfies OptionSpecs;

export const spikePosition = defineTransform({
  name: 'spike-position',
  title: 'k-space spike position',
  description:
    'Moves a k-space spike of fixed intensity along x (misas "spike position"); 0.5 is the k-space centre along x. No position leaves the image unchanged, so the identity value 0.5 is a reference point, not a no-op.',
  kind: 'intensity',
  parameter: { name: 'x', unit: '', scale: 'linear', minimum: 0, maximum: 0.999 },
  identity: 0.5,
  identityChangesInput: true,
  defaultSweep: { start: 0.1, stop: 0.9, step: 0.1 },
  defaultSweepText: '0.1…0.9 step 0.1 with intensity 0.1 and y = 0.1 (as misas)',
  options: SPIKE_POSITION_OPTIONS,
  apply(input, value, options) {
    const text = `${value},${options.y},${options.z}`;
    const positions = parsePositions('spike-position', text, input.image.dims.length);
    return mapChannels(
      input,
      (values, { dims }) => spikeImage(values, dims, positions, options.intensity),
      options.clamp,
    );
  },
});
