/**
 * Summary shading: the tolerance interval of each class (the widest run of parameter values
 * around the identity where the metric stays within τ of its baseline) and the interval where
 * every shown class is tolerated at once, which the chart shades.
 */
import type { SeriesSummary } from '../../src/engine/sweep/analysis/seriesSummary';

export interface ToleranceBand {
  className: string;
  classIndex: number;
  /** [lo, hi] parameter values, or null when not even the identity is tolerated / no baseline. */
  interval: [number, number] | null;
  breakdown: { below: number | null; above: number | null };
  nauc: number | null;
  baseline: number | null;
  threshold: number | null;
  /** The baseline Dice when the class fails at baseline: it has no interval, and the shared band leaves it out. */
  failsAtBaseline: number | null;
}

/** Bands from the summaries of one metric and one input (or the pooled 'mean'), in class order. */
export function toleranceBands(summaries: readonly SeriesSummary[], classes: readonly string[]): ToleranceBand[] {
  return summaries
    .map((s) => ({
      className: s.className,
      classIndex: classes.indexOf(s.className),
      interval: s.tolerance,
      breakdown: s.breakdown,
      nauc: s.nauc,
      baseline: s.baseline,
      threshold: s.threshold,
      failsAtBaseline: s.failsAtBaseline?.dice ?? null,
    }))
    .filter((band) => band.classIndex >= 0)
    .sort((a, b) => a.classIndex - b.classIndex);
}

/**
 * Where all the given classes are tolerated: the intersection of their intervals. Null when a
 * class has no interval or the intervals do not overlap (nothing is safe for all of them).
 * Classes that fail at baseline are left out: they have no tolerance to speak of (the banner
 * says so), and one of them would otherwise hide the band of all the others.
 */
export function sharedTolerance(
  bands: readonly ToleranceBand[],
  shownClasses: ReadonlySet<string>,
): [number, number] | null {
  const shown = bands.filter((band) => shownClasses.has(band.className) && band.failsAtBaseline === null);
  if (shown.length === 0) return null;
  let lo = -Infinity;
  let hi = Infinity;
  for (const band of shown) {
    if (band.interval === null) return null;
    lo = Math.max(lo, band.interval[0]);
    hi = Math.min(hi, band.interval[1]);
  }
  return lo <= hi ? [lo, hi] : null;
}
