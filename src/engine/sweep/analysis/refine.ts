/**
 * Adaptive refinement of breaking points (docs/ALGORITHMS.md, "Adaptive refinement"): given the
 * values a series has swept so far on one input (or the mean curve over inputs, refineMean.ts)
 * and each class's metric curve over them, the next values to evaluate. The runner evaluates
 * them and asks again until nothing is left.
 *
 * Choices this module makes (and the docs repeat):
 * - It refines what the summaries report: the tolerance interval's edges. Walking outwards from
 *   the identity as curve.ts does, the bracket where a curve first stops being tolerated is
 *   bisected until it is no wider than the resolution.
 * - Dips: bisection finds *a* crossing in a bracket, not the first. A curve that breaks inside
 *   a sweep step may break a little earlier in the same step too (a narrow dip, e.g. a class
 *   absent from the truth whose Dice jumps 1 → 0 → 1 at a single angle), so the tolerated part
 *   of the sweep step that holds the breaking point is refined to the resolution as well.
 *   Inside the interval, a bracket across which the metric changes by more than SHARP_CHANGE·D0
 *   is bisected too: a steep fall between two tolerated points may hide a dip below threshold.
 *   Crossings beyond the breaking points change no summary and are left alone.
 * - Midpoints are snapped to the resolution's grid counted from the bracket's lower end
 *   (a + n·resolution), so a grid that is a multiple of the resolution is refined onto the values
 *   a dense sweep at that resolution would take (15° refined to 1° lands on whole degrees).
 * - "Tolerated" is the test of tolerance intervals (`isTolerated`); null points are left out; a
 *   curve without a usable baseline (null, NaN, ±Infinity or 0) is not refined.
 * - A dip narrower than the resolution, or one inside the interval between two sweep steps'
 *   worth of points that neither break nor change sharply, can still be missed: only a dense
 *   sweep rules it out.
 */
import { isTolerated, toleranceThreshold, type CurvePoint } from './curve';

/** One class's metric over the values swept so far, with its baseline D0. */
export interface RefinementCurve {
  /** `refined` marks a value added by refinement, not one of the series' own sweep values. */
  points: readonly (CurvePoint & { refined?: boolean })[];
  baseline: number | null;
  /** true for Dice/IoU/precision/recall, false for HD95/ASSD. */
  higherIsBetter: boolean;
  /** The transform's identity value v0, where the tolerance interval is anchored. */
  identity: number;
}

export interface RefinementOptions {
  /** The tolerance fraction τ of the run. */
  tau: number;
  /** Brackets no wider than this (in the parameter's unit) are not split further. */
  resolution: number;
}

/** Digits kept of a snapped midpoint, so 0.1-steps do not become 0.30000000000000004. */
const SIGNIFICANT_DIGITS = 12;

/** The value between a and b (a < b) on the resolution's grid from a; undefined when there is none. */
export function bracketMidpoint(a: number, b: number, resolution: number): number | undefined {
  const steps = Math.round((b - a) / resolution / 2);
  const mid = Number((a + Math.max(1, steps) * resolution).toPrecision(SIGNIFICANT_DIGITS));
  return mid > a && mid < b ? mid : undefined;
}

/** A change between neighbours larger than this fraction of D0 is "sharp"; see bracketsToRefine. */
export const SHARP_CHANGE = 0.2;

/**
 * Brackets [a, b] of neighbouring defined points to split, walking outwards from the identity
 * as the tolerance interval does (curve.ts): on each side the bracket where the curve first
 * stops being tolerated (the breaking point) together with the tolerated brackets of the same
 * sweep step (between the last sweep value, i.e. a point not marked `refined`, and the
 * breaking point), and inside the interval every bracket with a change of more than
 * SHARP_CHANGE·D0. Crossings beyond the breaking points change no summary and are left alone.
 */
export function bracketsToRefine(curve: RefinementCurve, tau: number): Array<[number, number]> {
  const { baseline, higherIsBetter, identity } = curve;
  if (baseline === null || !Number.isFinite(baseline) || baseline === 0) return [];
  const threshold = toleranceThreshold(baseline, tau, higherIsBetter);
  const scale = Math.abs(baseline);
  const defined = curve.points
    .filter((p) => p.metric !== null && !Number.isNaN(p.metric))
    .map((p) => ({ value: p.value, metric: p.metric as number, refined: p.refined === true }));
  // The identity anchors the walk with D0 (as in summaries), also where it is not a point of its own.
  const anchor = { value: identity, metric: baseline, refined: false };
  const brackets: Array<[number, number]> = [];
  for (const side of [-1, 1]) {
    const outwards = defined.filter((p) => side * (p.value - identity) > 0).sort((p, q) => side * (p.value - q.value));
    let inner = anchor;
    // The brackets walked since the last sweep value (not refined): the sweep step the edge lies in.
    let sinceSweepValue: Array<[number, number]> = [];
    for (const outer of outwards) {
      const bracket: [number, number] = side < 0 ? [outer.value, inner.value] : [inner.value, outer.value];
      if (!isTolerated(outer.metric, threshold, higherIsBetter)) {
        // The breaking bracket, and the tolerated rest of its sweep step: a dip there ends the interval earlier.
        brackets.push(bracket, ...sinceSweepValue);
        break;
      }
      if (Math.abs(outer.metric - inner.metric) > SHARP_CHANGE * scale) brackets.push(bracket);
      sinceSweepValue = outer.refined ? [...sinceSweepValue, bracket] : [];
      inner = outer;
    }
  }
  return brackets;
}

/** Brackets [a, b] of neighbouring defined points where the curve changes between tolerated and not. */
export function crossingBrackets(curve: RefinementCurve, tau: number): Array<[number, number]> {
  const { baseline, higherIsBetter } = curve;
  if (baseline === null || !Number.isFinite(baseline) || baseline === 0) return [];
  const threshold = toleranceThreshold(baseline, tau, higherIsBetter);
  const defined = curve.points
    .filter((p): p is { value: number; metric: number } => p.metric !== null && !Number.isNaN(p.metric))
    .sort((p, q) => p.value - q.value);
  const brackets: Array<[number, number]> = [];
  for (let i = 1; i < defined.length; i++) {
    const before = isTolerated(defined[i - 1].metric, threshold, higherIsBetter);
    const after = isTolerated(defined[i].metric, threshold, higherIsBetter);
    if (before !== after) brackets.push([defined[i - 1].value, defined[i].value]);
  }
  return brackets;
}

/**
 * The values to evaluate next, ascending and each once: the midpoint of every crossing bracket
 * wider than the resolution. Empty when every crossing is resolved (or nothing crosses).
 */
export function nextRefinementValues(curves: readonly RefinementCurve[], options: RefinementOptions): number[] {
  const { tau, resolution } = options;
  if (!(resolution > 0)) throw new RangeError(`refinement resolution must be > 0, got ${resolution}`);
  const next = new Set<number>();
  for (const curve of curves) {
    for (const [a, b] of bracketsToRefine(curve, tau)) {
      if (b - a <= resolution) continue;
      const mid = bracketMidpoint(a, b, resolution);
      if (mid !== undefined) next.add(mid);
    }
  }
  return [...next].sort((a, b) => a - b);
}

/**
 * How many refinement evaluations a sweep is counted as for the run's step limit: every gap
 * between neighbouring values bisected once down to the resolution (⌈log₂(gap / resolution)⌉
 * evaluations). An estimate, not a bound: a run usually needs fewer (only the gaps around the
 * breaking points), more where several classes break in one gap or a curve grazes the threshold.
 */
export function refinementStepEstimate(values: readonly number[], resolution: number): number {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  let steps = 0;
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i] - sorted[i - 1];
    if (gap > resolution) steps += Math.ceil(Math.log2(gap / resolution));
  }
  return steps;
}
