/**
 * Preset experiments: ready-made lists of series for a purpose. "ROOD-MRI severities" covers the
 * transform families of the ROOD-MRI benchmark (Boone et al. 2023; roodmri's default transforms)
 * at all five severity levels, so that a run reports ROOD-MRI's robustness metrics for each
 * (docs/ALGORITHMS.md, "Severity levels and benchmark metrics"). examples/colin27/colin27-rood.misas.json
 * uses it (a unit test keeps the two equal).
 */
import type { ExperimentSeries } from './types';

export interface ExperimentPreset {
  id: string;
  title: string;
  description: string;
  series: ExperimentSeries[];
}

const ALL_LEVELS = [1, 2, 3, 4, 5];

/** ROOD-MRI's families and the misas transform of each (levels: transforms/severities.ts). */
const ROOD_FAMILIES: Array<[transform: string, family: string]> = [
  ['rotate', 'Affine (rotation)'],
  ['translate', 'Affine (translation)'],
  ['anisotropy', 'AnisoDownsample'],
  ['resize', 'IsoDownsample'],
  ['bias-field', 'BiasField'],
  ['gamma', 'ContrastExpansion'],
  ['elastic', 'ElasticDeformation'],
  ['ghosting', 'Ghosting'],
  ['motion', 'RandomMotion'],
  ['rician-noise', 'RicianNoise'],
  ['blur', 'Smoothing'],
];

export const ROOD_MRI_PRESET: ExperimentPreset = {
  id: 'rood-mri',
  title: 'ROOD-MRI severities',
  description: `The ROOD-MRI benchmark's transform families at severity levels 1…5: ${ROOD_FAMILIES.map(([t, f]) => `${f} → ${t}`).join(', ')} (ContrastCompression: sweep gamma 0.86…0.3 with values).`,
  series: ROOD_FAMILIES.map(([transform]) => ({ transform, severities: [...ALL_LEVELS] }) as ExperimentSeries),
};

export const EXPERIMENT_PRESETS: readonly ExperimentPreset[] = [ROOD_MRI_PRESET];
