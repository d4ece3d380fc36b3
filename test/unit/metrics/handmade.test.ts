/** Metrics on small cases whose answers are worked out by hand in the comments. */
import * as assert from 'node:assert/strict';
import {
  computeMetrics,
  confusionMatrix,
  decodeMetricValue,
  encodeMetricValue,
  meanSkippingNull,
  METRIC_NAMES,
  percentileOfSorted,
} from '../../../src/engine/metrics';
import { MisasInputError } from '../../../src/engine/errors';
import { identityAffine, type Volume } from '../../../src/engine/volume';

/** A 2D label map nx × ny filled with 0, with `label` painted on the inclusive rectangles. */
function labelMap(
  nx: number,
  ny: number,
  spacing: number[],
  rects: [label: number, x0: number, x1: number, y0: number, y1: number][],
): Volume {
  const data = new Uint8Array(nx * ny);
  for (const [label, x0, x1, y0, y1] of rects) {
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) data[x + nx * y] = label;
  }
  return { data, dims: [nx, ny], spacing, affine: identityAffine(spacing), channels: 1 };
}

describe('metrics on hand-made cases', () => {
  // P = 5×5 square x 2..6, y 2..6; G = the same square moved 3 px right (x 5..9).
  // |P∩G| = 2×5 = 10, so Dice = 20/50 = 0.4, IoU = 10/40 = 0.25, precision = recall = 0.4.
  // Edge pixels (16 each) of P and their distance to G's edges with 1 mm pixels:
  //   rows y=2 and y=6, x=2..6: 3, 2, 1, 0, 0 (G's top/bottom rows start at x=5)
  //   column x=2, y=3..5: 3, 3, 3;  column x=6, y=3..5: 1, 1, 1 (G's left column x=5)
  // Σ = 6 + 6 + 9 + 3 = 24; by mirror symmetry Σ d(G→P) = 24, so ASSD = 48/32 = 1.5.
  // Sorted: 0×4, 1×5, 2×2, 3×5; 95th percentile rank 0.95·15 = 14.25 → between 3 and 3 → HD95 = 3.
  it('two squares offset by 3 px', () => {
    const pred = labelMap(12, 9, [1, 1], [[1, 2, 6, 2, 6]]);
    const truth = labelMap(12, 9, [1, 1], [[1, 5, 9, 2, 6]]);
    // The baseline prediction had 20 px of class 1: +25% against it; 25 px against 25 in the truth: 0%.
    const r = computeMetrics(pred, truth, { classes: [1], metrics: METRIC_NAMES, baselineVolumes: { 1: 20 } });
    assert.equal(r.values.dice![1], 0.4);
    assert.equal(r.values.iou![1], 0.25);
    assert.equal(r.values.precision![1], 0.4);
    assert.equal(r.values.recall![1], 0.4);
    assert.equal(r.values.hd95![1], 3);
    assert.equal(r.values.assd![1], 1.5);
    assert.equal(r.values.volume![1], 25);
    assert.equal(r.values.volume_truth![1], 25);
    assert.equal(r.values.dvol![1], 0);
    assert.equal(r.values.dvol_baseline![1], 25);
    assert.deepEqual(r.counts[1], { pred: 25, truth: 25, intersection: 10 });
    assert.equal(r.empty[1], false);
  });

  // Same squares with 2 mm pixels along x and 1 mm along y. Distances of P's edge pixels:
  //   rows y=2, y=6: 6, 4, 2, 0, 0;  column x=2: 6, 6, 6 (diagonals are longer);
  //   column x=6: y=3 → 1 (G's top row at (6,2)), y=4 → 2 (G's column x=5), y=5 → 1.
  // Σ = 12 + 12 + 18 + 4 = 46 per direction → ASSD = 92/32 = 2.875.
  // Sorted: 0×4, 1×2, 2×3, 4×2, 6×5 → ranks 14 and 15 are both 6 → HD95 = 6.
  it('two squares offset by 3 px with 2 mm × 1 mm pixels', () => {
    const pred = labelMap(12, 9, [2, 1], [[1, 2, 6, 2, 6]]);
    const truth = labelMap(12, 9, [2, 1], [[1, 5, 9, 2, 6]]);
    const r = computeMetrics(pred, truth, { classes: [1], metrics: ['hd95', 'assd', 'volume', 'dvol'] });
    assert.equal(r.values.hd95![1], 6);
    assert.equal(r.values.assd![1], 2.875);
    // 25 pixels of 2 mm² each: an area of 50 mm² (a 2D image's "volume"); the same in the truth.
    assert.equal(r.values.volume![1], 50);
    assert.equal(r.values.dvol![1], 0);
  });

  // One pixel each, 3 px apart in x and 4 in y: every distance is 5.
  it('single pixels 3-4-5 apart', () => {
    const pred = labelMap(8, 8, [1, 1], [[2, 1, 1, 1, 1]]);
    const truth = labelMap(8, 8, [1, 1], [[2, 4, 4, 5, 5]]);
    const r = computeMetrics(pred, truth, { classes: [2], metrics: ['hd95', 'assd', 'dice'] });
    assert.equal(r.values.hd95![2], 5);
    assert.equal(r.values.assd![2], 5);
    assert.equal(r.values.dice![2], 0);
  });

  // The whole grid is class 1 in both: every border pixel is an edge (outside counts as
  // background), the edges coincide, so both distances are 0.
  it('masks filling the whole grid', () => {
    const full = labelMap(5, 4, [1, 1], [[1, 0, 4, 0, 3]]);
    const r = computeMetrics(full, full, { classes: [1], metrics: ['hd95', 'assd', 'dice'] });
    assert.deepEqual([r.values.hd95![1], r.values.assd![1], r.values.dice![1]], [0, 0, 1]);
  });

  it('follows the empty-mask conventions', () => {
    // class 1 only in the prediction, class 2 only in the truth, class 3 in neither.
    const pred = labelMap(10, 10, [1, 1], [[1, 0, 2, 0, 2]]);
    const truth = labelMap(10, 10, [1, 1], [[2, 5, 7, 5, 7]]);
    // The baseline prediction had 4 px of class 1 and none of classes 2 and 3.
    const r = computeMetrics(pred, truth, { classes: [1, 2, 3], metrics: METRIC_NAMES, baselineVolumes: { 1: 4 } });
    const row = (c: number) => METRIC_NAMES.map((m) => r.values[m]![c]);
    // Volume change of nothing is undefined (null), never Infinity: class 1 has no truth, classes 2 and 3 no baseline.
    //                         dice iou precision recall hd95      assd      volume truth dvol  dvol_baseline
    assert.deepEqual(row(1), [0, 0, 0, null, Infinity, Infinity, 9, 0, null, 125], 'G empty, P not');
    assert.deepEqual(row(2), [0, 0, null, 0, Infinity, Infinity, 0, 9, -100, null], 'P empty, G not');
    assert.deepEqual(row(3), [1, 1, null, null, null, null, 0, 0, null, null], 'both empty');
    assert.deepEqual(r.empty, { 1: false, 2: false, 3: true });
  });

  it('works on 3D volumes and treats labels outside the class list as other', () => {
    // 4×3×2 volume; truth: class 1 on z = 0, prediction: class 1 on the first row of both slices,
    // label 9 (not asked for) elsewhere. |G| = 12, |P| = 8, |P∩G| = 4 → Dice = 8/20 = 0.4.
    const dims = [4, 3, 2];
    const truth = new Uint8Array(24);
    truth.fill(1, 0, 12);
    const pred = new Uint8Array(24).fill(9);
    pred.fill(1, 0, 4);
    pred.fill(1, 12, 16);
    const volume = (data: Uint8Array): Volume => ({
      data,
      dims,
      spacing: [1, 1, 1],
      affine: identityAffine(),
      channels: 1,
    });
    const r = computeMetrics(volume(pred), volume(truth), {
      classes: [0, 1],
      metrics: ['dice', 'recall'],
      confusion: true,
    });
    assert.equal(r.values.dice![1], 0.4);
    assert.equal(r.values.recall![1], 4 / 12);
    assert.deepEqual(r.counts[0], { pred: 0, truth: 12, intersection: 0 });
    // (truth 0, pred 1): the first row of z = 1; label 9 voxels fall in no listed cell.
    assert.deepEqual(r.confusion, [
      [0, 4],
      [0, 4],
    ]);
    assert.throws(() => confusionMatrix(volume(pred), volume(truth), 2), /16 voxels hold a label outside 0\.\.1/);
  });

  it('builds the confusion matrix with rows = truth and columns = prediction', () => {
    // truth: class 1 on x 0..1 of a 4×1 strip; prediction: class 1 on x 1..3.
    // (truth 0, pred 1) happens at x = 2, 3 → confusion[0][1] = 2; (1,0) at x = 0; (1,1) at x = 1.
    const strip = (values: number[]): Volume => ({
      data: Uint8Array.from(values),
      dims: [4, 1],
      spacing: [1, 1],
      affine: identityAffine(),
      channels: 1,
    });
    assert.deepEqual(confusionMatrix(strip([0, 1, 1, 1]), strip([1, 1, 0, 0]), 2), [
      [0, 2],
      [1, 1],
    ]);
  });

  it('refuses mismatched grids, non-label data and unknown metrics with MisasInputError', () => {
    const a = labelMap(4, 4, [1, 1], []);
    const isInputError = (pattern: RegExp) => (error: unknown) =>
      error instanceof MisasInputError && pattern.test(error.message);
    assert.throws(
      () => computeMetrics(a, labelMap(4, 5, [1, 1], []), { classes: 2, metrics: ['dice'], source: 'case7' }),
      isInputError(/^case7: prediction grid 4×4 differs from ground-truth grid 4×5/),
    );
    assert.throws(
      () => computeMetrics(a, labelMap(4, 4, [1, 2], []), { classes: 2, metrics: ['dice'] }),
      isInputError(/spacing/),
    );
    assert.throws(
      () => computeMetrics({ ...a, data: new Float32Array(16) }, a, { classes: 2, metrics: ['dice'] }),
      isInputError(/integer/),
    );
    assert.throws(
      () => computeMetrics(a, a, { classes: 2, metrics: ['dice', 'f1' as 'dice'] }),
      isInputError(/unknown metric "f1"/),
    );
    assert.throws(() => computeMetrics(a, a, { classes: [1, 1], metrics: ['dice'] }), isInputError(/listed twice/));
    assert.throws(
      () => computeMetrics({ ...a, spacing: [0, 0] }, { ...a, spacing: [0, 0] }, { classes: 2, metrics: ['hd95'] }),
      isInputError(/spacing/),
    );
  });
});

describe('percentileOfSorted', () => {
  it('interpolates linearly between ranks like numpy.percentile', () => {
    // numpy.percentile([1, 2, 3, 4], 95): rank 0.95·3 = 2.85 → 3 + 0.85·(4 − 3) = 3.85
    assert.ok(Math.abs(percentileOfSorted([1, 2, 3, 4], 95) - 3.85) < 1e-12);
    assert.equal(percentileOfSorted([7], 95), 7);
    assert.equal(percentileOfSorted([0, 10], 50), 5);
    assert.equal(percentileOfSorted([0, 10], 100), 10);
  });
});

describe('meanSkippingNull', () => {
  it('leaves out nulls and says how many', () => {
    assert.deepEqual(meanSkippingNull([0.5, null, 1, null, 0]), { mean: 0.5, n: 3, skipped: 2 });
    assert.deepEqual(meanSkippingNull([null]), { mean: null, n: 0, skipped: 1 });
    assert.deepEqual(meanSkippingNull([2, Infinity]), { mean: Infinity, n: 2, skipped: 0 });
  });
});

describe('metric values in JSON', () => {
  it('round-trips Infinity and null through JSON text', () => {
    const values = [0.5, null, Infinity];
    const text = JSON.stringify(values.map(encodeMetricValue));
    assert.equal(text, '[0.5,null,"inf"]');
    assert.deepEqual((JSON.parse(text) as (number | null | 'inf')[]).map(decodeMetricValue), values);
  });
});
