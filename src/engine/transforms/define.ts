/**
 * defineTransform: how a transform module declares its registry entry. Its apply is written
 * against OptionsOf<its option declarations>; the entry's apply reads the options given to it
 * (defaults filled in, values checked) and hands them over typed.
 */
import { readOptions } from './options';
import type { OptionSpecs, TransformDefinition, TransformSpec } from './types';

export function defineTransform<const S extends OptionSpecs>(definition: TransformDefinition<S>): TransformSpec {
  return {
    ...definition,
    apply: (input, value, given, ctx) =>
      definition.apply(input, value, readOptions(definition.name, definition.options, given), ctx),
  };
}
