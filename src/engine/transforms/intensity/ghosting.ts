/**
 * Ghosting (TorchIO Ghosting): in the centred spectrum, planes 0, n, 2n, … along the chosen
 * axis are scaled by (1 − s), then the central slab is restored from the original spectrum.
 * Slab: c = N div 2, w' = round(w·N) (halves up), planes [c − w' div 2, c + w' div 2) and always plane c
 * itself (so w = 0 restores only plane c, TorchIO's original behaviour).
 */
import { filterAlongAxis } from '../../fft';
import { defineTransform } from '../define';
import type { OptionSpecs } from '../types';
import { mapChannels } from './channels';
import { clampOption } from './clamp';
import { axisIndex } from './options';

export interface GhostingSettings {
  ghosts: number;
  intensity: number;
  axis: number;
  restore: number;
}

/** Gain of each centred k-space plane along the ghosting axis: 1 − s on scaled, unrestored planes. */
export function ghostingGains(n: number, settings: GhostingSettings): Float64Array {
  const centre = Math.floor(n / 2);
  const slab = Math.floor(settings.restore * n + 0.5);
  const from = centre - Math.floor(slab / 2);
  const to = centre + Math.floor(slab / 2);
  return Float64Array.from({ length: n }, (_, i) => {
    const restored = i === centre || (i >= from && i < to);
    return i % settings.ghosts === 0 && !restored ? 1 - settings.intensity : 1;
  });
}

/** The gains depend on the index along one axis only, so a 1D pass along it suffices. */
export function ghostImage(
  values: ArrayLike<number>,
  dims: readonly number[],
  settings: GhostingSettings,
): Float64Array {
  return filterAlongAxis(values, dims, settings.axis, ghostingGains(dims[settings.axis], settings));
}

const GHOSTING_OPTIONS = {
  ghosts: {
    type: 'integer',
    default: 4,
    minimum: 1,
    description: 'Number of ghosts n: every n-th k-space plane along the axis is attenuated.',
  },
  axis: {
    type: 'string',
    default: 'y',
    enum: ['x', 'y', 'z'],
    description: 'Axis along which the ghosts appear (the phase-encoding direction).',
  },
  restore: {
    type: 'number',
    default: 0.02,
    minimum: 0,
    maximum: 1,
    description:
      'Width of the restored central k-space slab as a fraction of the axis (the centre plane is always restored).',
  },
  clamp: clampOption(
    'none',
    "TorchIO's Ghosting works on float tensors and does not clip (misas has no ghosting series); ringing below 0 and above the maximum is part of the artifact.",
  ),
} as const satisfies OptionSpecs;

export const ghosting = defineTransform({
  name: 'ghosting',
  title: 'Ghosting',
  description:
    'Attenuates every n-th k-space plane along the phase-encoding axis, creating shifted ghost copies (TorchIO Ghosting).',
  kind: 'intensity',
  parameter: { name: 'intensity', unit: '', scale: 'linear', minimum: 0, maximum: 1 },
  identity: 0,
  defaultSweep: { start: 0, stop: 1, step: 0.1 },
  defaultSweepText: '0…1 step 0.1 with 4 ghosts along y (0 = identity)',
  options: GHOSTING_OPTIONS,
  apply(input, value, options) {
    const settings: GhostingSettings = {
      ghosts: options.ghosts,
      intensity: value,
      axis: axisIndex('ghosting', options.axis, input.image.dims),
      restore: options.restore,
    };
    return mapChannels(
      input,
      (values, { dims }) => (value === 0 ? values : ghostImage(values, dims, settings)),
      options.clamp,
    );
  },
});
