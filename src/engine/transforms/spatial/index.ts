import type { TransformSpec } from '../types';
import { anisotropy } from './anisotropy';
import { crop } from './crop';
import { dihedral } from './dihedral';
import { elastic } from './elastic';
import { resize } from './resize';
import { rotate } from './rotate';
import { translate } from './translate';
import { zoom } from './zoom';

/**
 * Geometric transforms: rotate, crop, zoom, dihedral, resize, translate, elastic (kind spatial:
 * the label map moves with the image, by nearest neighbour, filled with class 0), and anisotropy
 * (a resampling, but kind intensity: the label map stays as it is).
 *
 * Conventions (see ../resample.ts): pixel centres at integers, x right, y down; warps fill
 * outside the image like scipy.ndimage mode 'grid-constant', scalings repeat the edge pixel
 * (mode 'nearest', grid_mode=True). Images come out float32 when linearly interpolated
 * (float64 stays float64) and in their own array type otherwise; label maps keep their type.
 * 3D volumes and multi-channel images are transformed plane by plane, each (x, y) plane alike.
 */
export const spatialTransforms: TransformSpec[] = [
  rotate,
  crop,
  zoom,
  dihedral,
  resize,
  translate,
  elastic,
  anisotropy,
];
