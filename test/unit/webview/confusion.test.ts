// The confusion matrix of an overlay frame against numpy's counts (tools/goldens/confusion.py):
// random labels, a class absent from the truth, and a real frame-like pair (the example's
// colin27 label slice against the same map rotated by 15°); plus a hand-counted case.
import * as assert from 'node:assert/strict';
import { confusionMatrix, formatShare, rowShare } from '../../../webview-ui/data/confusion';
import { assertAllClose, loadGoldens } from '../../helpers/goldens';

const golden = loadGoldens('webview/confusion.json');

describe('webview confusion matrix', () => {
  it('counts a hand-checkable 3×3 frame (rows = truth, columns = prediction)', () => {
    // truth      prediction
    // 0 0 1      0 1 1
    // 1 1 2      1 2 2
    // 2 2 2      2 2 0
    const truth = [0, 0, 1, 1, 1, 2, 2, 2, 2];
    const prediction = [0, 1, 1, 1, 2, 2, 2, 2, 0];
    const matrix = confusionMatrix(truth, prediction, 3);
    assert.deepEqual(matrix.counts, [
      [1, 1, 0],
      [0, 2, 1],
      [1, 0, 3],
    ]);
    assert.deepEqual(matrix.rowTotals, [2, 3, 4]);
    assert.equal(matrix.total, 9);
    assert.equal(matrix.outside, 0);
    assert.equal(rowShare(matrix, 2, 2), 0.75);
    assert.equal(formatShare(rowShare(matrix, 1, 2)), '33.3%');
  });

  for (const [name, { params, arrays }] of Object.entries(golden.cases)) {
    it(`equals numpy's counts and row shares: ${name} (${String(params.note)})`, () => {
      const k = params.classCount as number;
      const matrix = confusionMatrix(Uint8Array.from(arrays.truth.data), Uint8Array.from(arrays.prediction.data), k);
      assert.deepEqual(matrix.counts.flat(), arrays.counts.data, 'counts');
      assert.equal(matrix.total, arrays.truth.data.length, 'every pixel counted once');
      const shares = matrix.counts.flatMap((row, t) => row.map((_, p) => rowShare(matrix, t, p) ?? NaN));
      assertAllClose(shares, arrays.shares.data, { rtol: 1e-8, atol: 1e-12, label: 'row shares' });
    });
  }

  it('leaves out labels outside the class range and formats shares for display', () => {
    const matrix = confusionMatrix(Uint16Array.from([0, 1, 300, 1]), Uint16Array.from([0, 7, 1, 1]), 2);
    assert.deepEqual(matrix.counts, [
      [1, 0],
      [0, 1],
    ]);
    assert.equal(matrix.outside, 2);
    assert.equal(formatShare(null), '—');
    assert.equal(formatShare(0), '0.0%');
    assert.equal(formatShare(0.0001), '<0.1%');
    assert.equal(formatShare(1), '100.0%');
    assert.throws(() => confusionMatrix([0, 1], [0], 2), /truth has 2 pixels, the prediction 1/);
  });
});
