/**
 * The confusion matrix of one overlay frame: how many pixels of each true class the model gave
 * each class. Rows are the truth, columns the prediction, as in scikit-learn's
 * confusion_matrix; percentages are per row (of the true class's pixels, where they went).
 */

export interface ConfusionMatrix {
  classCount: number;
  /** counts[truth][prediction]. */
  counts: number[][];
  /** Pixels of each true class (row sums). */
  rowTotals: number[];
  /** Pixels counted (labels inside 0…classCount−1 in both maps). */
  total: number;
  /** Pixels left out because a label was outside the class range (a corrupt or foreign map). */
  outside: number;
}

export function confusionMatrix(
  truth: ArrayLike<number>,
  prediction: ArrayLike<number>,
  classCount: number,
): ConfusionMatrix {
  if (truth.length !== prediction.length)
    throw new Error(`truth has ${truth.length} pixels, the prediction ${prediction.length}`);
  const flat = new Float64Array(classCount * classCount);
  let outside = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i];
    const p = prediction[i];
    if (t >= classCount || p >= classCount || t < 0 || p < 0) outside++;
    else flat[t * classCount + p]++;
  }
  const counts = Array.from({ length: classCount }, (_, t) =>
    Array.from(flat.subarray(t * classCount, (t + 1) * classCount)),
  );
  const rowTotals = counts.map((row) => row.reduce((sum, n) => sum + n, 0));
  return { classCount, counts, rowTotals, total: rowTotals.reduce((sum, n) => sum + n, 0), outside };
}

/** counts[t][p] as a share (0…1) of true class t's pixels; null for a class absent from the truth. */
export function rowShare(matrix: ConfusionMatrix, truth: number, prediction: number): number | null {
  const total = matrix.rowTotals[truth];
  return total > 0 ? matrix.counts[truth][prediction] / total : null;
}

/** A row share as a percentage for display: one decimal, "<0.1%" for a few pixels, "—" when the class is absent. */
export function formatShare(share: number | null): string {
  if (share === null) return '—';
  if (share > 0 && share < 0.0005) return '<0.1%';
  return `${(share * 100).toFixed(1)}%`;
}
