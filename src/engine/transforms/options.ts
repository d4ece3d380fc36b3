/**
 * Reading a transform's options: each declared option takes its given value or its default, and
 * is checked against its declaration (type, enum, bounds), so a transform's apply can rely on
 * the types OptionsOf derives from the same declarations.
 */
import { MisasInputError } from '../errors';
import type { OptionSpecs, OptionsOf, TransformOption, TransformOptions } from './types';

/** Names of the spatial axes, first (fastest) first, as options name them. */
export const AXIS_NAMES = ['x', 'y', 'z'] as const;
export type AxisName = (typeof AXIS_NAMES)[number];

/** `value` if it fits `option`; otherwise a MisasInputError naming the option and the transform. */
function checkedValue(
  transform: string,
  key: string,
  option: TransformOption,
  value: number | boolean | string,
): number | boolean | string {
  const problem = (text: string): MisasInputError =>
    new MisasInputError(
      '',
      `option "${key}" of transform "${transform}" must be ${text}, got ${JSON.stringify(value)}`,
    );
  const expected = option.type === 'integer' ? 'number' : option.type;
  if (typeof value !== expected || (option.type === 'integer' && !Number.isInteger(value))) throw problem(option.type);
  if (option.enum && (typeof value !== 'string' || !option.enum.includes(value)))
    throw problem(`one of ${option.enum.join(', ')}`);
  if (typeof value === 'number') {
    // Written as "not ≥" so that NaN is refused too.
    if (option.minimum !== undefined && !(value >= option.minimum)) throw problem(`at least ${option.minimum}`);
    if (option.maximum !== undefined && !(value <= option.maximum)) throw problem(`at most ${option.maximum}`);
  }
  return value;
}

/**
 * Every option `declarations` declares, from `given` or its default, checked. Keys that are not
 * declared are left out: the experiment loader refuses them (resolveOptions), while options a
 * run folder recorded under an older version must not stop its frames from being shown.
 */
export function readOptions<S extends OptionSpecs>(
  transform: string,
  declarations: S,
  given: TransformOptions = {},
): OptionsOf<S> {
  const values: TransformOptions = {};
  for (const [key, option] of Object.entries(declarations)) {
    values[key] = checkedValue(transform, key, option, given[key] ?? option.default);
  }
  // Each value was checked against its own declaration above, which is what OptionsOf<S> states.
  return values as OptionsOf<S>;
}
