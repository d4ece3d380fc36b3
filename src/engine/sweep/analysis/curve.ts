/**
 * Tolerance interval, breakdown values and nAUC of one series' metric curve for one class
 * (docs/ALGORITHMS.md, "Summaries").
 *
 * Choices this module makes (and the docs repeat):
 * - "within tolerance": metric ≥ τ·D0 when higher is better (Dice), metric ≤ D0/τ when lower is
 *   better (HD95: at τ = 0.9 up to 111% of the baseline distance). The identity value v0 is
 *   always within tolerance; it anchors the interval.
 * - Points whose metric is null (undefined) are left out of the curve and listed in `skipped`:
 *   they neither break nor extend the interval. Infinity (a surface distance with the class
 *   missing) is an ordinary, out-of-tolerance value.
 * - When v0 is not a sweep value, (v0, D0) is inserted for contiguity, so the interval may end
 *   at v0 itself (e.g. a brightness sweep 0.05…0.9 with identity 1).
 * - nAUC = trapezoid area under the defined sweep points, with the parameter mapped linearly to
 *   [0, 1] over their range (in log space for log-scaled parameters, where factor ½ and 2 are
 *   equally far from 1), divided by D0. It uses the sweep points only, not an inserted v0, so it
 *   is the mean relative metric over the swept range. One point: its metric / D0.
 * - Without a usable baseline (D0 null, NaN or ±Infinity) nothing is computed (all null); with
 *   D0 = 0 the interval is computed but nAUC is null (no division by zero).
 */
import { DEFAULT_TOLERANCE } from '../../defaults';

export interface CurvePoint {
  value: number;
  metric: number | null;
}

export interface CurveSummaryOptions {
  /** The identity value v0 of the transform. */
  identity: number;
  /** D0, the metric at v0 (measured even when v0 is not a sweep value). */
  baseline: number | null;
  /** Fraction of the baseline still tolerated (default DEFAULT_TOLERANCE, 0.9). */
  tau?: number;
  /** true for Dice/IoU/precision/recall, false for HD95/ASSD (default true). */
  higherIsBetter?: boolean;
  /** How the parameter axis is normalised for nAUC (default linear). */
  scale?: 'linear' | 'log';
}

export interface CurveSummary {
  identity: number;
  baseline: number | null;
  tau: number;
  higherIsBetter: boolean;
  /** τ·D0 (higher is better) or D0/τ (lower is better); null without a usable baseline. */
  threshold: number | null;
  /** [lo, hi] parameter values: the widest contiguous run of tolerated points around v0. */
  tolerance: [number, number] | null;
  /** The first parameter below / above v0 that is not tolerated; null when there is none. */
  breakdown: { below: number | null; above: number | null };
  nauc: number | null;
  /** Sweep values whose metric was undefined (null), left out of everything above. */
  skipped: number[];
}

/** Sweep values closer than this (relative) are the same value (guards float-expanded sweeps). */
const SAME_VALUE_RTOL = 1e-9;

function sameValue(a: number, b: number): boolean {
  return Math.abs(a - b) <= SAME_VALUE_RTOL * Math.max(1, Math.abs(a), Math.abs(b));
}

/** The points sorted by value; refuses NaN metrics and repeated values. */
function sortedPoints(points: readonly CurvePoint[]): CurvePoint[] {
  const sorted = [...points].sort((a, b) => a.value - b.value);
  sorted.forEach((point, i) => {
    if (!Number.isFinite(point.value)) throw new RangeError(`sweep value ${point.value} is not a finite number`);
    if (point.metric !== null && Number.isNaN(point.metric))
      throw new RangeError(`metric at ${point.value} is NaN; use null for undefined`);
    if (i > 0 && sameValue(sorted[i - 1].value, point.value))
      throw new RangeError(`sweep value ${point.value} occurs twice`);
  });
  return sorted;
}

/** Area under the points with the parameter mapped to [0, 1], divided by the baseline. */
export function normalisedAuc(
  points: readonly { value: number; metric: number }[],
  baseline: number,
  scale: 'linear' | 'log' = 'linear',
): number | null {
  if (points.length === 0 || baseline === 0) return null;
  if (points.length === 1) return points[0].metric / baseline;
  if (scale === 'log' && points.some((p) => p.value <= 0))
    throw new RangeError('a log-scaled parameter needs positive values for nAUC');
  const axis = (v: number): number => (scale === 'log' ? Math.log(v) : v);
  const first = axis(points[0].value);
  const range = axis(points[points.length - 1].value) - first;
  let area = 0;
  for (let i = 1; i < points.length; i++) {
    const width = (axis(points[i].value) - axis(points[i - 1].value)) / range;
    area += (width * (points[i].metric + points[i - 1].metric)) / 2;
  }
  return area / baseline;
}

/** τ·D0 when higher is better, D0/τ when lower is better: the edge of "within tolerance". */
export function toleranceThreshold(baseline: number, tau: number, higherIsBetter: boolean): number {
  return higherIsBetter ? tau * baseline : baseline / tau;
}

/** Whether a metric is within tolerance of the threshold (the one test summaries and refinement share). */
export function isTolerated(metric: number, threshold: number, higherIsBetter: boolean): boolean {
  return higherIsBetter ? metric >= threshold : metric <= threshold;
}

export function summarizeCurve(points: readonly CurvePoint[], options: CurveSummaryOptions): CurveSummary {
  const { identity, baseline, tau = DEFAULT_TOLERANCE, higherIsBetter = true, scale = 'linear' } = options;
  if (!(tau > 0 && tau <= 1)) throw new RangeError(`tolerance fraction τ must be in (0, 1], got ${tau}`);
  const sorted = sortedPoints(points);
  const skipped = sorted.filter((p) => p.metric === null).map((p) => p.value);
  const defined = sorted.filter((p): p is { value: number; metric: number } => p.metric !== null);
  const summary: CurveSummary = {
    identity,
    baseline,
    tau,
    higherIsBetter,
    threshold: null,
    tolerance: null,
    breakdown: { below: null, above: null },
    nauc: null,
    skipped,
  };
  if (baseline === null || !Number.isFinite(baseline)) return summary;

  const threshold = toleranceThreshold(baseline, tau, higherIsBetter);
  const tolerated = (metric: number): boolean => isTolerated(metric, threshold, higherIsBetter);

  // Walk outwards from v0 over the defined points; the first untolerated point on a side ends the interval.
  const below = defined.filter((p) => p.value < identity && !sameValue(p.value, identity)).reverse();
  const above = defined.filter((p) => p.value > identity && !sameValue(p.value, identity));
  // Report the sweep's own spelling of v0 when v0 is a sweep value.
  const anchor = sorted.find((p) => sameValue(p.value, identity))?.value ?? identity;
  const walk = (side: typeof defined): { bound: number; breakdown: number | null } => {
    let bound = anchor;
    for (const point of side) {
      if (!tolerated(point.metric)) return { bound, breakdown: point.value };
      bound = point.value;
    }
    return { bound, breakdown: null };
  };
  const low = walk(below);
  const high = walk(above);

  summary.threshold = threshold;
  summary.tolerance = [low.bound, high.bound];
  summary.breakdown = { below: low.breakdown, above: high.breakdown };
  summary.nauc = normalisedAuc(defined, baseline, scale);
  return summary;
}
