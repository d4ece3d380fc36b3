/**
 * Gibbs ringing (MONAI GibbsNoise): K = F(x); keep the k-space points with
 * ‖idx − (N−1)/2‖₂ ≤ (1 − α)·max(N)·√2/2 and zero the rest; y = F⁻¹(K·mask).
 * α = 0 returns the input: in 3D that radius would otherwise clip the corners of k-space.
 */
import { centredIndex, filterRealImageByLines, type LineGainsOf } from '../../fft';
import { MisasInputError } from '../../errors';
import { defineTransform } from '../define';
import type { OptionSpecs } from '../types';
import { mapChannels } from './channels';
import { clampOption } from './clamp';

/**
 * (centred index − (n − 1)/2)² of raw index k, and of raw index −k, per axis: the two squared
 * offsets a point and its Hermitian mirror have from the k-space centre along that axis.
 */
function squaredOffsets(n: number, count: number): { plus: Float64Array; minus: Float64Array } {
  const centre = (n - 1) / 2;
  const plus = new Float64Array(count);
  const minus = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    plus[k] = (centredIndex(k, n) - centre) ** 2;
    minus[k] = (centredIndex((n - k) % n, n) - centre) ** 2;
  }
  return { plus, minus };
}

/**
 * The gains of the lines along axis 0 of the half spectrum: the Hermitian part of the truncation
 * mask, 1 where a point and its mirror are both kept, ½ where one is (possible on even axes,
 * where the sphere's centre (n − 1)/2 lies between two frequencies), 0 where neither is. Sums of
 * squared offsets are exact (multiples of ¼), so their order does not matter.
 */
export function truncationGains(dims: readonly number[], alpha: number): LineGainsOf {
  const radius = ((1 - alpha) * Math.max(...dims) * Math.SQRT2) / 2;
  let offsets: { plus: Float64Array; minus: Float64Array }[] | undefined;
  return (line, { halfDims }, gains) => {
    offsets ??= [0, 1, 2].map((axis) => squaredOffsets(dims[axis] ?? 1, halfDims[axis] ?? 1));
    const [x, y, z] = offsets;
    const ny = halfDims[1] ?? 1;
    const j = line % ny,
      k = Math.floor(line / ny);
    const across = y.plus[j] + z.plus[k],
      mirrorAcross = y.minus[j] + z.minus[k];
    let ones = 0,
      zeros = 0;
    for (let h = 0; h < x.plus.length; h++) {
      const kept = Math.sqrt(x.plus[h] + across) <= radius;
      const mirrorKept = Math.sqrt(x.minus[h] + mirrorAcross) <= radius;
      const gain = kept && mirrorKept ? 1 : kept || mirrorKept ? 0.5 : 0;
      if (gain === 1) ones++;
      else if (gain === 0) zeros++;
      gains[h] = gain;
    }
    return ones === x.plus.length ? 'one' : zeros === x.plus.length ? 'zero' : 'mixed';
  };
}

/**
 * real(F⁻¹(mask ⊙ F(x))), computed on the half spectrum of the real image; `values` itself when
 * the sphere holds all of k-space (its farthest points, the corners, are inside), so the
 * identity stays exact instead of carrying the float32 round-off of the transforms.
 */
export function gibbsImage(values: ArrayLike<number>, dims: readonly number[], alpha: number): ArrayLike<number> {
  const radius = ((1 - alpha) * Math.max(...dims) * Math.SQRT2) / 2;
  const corner = Math.sqrt(dims.reduce((sum, n) => sum + ((n - 1) / 2) ** 2, 0));
  if (corner <= radius) return values;
  return filterRealImageByLines(values, dims, truncationGains(dims, alpha));
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
