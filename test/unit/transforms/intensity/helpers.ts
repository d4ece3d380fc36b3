/** Test plumbing for the intensity transforms: golden arrays as volumes, specs by name. */
import { intensityTransforms } from '../../../../src/engine/transforms/intensity';
import type { TransformSpec } from '../../../../src/engine/transforms/types';
import { identityAffine, type Volume } from '../../../../src/engine/volume';
import { createRandom } from '../../../../src/engine/random';
import type { GoldenArray } from '../../../helpers/goldens';

export function specNamed(name: string): TransformSpec {
  const spec = intensityTransforms.find((candidate) => candidate.name === name);
  if (!spec) throw new Error(`no intensity transform "${name}"`);
  return spec;
}

/** A golden array as a volume; with channels > 1 the first numpy axis is the channel axis. */
export function volumeOf(
  array: GoldenArray,
  { channels = 1, integer = false, spacing }: { channels?: number; integer?: boolean; spacing?: number[] } = {},
): Volume {
  const spatialShape = channels > 1 ? array.shape.slice(1) : array.shape;
  const dims = [...spatialShape].reverse();
  const data = integer ? Uint8Array.from(array.data) : Float32Array.from(array.data);
  const voxelSpacing = spacing ?? dims.map(() => 1);
  return { data, dims, spacing: voxelSpacing, affine: identityAffine(voxelSpacing), channels };
}

export function applyNamed(
  name: string,
  image: Volume,
  value: number,
  options: Record<string, number | boolean | string> = {},
  seed = 1,
): Volume {
  return specNamed(name).apply({ image }, value, options, { random: createRandom(seed) }).image;
}

/** A smooth positive test image with an edge, `channels` planar channels. */
export function testVolume(dims: number[], channels = 1): Volume {
  const voxels = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(voxels * channels);
  for (let i = 0; i < data.length; i++) {
    const x = i % dims[0];
    data[i] =
      20 +
      60 * Math.exp(-(((x - dims[0] / 2) / dims[0]) ** 2) * 8) +
      (x > dims[0] / 3 ? 30 : 0) +
      (i % 7) +
      5 * Math.floor(i / voxels);
  }
  return { data, dims: [...dims], spacing: dims.map(() => 1), affine: identityAffine(), channels };
}
