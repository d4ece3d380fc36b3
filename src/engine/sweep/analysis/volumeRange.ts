/**
 * Volume change over a tolerance interval (docs/ALGORITHMS.md, "Volume change"): ΔVolume% has
 * no "τ × baseline" (it is signed and its ideal is 0), so instead of an interval of its own,
 * each tolerance summary reports the smallest and largest ΔVolume% among the evaluated values
 * inside its interval: how much the volume moved while the overlap metric was still tolerated.
 */
import type { MetricName } from '../../metrics/types';
import type { CurvePoint } from './curve';

/** The volume-change metrics a tolerance summary reports the range of. */
export const VOLUME_CHANGE_METRICS = ['dvol', 'dvol_baseline'] as const satisfies readonly MetricName[];
export type VolumeChangeMetric = (typeof VOLUME_CHANGE_METRICS)[number];

export interface ValueRange {
  min: number;
  max: number;
}

/**
 * Smallest and largest defined metric among the points whose value lies in `interval`
 * (inclusive); undefined when none is defined there (e.g. the truth has no such class).
 */
export function rangeWithin(
  points: readonly CurvePoint[],
  interval: readonly [number, number],
): ValueRange | undefined {
  const [lo, hi] = interval;
  const inside = points
    .filter((p) => p.value >= lo && p.value <= hi && p.metric !== null && Number.isFinite(p.metric))
    .map((p) => p.metric as number);
  return inside.length > 0 ? { min: Math.min(...inside), max: Math.max(...inside) } : undefined;
}

/** "ΔVolume% vs truth −3.1…+2.0 within it" (signed, one decimal). */
export function rangeText(label: string, range: ValueRange): string {
  const signed = (v: number) => `${v > 0 ? '+' : v < 0 ? '−' : ''}${Math.abs(v).toFixed(1)}`;
  return range.min === range.max
    ? `${label} ${signed(range.min)} within it`
    : `${label} ${signed(range.min)}…${signed(range.max)} within it`;
}
