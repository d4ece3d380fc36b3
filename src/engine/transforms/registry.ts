/**
 * The one registry of sensitivity transforms. The CLI's help, the experiment JSON schema, the
 * UI's forms and the docs are generated from it; nothing else lists transforms by hand. Each
 * transform module declares its entry with defineTransform (./define.ts): its apply receives
 * options typed from the entry's own option declarations.
 */
import { MisasInputError } from '../errors';
import { intensityTransforms } from './intensity';
import { readOptions } from './options';
import { severityLevels } from './severities';
import { spatialTransforms } from './spatial';
import { expandSweep, type Sweep } from './sweep';
import type { TransformContext, TransformInput, TransformOptions, TransformOutput, TransformSpec } from './types';

/** Every transform with its severity levels (one table, ./severities.ts, lists them side by side). */
export const transforms: readonly TransformSpec[] = [...spatialTransforms, ...intensityTransforms].map((spec) => {
  const severities = severityLevels[spec.name];
  if (!severities) throw new Error(`transform "${spec.name}" has no severity levels in severities.ts`);
  return { ...spec, severities };
});

const byName = new Map(transforms.map((spec) => [spec.name, spec]));

/**
 * Transforms whose output slice z depends only on input slice z (in-plane spatial transforms
 * plane by plane, pointwise maps without whole-image statistics): a volume can be transformed a
 * slab of slices at a time, and they need no whole-volume working buffers. Every other
 * transform (3D k-space artefacts, 3D filters and fields, whole-image statistics, random draws)
 * works on the whole volume at once. The memory estimate (dataset/memory.ts) reads this.
 */
const SLAB_LOCAL = new Set(['rotate', 'translate', 'zoom', 'crop', 'dihedral', 'resize', 'brightness']);

export function isSlabLocal(spec: TransformSpec): boolean {
  return SLAB_LOCAL.has(spec.name);
}

export function findTransform(name: string): TransformSpec | undefined {
  return byName.get(name);
}

export function getTransform(name: string): TransformSpec {
  const spec = byName.get(name);
  if (!spec) {
    throw new MisasInputError('', `unknown transform "${name}"; known transforms: ${[...byName.keys()].join(', ')}`);
  }
  return spec;
}

export function defaultSweepFor(spec: TransformSpec, dims: readonly number[], options: TransformOptions = {}): Sweep {
  return typeof spec.defaultSweep === 'function'
    ? spec.defaultSweep(dims, resolveOptions(spec, options))
    : spec.defaultSweep;
}

export function defaultValuesFor(
  spec: TransformSpec,
  dims: readonly number[],
  options: TransformOptions = {},
): number[] {
  return expandSweep(defaultSweepFor(spec, dims, options));
}

/** Options with the registry's defaults filled in; unknown or mistyped options are an error. */
export function resolveOptions(spec: TransformSpec, given: TransformOptions = {}): TransformOptions {
  for (const key of Object.keys(given)) {
    if (!(key in spec.options)) {
      throw new MisasInputError(
        '',
        `transform "${spec.name}" has no option "${key}"; it takes: ${Object.keys(spec.options).join(', ') || 'none'}`,
      );
    }
  }
  return readOptions(spec.name, spec.options, given);
}

/** Applies a transform by name with defaults filled in. */
export function applyTransform(
  name: string,
  input: TransformInput,
  value: number,
  options: TransformOptions,
  ctx: TransformContext,
): TransformOutput {
  const spec = getTransform(name);
  return spec.apply(input, value, resolveOptions(spec, options), ctx);
}
