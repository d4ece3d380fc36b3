/** Small builders shared by the spatial transform tests. */
import { createRandom } from '../../../../src/engine/random';
import { spatialTransforms } from '../../../../src/engine/transforms/spatial';
import type { TransformContext, TransformOptions, TransformSpec } from '../../../../src/engine/transforms/types';
import { identityAffine, type Volume, type VoxelArray } from '../../../../src/engine/volume';
import type { GoldenArray } from '../../../helpers/goldens';

export function spec(name: string): TransformSpec {
  const found = spatialTransforms.find((s) => s.name === name);
  if (!found) throw new Error(`no spatial transform ${name}`);
  return found;
}

export function volume(data: VoxelArray, dims: number[], channels = 1, spacing = dims.map(() => 1)): Volume {
  return { data, dims, spacing, affine: identityAffine([...spacing, 1, 1].slice(0, 3)), channels };
}

/** The typed array a golden input is stored as (float32 or uint8 images). */
export function typedFromGolden(array: GoldenArray): VoxelArray {
  if (array.dtype === 'uint8') return Uint8Array.from(array.data);
  if (array.dtype === 'float32') return Float32Array.from(array.data);
  return Float64Array.from(array.data);
}

export function context(seed = 1): TransformContext {
  return { random: createRandom(seed) };
}

/** Registry defaults with `given` on top, as the runner would pass them. */
export function withDefaults(transform: TransformSpec, given: TransformOptions = {}): TransformOptions {
  const options: TransformOptions = {};
  for (const [key, option] of Object.entries(transform.options)) options[key] = given[key] ?? option.default;
  return options;
}

/** Deterministic pseudo-random test values without touching the engine's generator. */
export function lcgValues(count: number, seed: number, scale = 100): Float32Array {
  let state = seed >>> 0;
  return Float32Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 4294967296) * scale;
  });
}
