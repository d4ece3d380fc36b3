/**
 * The q-th percentile of ascending `sorted` values with linear interpolation between the two
 * nearest ranks: numpy.percentile's default method ("linear", Hyndman & Fan type 7).
 */
export function percentileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('percentile of no values');
  const rank = ((n - 1) * q) / 100;
  const below = Math.floor(rank);
  const above = Math.min(below + 1, n - 1);
  const fraction = rank - below;
  const a = sorted[below];
  const b = sorted[above];
  return fraction === 0 || a === b ? a : a + fraction * (b - a);
}
