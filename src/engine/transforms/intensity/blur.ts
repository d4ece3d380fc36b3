/** Gaussian blur with σ in millimetres, converted per axis with the voxel spacing. */
import { defineTransform } from '../define';
import { mapChannels } from './channels';
import { gaussianFilter } from './gaussianFilter';
import { requireAtLeast } from './options';

export const blur = defineTransform({
  name: 'blur',
  title: 'Gaussian blur',
  description:
    'Smooths with a Gaussian of σ millimetres (σ_vox = σ/spacing per axis, all three axes of a volume; scipy gaussian_filter defaults).',
  kind: 'intensity',
  parameter: { name: 'sigma', unit: 'mm', scale: 'linear', minimum: 0 },
  identity: 0,
  defaultSweep: { start: 0, stop: 4, step: 0.5 },
  defaultSweepText: '0…4 mm step 0.5 (0 = identity)',
  options: {},
  apply(input, value) {
    requireAtLeast('blur', 'sigma', value, 0);
    return mapChannels(input, (values, { dims, spacing }) =>
      gaussianFilter(
        values,
        dims,
        dims.map((_, axis) => value / (spacing[axis] || 1)),
      ),
    );
  },
});
