import type { TransformSpec } from '../types';
import { biasFieldTransform } from './biasField';
import { blur } from './blur';
import { brightness, contrast } from './brightnessContrast';
import { gamma } from './gamma';
import { ghosting } from './ghosting';
import { gibbs } from './gibbs';
import { motion } from './motion';
import { gaussianNoise, ricianNoise } from './noise';
import { occlusion } from './occlusion';
import { spike, spikePosition } from './spike';

/**
 * Intensity transforms and MR artifacts: brightness, contrast, gamma, gaussian-noise,
 * rician-noise, blur, spike, spike-position, ghosting, bias-field, motion, gibbs, occlusion.
 * All are kind 'intensity': they return float32 images and the label map unchanged.
 */
export const intensityTransforms: TransformSpec[] = [
  brightness,
  contrast,
  gamma,
  gaussianNoise,
  ricianNoise,
  blur,
  spike,
  spikePosition,
  ghosting,
  biasFieldTransform,
  motion,
  gibbs,
  occlusion,
];
