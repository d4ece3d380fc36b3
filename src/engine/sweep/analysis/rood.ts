/**
 * ROOD-MRI robustness scores (Boone et al., "ROOD-MRI: Benchmarking the robustness of deep
 * learning segmentation models to out-of-distribution and corrupted data in MRI", 2023) for a
 * sweep with severity levels s = 1..L and weights w_s = α^s, α = 2/3:
 *   Overall     = (M0 + Σ w_s·M_s) / (1 + Σ w_s)
 *   Degradation = Σ w_s·(M0 − M_s) / Σ w_s        (higher is better, e.g. Dice)
 *               = Σ w_s·(M_s − M0) / Σ w_s        (lower is better, e.g. HD95)
 * so a positive degradation always means "worse than clean" (roodmri's calculate_metrics, which
 * averages each level over subjects first). Undefined (null) levels are left out of both sums
 * and listed; levels that were not run (undefined, e.g. a series of levels [1, 3, 5]) are left
 * out silently.
 */

export const ROOD_ALPHA = 2 / 3;

export interface RoodScores {
  overall: number;
  /** null when every level is undefined. */
  degradation: number | null;
  /** 1-based severity levels whose metric was null. */
  skippedLevels: number[];
}

/** `clean` = M0 (no corruption); `levels[s − 1]` = M_s (null: undefined there; undefined: not run). */
export function roodScores(
  clean: number,
  levels: readonly (number | null | undefined)[],
  { alpha = ROOD_ALPHA, higherIsBetter = true }: { alpha?: number; higherIsBetter?: boolean } = {},
): RoodScores {
  let weightSum = 0;
  let weightedMetric = 0;
  let weightedDrop = 0;
  const skippedLevels: number[] = [];
  levels.forEach((metric, index) => {
    const level = index + 1;
    if (metric === undefined) return;
    if (metric === null) {
      skippedLevels.push(level);
      return;
    }
    const weight = alpha ** level;
    weightSum += weight;
    weightedMetric += weight * metric;
    weightedDrop += weight * (higherIsBetter ? clean - metric : metric - clean);
  });
  return {
    overall: (clean + weightedMetric) / (1 + weightSum),
    degradation: weightSum > 0 ? weightedDrop / weightSum : null,
    skippedLevels,
  };
}
