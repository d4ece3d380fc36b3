/**
 * The order of a series' values in results: the user's. A sweep written from 80 down to −40 is
 * stored, tabulated, animated and plotted from 80 down; the runner adds the identity where it
 * falls in that order. Everything that orders values (the runner, row assembly, aggregates,
 * shard merging, charts) asks this module, so they cannot disagree.
 */

/** True when the values run strictly downwards (two or more of them). */
export function isDescending(values: readonly number[]): boolean {
  return values.length >= 2 && values.every((value, i) => i === 0 || value < values[i - 1]);
}

function isAscending(values: readonly number[]): boolean {
  return values.every((value, i) => i === 0 || value > values[i - 1]);
}

/**
 * The user's values with `extra` (the identity) added where it belongs: at its place in a sorted
 * (ascending or descending) sweep, after the last value in an unsorted one.
 */
export function withValueInOrder(values: readonly number[], extra: number): number[] {
  if (values.includes(extra)) return [...values];
  const descending = isDescending(values);
  if (!descending && !isAscending(values)) return [...values, extra];
  const at = values.findIndex((value) => (descending ? value < extra : value > extra));
  return at < 0 ? [...values, extra] : [...values.slice(0, at), extra, ...values.slice(at)];
}

/** A series is shown descending when every input's sweep runs downwards. */
export function isDescendingSeries(valuesPerInput: readonly (readonly number[])[]): boolean {
  const swept = valuesPerInput.filter((values) => values.length >= 2);
  return swept.length > 0 && swept.every(isDescending);
}

export type ValueOrder = (a: number, b: number) => number;

/**
 * A comparator that puts values in the series' order: by value (downwards for a descending
 * series) when every input's sweep is sorted, else by first appearance in the inputs' lists
 * (values no list holds go last, by value).
 */
export function seriesValueOrder(valuesPerInput: readonly (readonly number[])[]): ValueOrder {
  if (isDescendingSeries(valuesPerInput)) return (a, b) => b - a;
  if (valuesPerInput.every(isAscending)) return (a, b) => a - b;
  const rank = new Map<number, number>();
  for (const values of valuesPerInput) for (const value of values) if (!rank.has(value)) rank.set(value, rank.size);
  return (a, b) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity) || a - b;
}
