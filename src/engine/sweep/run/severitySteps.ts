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

export function severitySteps(
  series: ResolvedSeries,
  spec: TransformSpec,
  identity: number,
  dims: readonly number[],
): SeveritySteps {
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

/** Level of `value` in the steps (undefined for a value that is no level's, e.g. none). */
export function severityOfValue(steps: SeveritySteps, value: number): number | undefined {
  const at = steps.values.indexOf(value);
  return at < 0 ? undefined : steps.levels[at];
}
