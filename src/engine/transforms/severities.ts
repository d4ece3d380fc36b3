/**
 * Five severity levels per transform (1 = mildest … 5 = strongest), as in ROOD-MRI (Boone et al.
 * 2023) and ImageNet-C (Hendrycks & Dietterich 2019): a series with `"severities": [1, …, 5]`
 * sweeps these parameter values, and the benchmark metrics (analysis/benchmark.ts) weight them.
 * All levels sit side by side in this one table so that they can be compared and documented
 * together; the registry attaches each transform's entry to it (`spec.severities`).
 *
 * Where ROOD-MRI has the transform, its five levels are linspace(0, max, 6)[1:] of its parameter
 * (roodmri/transforms/defaults.py). ROOD-MRI gives lengths in mm on ~1 mm brain MRI (the MNI152
 * 1 mm grid is 182 × 218 × 182); misas' spatial transforms work in pixels, so such lengths are
 * scaled by the input's shorter in-plane side over ROOD_REFERENCE_SIDE (6 mm of 180 ↔ 6 px at
 * 180 px, 2 px at 60 px). ROOD-MRI draws a random sign per sample; a deterministic sweep takes
 * the positive direction only (sweep negative values with `values` for the other side).
 */
import type { SeverityLevels } from './types';

/** Shorter side (px) at which ROOD-MRI's millimetre lengths are taken as pixels. */
export const ROOD_REFERENCE_SIDE = 180;

export const SEVERITY_LEVELS = [1, 2, 3, 4, 5] as const;

const shorterSide = (dims: readonly number[]): number => Math.min(dims[0], dims[1]);
const round = (value: number, digits: number): number => Number(value.toFixed(digits));
/** linspace(0, max, 6)[1:]: ROOD-MRI's five levels of a parameter whose identity is 0. */
const upTo = (max: number): number[] => SEVERITY_LEVELS.map((s) => round((max * s) / 5, 6));
/** ROOD-MRI's millimetre lengths 1/5 … 5/5 of `maxMm`, in pixels of this input (see ROOD_REFERENCE_SIDE). */
const mmAsPixels =
  (maxMm: number, digits: number) =>
  (dims: readonly number[]): number[] =>
    SEVERITY_LEVELS.map((s) => round((((maxMm * s) / 5) * shorterSide(dims)) / ROOD_REFERENCE_SIDE, digits));

export const severityLevels: Readonly<Record<string, SeverityLevels>> = {
  rotate: {
    values: upTo(30),
    text: '6°, 12°, 18°, 24°, 30° (ROOD-MRI Affine rotation up to ±30°; positive angles only)',
  },
  crop: {
    values: (dims) => SEVERITY_LEVELS.map((s) => Math.round(0.05 * s * shorterSide(dims))),
    text: '5 %, 10 %, 15 %, 20 %, 25 % of the shorter side, whole pixels (not in ROOD-MRI or ImageNet-C)',
  },
  zoom: {
    values: upTo(0.5),
    text: '0.1 … 0.5 step 0.1, i.e. about 1.1×, 1.25×, 1.4×, 1.7×, 2× magnified (not in ROOD-MRI; cf. ImageNet-C zoom blur)',
  },
  dihedral: {
    values: [1, 2, 3, 4, 5],
    ordered: false,
    text: 'k = 1 … 5: labels of five of the seven flips and quarter turns, not an order of strength (none exists)',
  },
  resize: {
    // ROOD-MRI's isotropic downsampling factors linspace(1, 4, 6)[1:].
    values: (dims) => [1.6, 2.2, 2.8, 3.4, 4].map((f) => Math.max(1, Math.round(Math.max(dims[0], dims[1]) / f))),
    text: 'longest side ÷ 1.6, 2.2, 2.8, 3.4, 4, whole pixels (ROOD-MRI isotropic downsampling 1…4×)',
  },
  translate: {
    values: mmAsPixels(40, 0),
    text: '8, 16, 24, 32, 40 mm as pixels at 180 px (the shorter side × 8/180 … 40/180), whole pixels, positive shifts only (ROOD-MRI Affine translation up to ±40 mm)',
  },
  elastic: {
    values: mmAsPixels(30, 2),
    text: '6, 12, 18, 24, 30 mm as pixels at 180 px (the shorter side × 6/180 … 30/180) (ROOD-MRI elastic deformation, max displacement up to 30 mm)',
  },
  anisotropy: {
    values: [2.8, 4.6, 6.4, 8.2, 10],
    text: '2.8×, 4.6×, 6.4×, 8.2×, 10× (ROOD-MRI anisotropic downsampling linspace(1, 10, 6)[1:])',
  },
  brightness: {
    values: [1.2, 1.4, 1.6, 1.8, 2],
    text: '×1.2 … ×2 step 0.2 (ImageNet-C brightness adds 0.1 … 0.5 to values in 0…1: ×1.2 … ×2 at mid-grey)',
  },
  contrast: {
    values: [0.4, 0.3, 0.2, 0.1, 0.05],
    text: '×0.4, 0.3, 0.2, 0.1, 0.05 about the mean (ImageNet-C contrast)',
  },
  gamma: {
    values: [1.4, 1.8, 2.2, 2.6, 3],
    text: '1.4, 1.8, 2.2, 2.6, 3 (ROOD-MRI contrast expansion; its contrast compression is γ = 0.86 … 0.3, sweep it with `values`)',
  },
  'gaussian-noise': {
    values: upTo(0.8),
    text: "σ = 0.16 … 0.8 step 0.16 × the channel's SD (the levels of ROOD-MRI's Rician noise)",
  },
  'rician-noise': {
    values: upTo(0.8),
    text: "σ = 0.16 … 0.8 step 0.16 × the channel's SD (ROOD-MRI Rician noise, relative)",
  },
  blur: {
    values: upTo(4),
    text: 'σ = 0.8 … 4 mm step 0.8 (ROOD-MRI smoothing)',
  },
  spike: {
    values: upTo(2.5),
    text: '0.5 … 2.5 step 0.5 (the misas default range; not in ROOD-MRI)',
  },
  'spike-position': {
    values: [0.4, 0.3, 0.2, 0.1, 0],
    ordered: false,
    text: 'x = 0.4 … 0 step −0.1 (away from the k-space centre; position has no order of strength, and level 0 is the unchanged image)',
  },
  ghosting: {
    values: upTo(1),
    text: '0.2 … 1 step 0.2 (ROOD-MRI ghosting intensity 0.5 … 2.5 on TorchIO’s scale, with 3 … 11 ghosts; here the `ghosts` option stays)',
  },
  'bias-field': {
    values: upTo(-0.5),
    text: '−0.1 … −0.5 step −0.1 (the misas range; ROOD-MRI draws random coefficients up to ±0.3 … ±1.5)',
  },
  motion: {
    values: upTo(10),
    text: '2°, 4°, 6°, 8°, 10° (ROOD-MRI motion: 2 … 10 movements of up to 1 … 5° and 2 … 10 mm; here one movement)',
  },
  // A patch index (main's occlusion transform); listed here so that every registry entry has levels.
  occlusion: {
    values: [0, 1, 2, 3, 4],
    ordered: false,
    text: 'patch positions 0 … 4: labels of five patches of the grid, not an order of strength (an occlusion map reads every position)',
  },
  gibbs: {
    values: [0.2, 0.35, 0.5, 0.65, 0.8],
    text: 'α = 0.2 … 0.8 step 0.15 (not in ROOD-MRI; MONAI Gibbs noise α in 0 … 1)',
  },
};

/** The parameter value of each level in `levels` for an input of `dims`. */
export function severityValues(levels: SeverityLevels, dims: readonly number[]): number[] {
  return typeof levels.values === 'function' ? levels.values(dims) : [...levels.values];
}
