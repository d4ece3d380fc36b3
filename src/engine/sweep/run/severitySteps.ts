/**
 * The steps of a series given as severity levels (`"severities": [1, …, 5]`): the unchanged input
 * (level 0) and each listed level's parameter value for this input (transforms/severities.ts).
 */
import { severityValues } from '../../transforms/severities';
import type { TransformSpec } from '../../transforms/types';
import type { ResolvedSeries } from '../experiment/types';

export interface SeveritySteps {
  /** Parameter values in level order, the identity (level 0) first unless no value leaves the input unchanged. */
  values: number[];
  /** The severity level of each value. */
  levels: number[];
}

export function severitySteps(series: ResolvedSeries, spec: TransformSpec, dims: readonly number[]): SeveritySteps {
  const identity = spec.identityFor ? spec.identityFor(dims) : spec.identity;
  const perLevel = severityValues(spec.severities!, dims);
  const values: number[] = [];
  const levels: number[] = [];
  const add = (value: number, level: number) => {
    // On a tiny input two levels may round to the same pixel count: the value runs once, as the lower level.
    if (values.includes(value)) return;
    values.push(value);
    levels.push(level);
  };
  if (!spec.identityChangesInput) add(identity, 0);
  for (const level of series.severities ?? []) add(perLevel[level - 1], level);
  return { values, levels };
}

/** Per input, the level of each value of the series ([] for a swept series or an input without dims). */
export function severityLevelsPerInput(
  series: ResolvedSeries,
  spec: TransformSpec,
  inputs: readonly { dims?: readonly number[] }[],
): number[][] {
  return inputs.map(({ dims }) => (series.severities && dims ? severitySteps(series, spec, dims).levels : []));
}

/** Level of `value` among `values` (undefined for a value that is no level's). */
export function severityOfValue(
  values: readonly number[],
  levels: readonly number[],
  value: number,
): number | undefined {
  const at = values.indexOf(value);
  return at < 0 ? undefined : levels[at];
}
