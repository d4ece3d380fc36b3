/**
 * Additive Gaussian noise and Rician noise (MONAI RandRicianNoise), drawn from the seeded
 * ctx.random so a run is reproducible. σ is the swept value itself, never sampled; with the
 * `relative` option it is in units of the channel's standard deviation, which makes one
 * default sweep fit 8-bit PNGs, MR arbitrary units and CT alike.
 */
import type { Random } from '../../random';
import { defineTransform } from '../define';
import type { BooleanOption, OptionSpecs } from '../types';
import { mapChannels, meanAndStd } from './channels';
import { clampOption } from './clamp';
import { requireAtLeast } from './options';

export function addGaussianNoise(values: ArrayLike<number>, mean: number, sigma: number, random: Random): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] + random.normal(mean, sigma);
  return out;
}

/** y = sqrt((x + n1)² + n2²), n1 and n2 ~ N(0, σ); all of n1 is drawn before n2, as MONAI does. */
export function addRicianNoise(values: ArrayLike<number>, sigma: number, random: Random): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = values[i] + random.normal(0, sigma);
  for (let i = 0; i < n; i++) out[i] = Math.hypot(out[i], random.normal(0, sigma));
  return out;
}

const relativeOption: BooleanOption = {
  type: 'boolean',
  default: true,
  description: "σ (and the mean) are multiples of the channel's standard deviation; false: absolute intensity units.",
};

const SIGMA_SWEEP = { start: 0, stop: 0.5, step: 0.05 };
const SIGMA_SWEEP_TEXT = '0…0.5 step 0.05 (× channel SD with relative = true; 0 = identity)';

const noiseClamp = clampOption(
  'none',
  'the noise is what is studied and clipping would bias it (zero-mean noise on a dark background would come out brighter); MONAI and TorchIO do not clip, misas has no noise series.',
);

const GAUSSIAN_OPTIONS = {
  relative: relativeOption,
  mean: {
    type: 'number',
    default: 0,
    description: 'Mean μ of the noise (same units as σ); σ = 0 is the identity only when μ = 0.',
  },
  clamp: noiseClamp,
} as const satisfies OptionSpecs;
const RICIAN_OPTIONS = { relative: relativeOption, clamp: noiseClamp } as const satisfies OptionSpecs;

export const gaussianNoise = defineTransform({
  name: 'gaussian-noise',
  title: 'Gaussian noise',
  description: 'Adds seeded Gaussian noise N(μ, σ) to every voxel.',
  kind: 'intensity',
  parameter: { name: 'sigma', unit: 'σ', scale: 'linear', minimum: 0 },
  identity: 0,
  defaultSweep: SIGMA_SWEEP,
  defaultSweepText: SIGMA_SWEEP_TEXT,
  options: GAUSSIAN_OPTIONS,
  random: true,
  apply(input, value, options, ctx) {
    requireAtLeast('gaussian-noise', 'sigma', value, 0);
    return mapChannels(
      input,
      (values) => {
        const unit = options.relative ? meanAndStd(values).std : 1;
        return addGaussianNoise(values, options.mean * unit, value * unit, ctx.random);
      },
      options.clamp,
    );
  },
});

export const ricianNoise = defineTransform({
  name: 'rician-noise',
  title: 'Rician noise',
  description: 'Magnitude-image noise sqrt((x + n1)² + n2²) with n1, n2 ~ N(0, σ), seeded (MONAI RandRicianNoise).',
  kind: 'intensity',
  parameter: { name: 'sigma', unit: 'σ', scale: 'linear', minimum: 0 },
  identity: 0,
  defaultSweep: SIGMA_SWEEP,
  defaultSweepText: SIGMA_SWEEP_TEXT,
  options: RICIAN_OPTIONS,
  random: true,
  apply(input, value, options, ctx) {
    requireAtLeast('rician-noise', 'sigma', value, 0);
    return mapChannels(
      input,
      (values) => {
        // σ = 0 would give |x|: return the input itself so the identity holds for signed data too.
        if (value === 0) return values;
        const unit = options.relative ? meanAndStd(values).std : 1;
        return addRicianNoise(values, value * unit, ctx.random);
      },
      options.clamp,
    );
  },
});
