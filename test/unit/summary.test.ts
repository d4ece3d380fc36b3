/** Curve summaries on hand-made curves; every expected number is worked out in the comments. */
import * as assert from 'node:assert/strict';
import { normalisedAuc, summarizeCurve, type CurvePoint } from '../../src/engine/sweep/analysis/curve';
import { roodScores } from '../../src/engine/sweep/analysis/rood';
import { formatParameter, toleranceSentence } from '../../src/engine/sweep/analysis/sentence';

const curve = (values: number[], metrics: (number | null)[]): CurvePoint[] =>
  values.map((value, i) => ({ value, metric: metrics[i] }));
const close = (actual: number | null, expected: number, label = ''): void =>
  assert.ok(
    actual !== null && Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)),
    `${label}: got ${actual}, expected ${expected}`,
  );

describe('summarizeCurve', () => {
  // Rotation −60…60 step 10, v0 = 0, D0 = 0.8, τ = 0.9 → threshold 0.72.
  // Tolerated going out from 0: −10 (0.8), −20 (0.78), −30 (0.75), then −40 (0.7) fails;
  // 10 (0.79), 20 (0.76), 30 (0.73), then 40 (0.71) fails (50 recovers to 0.74, too late).
  const rotation = curve(
    [-60, -50, -40, -30, -20, -10, 0, 10, 20, 30, 40, 50, 60],
    [0.3, 0.5, 0.7, 0.75, 0.78, 0.8, 0.8, 0.79, 0.76, 0.73, 0.71, 0.74, 0.6],
  );

  it('finds the tolerance interval and the breakdown values around v0', () => {
    const s = summarizeCurve(rotation, { identity: 0, baseline: 0.8 });
    close(s.threshold, 0.72, 'threshold');
    assert.deepEqual(s.tolerance, [-30, 30]);
    assert.deepEqual(s.breakdown, { below: -40, above: 40 });
    assert.deepEqual(s.skipped, []);
  });

  it('computes nAUC with the trapezoid rule over the range mapped to [0, 1]', () => {
    // 12 equal steps of width 1/12: area = (ends/2 + inner points) / 12.
    const inner = 0.5 + 0.7 + 0.75 + 0.78 + 0.8 + 0.8 + 0.79 + 0.76 + 0.73 + 0.71 + 0.74;
    const area = ((0.3 + 0.6) / 2 + inner) / 12;
    close(summarizeCurve(rotation, { identity: 0, baseline: 0.8 }).nauc, area / 0.8, 'nAUC');
  });

  it('reads the same from unsorted points', () => {
    const shuffled = [...rotation].reverse();
    const s = summarizeCurve(shuffled, { identity: 0, baseline: 0.8 });
    assert.deepEqual([s.tolerance, s.breakdown], [[-30, 30], { below: -40, above: 40 }]);
  });

  it('keeps to the run containing v0 even when a wider tolerated run lies elsewhere', () => {
    // Tolerated at 0..5 (six points) and 7..10 (four), failing at 6; v0 = 8 → [7, 10].
    const s = summarizeCurve(curve([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 1, 1, 1, 1, 1, 0.2, 0.95, 1, 0.97, 0.91]), {
      identity: 8,
      baseline: 1,
    });
    assert.deepEqual(s.tolerance, [7, 10]);
    assert.deepEqual(s.breakdown, { below: 6, above: null });
  });

  it('anchors at v0 when v0 lies between sweep values, and nAUC uses the sweep points only', () => {
    // v0 = 0 with D0 = 1 between −1 and 1; threshold 0.9: −1 (0.95) ok, −2 (0.5) fails; 1 (0.8) fails.
    const s = summarizeCurve(curve([-2, -1, 1, 2], [0.5, 0.95, 0.8, 0.99]), { identity: 0, baseline: 1 });
    assert.deepEqual(s.tolerance, [-1, 0]);
    assert.deepEqual(s.breakdown, { below: -2, above: 1 });
    // positions 0, ¼, ¾, 1 → ¼·(0.5+0.95)/2 + ½·(0.95+0.8)/2 + ¼·(0.8+0.99)/2 = 0.18125 + 0.4375 + 0.22375
    close(s.nauc, 0.8425, 'nAUC');
  });

  it('lets the interval end at v0 when v0 is beyond the sweep (misas brightness 0.05…0.9, identity 1)', () => {
    // D0 = 0.9 → threshold 0.81: 0.75 (0.88) and 0.5 (0.85) ok, 0.25 (0.5) fails; nothing above 1.
    const s = summarizeCurve(curve([0.25, 0.5, 0.75], [0.5, 0.85, 0.88]), { identity: 1, baseline: 0.9 });
    assert.deepEqual(s.tolerance, [0.5, 1]);
    assert.deepEqual(s.breakdown, { below: 0.25, above: null });
  });

  it('skips undefined points in the curve and lists them', () => {
    // Defined: −2 (0.2), 0 (1), 2 (0.95); nulls at ±1 neither break nor extend.
    const s = summarizeCurve(curve([-2, -1, 0, 1, 2], [0.2, null, 1, null, 0.95]), { identity: 0, baseline: 1 });
    assert.deepEqual(s.skipped, [-1, 1]);
    assert.deepEqual(s.tolerance, [0, 2]);
    assert.deepEqual(s.breakdown, { below: -2, above: null });
    // positions 0, ½, 1: ½·(0.2+1)/2 + ½·(1+0.95)/2 = 0.3 + 0.4875
    close(s.nauc, 0.7875, 'nAUC');
  });

  it('uses metric ≤ D0/τ for lower-is-better metrics such as HD95', () => {
    // D0 = 2 mm → threshold 2/0.9 = 2.2222: 10 (2.2) ok, 20 (3) fails; Infinity (class missing) is a value.
    const s = summarizeCurve(curve([0, 10, 20, 30], [2, 2.2, 3, Infinity]), {
      identity: 0,
      baseline: 2,
      higherIsBetter: false,
    });
    close(s.threshold, 2 / 0.9, 'threshold');
    assert.deepEqual(s.tolerance, [0, 10]);
    assert.deepEqual(s.breakdown, { below: null, above: 20 });
    assert.equal(s.nauc, Infinity);
  });

  it('normalises a log-scaled parameter in log space', () => {
    const points = [0.25, 0.5, 1, 2, 4].map((value, i) => ({ value, metric: [0.2, 0.6, 0.8, 0.7, 0.4][i] }));
    // log: four equal widths ¼ → ¼·((0.2+0.4)/2 + 0.6 + 0.8 + 0.7) = 0.6; / D0 0.8 = 0.75.
    close(normalisedAuc(points, 0.8, 'log'), 0.75, 'log nAUC');
    // linear: widths 0.25, 0.5, 1, 2 over 3.75 → (0.1 + 0.35 + 0.75 + 1.1)/3.75 = 2.3/3.75; / 0.8.
    close(normalisedAuc(points, 0.8, 'linear'), 2.3 / 3.75 / 0.8, 'linear nAUC');
    close(summarizeCurve(points, { identity: 1, baseline: 0.8, scale: 'log' }).nauc, 0.75, 'via summarizeCurve');
  });

  it('gives nAUC 1 and an unbroken interval for a flat curve', () => {
    const s = summarizeCurve(curve([-1, 0, 1], [0.7, 0.7, 0.7]), { identity: 0, baseline: 0.7 });
    assert.equal(s.nauc, 1);
    assert.deepEqual([s.tolerance, s.breakdown], [[-1, 1], { below: null, above: null }]);
  });

  it('honours τ', () => {
    // τ = 0.5 with D0 = 0.8 → threshold 0.4: −50 (0.5) ok, −60 (0.3) fails; every positive value ok.
    const s = summarizeCurve(rotation, { identity: 0, baseline: 0.8, tau: 0.5 });
    assert.deepEqual([s.tolerance, s.breakdown], [[-50, 60], { below: -60, above: null }]);
  });

  it('computes nothing without a baseline, and no nAUC for a zero baseline', () => {
    const none = summarizeCurve(rotation, { identity: 0, baseline: null });
    assert.deepEqual(
      [none.threshold, none.tolerance, none.breakdown, none.nauc],
      [null, null, { below: null, above: null }, null],
    );
    const zero = summarizeCurve(curve([0, 1], [0, 0.5]), { identity: 0, baseline: 0 });
    assert.deepEqual([zero.tolerance, zero.nauc], [[0, 1], null]);
  });

  it('refuses repeated values, NaN metrics and τ outside (0, 1]', () => {
    assert.throws(() => summarizeCurve(curve([0, 0], [1, 1]), { identity: 0, baseline: 1 }), /occurs twice/);
    assert.throws(() => summarizeCurve(curve([0, 1], [1, NaN]), { identity: 0, baseline: 1 }), /NaN/);
    assert.throws(() => summarizeCurve(rotation, { identity: 0, baseline: 1, tau: 1.2 }), /τ/);
  });
});

describe('roodScores', () => {
  // M0 = 0.9, M1..5 = 0.85, 0.8, 0.7, 0.6, 0.5; w = (2/3)^s = (162, 108, 72, 48, 32)/243, Σw = 422/243.
  // Σ w·M = (137.7 + 86.4 + 50.4 + 28.8 + 16)/243 = 319.3/243
  // Overall = (0.9 + 319.3/243)/(1 + 422/243) = (218.7 + 319.3)/665 = 538/665
  // Degradation = (162·0.05 + 108·0.1 + 72·0.2 + 48·0.3 + 32·0.4)/422 = 60.5/422
  it('weights severity levels by (2/3)^s', () => {
    const r = roodScores(0.9, [0.85, 0.8, 0.7, 0.6, 0.5]);
    close(r.overall, 538 / 665, 'overall');
    close(r.degradation, 60.5 / 422, 'degradation');
    assert.deepEqual(r.skippedLevels, []);
  });

  it('leaves undefined levels out of both sums', () => {
    // Level 3 missing: Σw = 350/243, Σ w·M = 268.9/243 → Overall = 487.6/593; Degradation = 46.1/350.
    const r = roodScores(0.9, [0.85, 0.8, null, 0.6, 0.5]);
    close(r.overall, 487.6 / 593, 'overall');
    close(r.degradation, 46.1 / 350, 'degradation');
    assert.deepEqual(r.skippedLevels, [3]);
    assert.equal(roodScores(0.9, [null, null]).degradation, null);
  });

  it('counts a rise as degradation for lower-is-better metrics', () => {
    // M0 = 2, M1 = 3, w1 = 2/3: Overall = (2 + 2)/(5/3) = 2.4, Degradation = 3 − 2 = 1.
    const r = roodScores(2, [3], { higherIsBetter: false });
    close(r.overall, 2.4, 'overall');
    close(r.degradation, 1, 'degradation');
  });
});

describe('toleranceSentence', () => {
  it("reads like the paper's case studies", () => {
    const summary = summarizeCurve(curve([-45, -40, -35, 0, 50, 55], [0.2, 0.7, 0.85, 0.9, 0.82, 0.6]), {
      identity: 0,
      baseline: 0.9,
    });
    assert.equal(
      toleranceSentence({ className: 'cortex', metric: 'Dice', transform: 'rotate', unit: '°', summary }),
      'cortex: Dice ≥ 90% of baseline for rotate −35°…+50°; breaks at −40° and +55°',
    );
  });

  it('covers unbroken, one-sided, lower-is-better, undefined and no-baseline cases', () => {
    const flat = summarizeCurve(curve([0, 10, 20], [1, 1, null]), { identity: 0, baseline: 1 });
    assert.equal(
      toleranceSentence({ className: 'LV', metric: 'Dice', transform: 'crop', unit: 'px', summary: flat }),
      'LV: Dice ≥ 90% of baseline for crop 0…10 px; never breaks within the sweep (1 value undefined)',
    );
    const hd = summarizeCurve(curve([1, 2, 4], [2, 2.1, 5]), { identity: 1, baseline: 2, higherIsBetter: false });
    assert.equal(
      toleranceSentence({ className: 'RV', metric: 'HD95', transform: 'contrast', unit: '×', summary: hd }),
      'RV: HD95 ≤ 111% of baseline for contrast 1×…2×; breaks at 4×',
    );
    const none = summarizeCurve(curve([0, 1], [null, null]), { identity: 0, baseline: null });
    assert.equal(
      toleranceSentence({ className: 'MY', metric: 'Precision', transform: 'spike', unit: '', summary: none }),
      'MY: Precision is undefined at the identity (spike 0); no tolerance computed (2 values undefined)',
    );
  });

  it('formats parameters with a real minus sign and a plus only when asked', () => {
    assert.equal(formatParameter(-0.35, '°'), '−0.35°');
    assert.equal(formatParameter(12.3456, 'mm', true), '+12.35 mm');
    assert.equal(formatParameter(0, '°', true), '0°');
  });
});
