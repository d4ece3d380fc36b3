import type { TransformSpec } from '../types';

/**
 * Intensity transforms and MR artifacts: brightness, contrast, gamma, gaussian-noise,
 * rician-noise, blur, spike, spike-position, ghosting, bias-field, motion, gibbs.
 */
export const intensityTransforms: TransformSpec[] = [];
