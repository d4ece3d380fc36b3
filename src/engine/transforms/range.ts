/**
 * The values a transform's swept parameter accepts: its registry bounds, and a plausibility
 * bound for parameters without one, so that an absurd value (1e308°) is refused when the
 * experiment loads instead of surfacing as NaN "returned by the model".
 */
import type { TransformSpec } from './types';

/** Largest |value| accepted for a parameter without its own bounds. */
export const MAX_PARAMETER_MAGNITUDE = 1e6;

/** Why `value` is not a valid parameter of `spec`, or undefined. */
export function parameterRangeProblem(spec: TransformSpec, value: number): string | undefined {
  const { minimum, maximum, exclusiveMinimum } = spec.parameter;
  if (!Number.isFinite(value)) return `value ${value} is not a finite number`;
  if (exclusiveMinimum !== undefined && value <= exclusiveMinimum)
    return `value ${value} must be greater than ${exclusiveMinimum}`;
  if (minimum !== undefined && value < minimum) return `value ${value} is below the minimum ${minimum}`;
  if (maximum !== undefined && value > maximum) return `value ${value} is above the maximum ${maximum}`;
  if (minimum === undefined && exclusiveMinimum === undefined && value < -MAX_PARAMETER_MAGNITUDE)
    return `value ${value} is below −${MAX_PARAMETER_MAGNITUDE}, implausibly large`;
  if (maximum === undefined && value > MAX_PARAMETER_MAGNITUDE)
    return `value ${value} is above ${MAX_PARAMETER_MAGNITUDE}, implausibly large`;
  return undefined;
}

/** "> 0", "0 … 1", "≥ 1": the accepted values in words, for docs. */
export function parameterRangeText(spec: TransformSpec): string {
  const { minimum, maximum, exclusiveMinimum } = spec.parameter;
  const low =
    exclusiveMinimum !== undefined
      ? `> ${exclusiveMinimum}`
      : minimum !== undefined
        ? `≥ ${minimum}`
        : `≥ −${MAX_PARAMETER_MAGNITUDE}`;
  const high = maximum !== undefined ? `≤ ${maximum}` : `≤ ${MAX_PARAMETER_MAGNITUDE}`;
  return `${low} and ${high}`;
}
