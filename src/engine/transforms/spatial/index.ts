import type { TransformSpec } from '../types';

/**
 * Geometric transforms: rotate, crop, zoom, dihedral, resize, translate, elastic (kind spatial),
 * and anisotropy (a resampling, but kind intensity: the label map stays as it is).
 */
export const spatialTransforms: TransformSpec[] = [];
