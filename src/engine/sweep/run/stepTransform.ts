/**
 * The transform of one sweep step: the runner's definition, shared with everything that must
 * reproduce a step exactly (the results panel's overlay frames).
 */
import { createRandom, deriveSeed } from '../../random';
import type { TransformOptions, TransformSpec } from '../../transforms/types';
import type { Volume } from '../../volume';

export interface TransformedStep {
  image: Volume;
  /** The transformed truth (spatial transforms); undefined when the truth is unchanged. */
  label?: Volume;
}

export function transformStep(
  spec: TransformSpec,
  options: TransformOptions,
  value: number,
  image: Volume,
  truth: Volume,
  seed: { experiment: number; series: number; input: number },
  imageMinima?: readonly number[],
): TransformedStep {
  // The same random draw at every step of a series (common random numbers): a noise or
  // elastic sweep then scales one pattern, so the curve shows the parameter, not the draw.
  const random = createRandom(deriveSeed(seed.experiment, seed.series, seed.input));
  const out = spec.apply(spec.kind === 'spatial' ? { image, label: truth, imageMinima } : { image }, value, options, {
    random,
  });
  return out.label ? { image: out.image, label: out.label } : { image: out.image };
}
