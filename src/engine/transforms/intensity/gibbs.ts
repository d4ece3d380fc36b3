/**
 * Gibbs ringing (MONAI GibbsNoise): K = F(x); keep the k-space points with
 * ‖idx − (N−1)/2‖₂ ≤ (1 − α)·max(N)·√2/2 and zero the rest; y = F⁻¹(K·mask).
 * α = 0 returns the input: in 3D that radius would otherwise clip the corners of k-space.
 */
import type { ComplexArray } from '../../fft';
import { centredSpectrum, realImageFromCentredSpectrum } from '../../fft';
import { MisasInputError } from '../../errors';
import { defineTransform } from '../define';
import type { OptionSpecs } from '../types';
import { mapChannels } from './channels';
import { clampOption } from './clamp';

/** 1 for the k-space points Gibbs truncation keeps, 0 elsewhere. */
export function gibbsMask(dims: readonly number[], alpha: number): Uint8Array {
  const radius = ((1 - alpha) * Math.max(...dims) * Math.SQRT2) / 2;
  const [nx, ny, nz = 1] = dims;
  const mask = new Uint8Array(nx * ny * nz);
  const cx = (nx - 1) / 2,
    cy = (ny - 1) / 2,
    cz = (nz - 1) / 2;
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        mask[i] = Math.sqrt((x - cx) ** 2 + (y - cy) ** 2 + (z - cz) ** 2) <= radius ? 1 : 0;
      }
    }
  }
  return mask;
}

export function truncateSpectrum(spectrum: ComplexArray, mask: Uint8Array): void {
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) spectrum.re[i] = spectrum.im[i] = 0;
  }
}

export function gibbsImage(values: ArrayLike<number>, dims: readonly number[], alpha: number): Float64Array {
  const spectrum = centredSpectrum(values, dims);
  truncateSpectrum(spectrum, gibbsMask(dims, alpha));
  return realImageFromCentredSpectrum(spectrum, dims);
}

const GIBBS_OPTIONS = {
  clamp: clampOption(
    'none',
    "MONAI's GibbsNoise works on float tensors and does not clip (misas has no Gibbs series); the overshoot at edges is the artifact.",
  ),
} as const satisfies OptionSpecs;

export const gibbs = defineTransform({
  name: 'gibbs',
  title: 'Gibbs ringing',
  description:
    'Zeroes k-space outside a sphere whose radius shrinks with α, causing ringing at edges (MONAI GibbsNoise).',
  kind: 'intensity',
  parameter: { name: 'alpha', unit: '', scale: 'linear', minimum: 0, maximum: 1 },
  identity: 0,
  defaultSweep: { start: 0, stop: 0.9, step: 0.1 },
  defaultSweepText: '0…0.9 step 0.1 (0 = identity)',
  options: GIBBS_OPTIONS,
  apply(input, value, options) {
    if (!(value >= 0 && value <= 1)) throw new MisasInputError('', `gibbs: alpha must be in [0, 1], got ${value}`);
    return mapChannels(
      input,
      (values, { dims }) => (value === 0 ? values : gibbsImage(values, dims, value)),
      options.clamp,
    );
  },
});
