import type { MetricValue } from './types';

export interface NullSkippingMean {
  /** Mean of the defined values; null when there are none. Infinity when any value is Infinity. */
  mean: number | null;
  /** How many values went into the mean. */
  n: number;
  /** How many nulls (undefined metrics) were left out. */
  skipped: number;
}

/**
 * Mean over images of one metric and class, leaving out undefined values (null) and saying how
 * many. Infinity (a surface distance with the class missing) is kept: the mean is then Infinity,
 * which is the honest answer.
 */
export function meanSkippingNull(values: readonly MetricValue[]): NullSkippingMean {
  let total = 0;
  let n = 0;
  let skipped = 0;
  for (const value of values) {
    if (value === null) skipped++;
    else {
      total += value;
      n++;
    }
  }
  return { mean: n > 0 ? total / n : null, n, skipped };
}
