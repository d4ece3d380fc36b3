/**
 * ROOD-MRI robustness and ImageNet-C corruption error of severity series (analysis/benchmark.ts)
 * on hand-made rows; every expected number is worked out in the comments.
 */
import * as assert from 'node:assert/strict';
import { benchmarkOf, corruptionError, type BenchmarkRow } from '../../../src/engine/sweep/analysis/benchmark';
import type { InputBaseline } from '../../../src/engine/sweep/rows';

const close = (actual: number | null | undefined, expected: number, label: string): void =>
  assert.ok(
    typeof actual === 'number' && Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)),
    `${label}: got ${actual}, expected ${expected}`,
  );

/** A row of class "fg" (the background class "bg" gets a constant that must never count). */
const row = (model: number, input: number, severity: number, dice: number, hd95: number | null = 1): BenchmarkRow => ({
  model,
  input,
  severity,
  metrics: { dice: { bg: 1, fg: dice }, hd95: { bg: 0, fg: hd95 } },
});
const baseline = (model: number, input: number, dice: number, hd95 = 1): InputBaseline => ({
  model,
  input,
  metrics: { dice: { bg: 1, fg: dice }, hd95: { bg: 0, fg: hd95 } },
  empty: [],
});

// Two inputs, two models (model 1 is the reference).
// Model 0: clean Dice 0.9, 0.7 → M0 = 0.8; level 1: 0.8, 0.6 → 0.7; level 2: 0.6, 0.4 → 0.5.
//          clean HD95 2, 4 → 3; level 1: 4, 6 → 5; level 2: 8 and undefined → 8 (n = 1).
// Model 1: clean Dice 0.95, 0.85 → 0.9; level 1: 0.85, 0.85 → 0.85; level 2: 0.7, 0.6 → 0.65.
const baselines = [baseline(0, 0, 0.9, 2), baseline(0, 1, 0.7, 4), baseline(1, 0, 0.95), baseline(1, 1, 0.85)];
const rotate = {
  name: 'rotate',
  transform: 'rotate',
  severities: [
    [0, 1, 2],
    [0, 1, 2],
  ],
  rows: [
    row(0, 0, 0, 0.9, 2),
    row(0, 0, 1, 0.8, 4),
    row(0, 0, 2, 0.6, 8),
    row(0, 1, 0, 0.7, 4),
    row(0, 1, 1, 0.6, 6),
    row(0, 1, 2, 0.4, null),
    row(1, 0, 1, 0.85),
    row(1, 0, 2, 0.7),
    row(1, 1, 1, 0.85),
    row(1, 1, 2, 0.6),
  ],
};
// A second series with level 1 only. Model 0: 0.5, 0.5 → 0.5; model 1: 0.9, 0.8 → 0.85.
const noise = {
  name: 'noise',
  transform: 'rician-noise',
  severities: [[1], [1]],
  rows: [row(0, 0, 1, 0.5), row(0, 1, 1, 0.5), row(1, 0, 1, 0.9), row(1, 1, 1, 0.8)],
};
// A swept series (no severities) has no benchmark metrics.
const swept = { name: 'zoom', transform: 'zoom', rows: [{ ...row(0, 0, 0, 0.1), severity: undefined }] };
const context = { classes: ['bg', 'fg'], metrics: ['dice', 'hd95'] as const, modelCount: 2 };

describe('benchmark metrics of severity series', () => {
  it("computes ROOD-MRI's Overall and Degradation with weights (2/3)^s on the means over inputs", () => {
    const result = benchmarkOf([rotate, swept], baselines, { ...context, metrics: [...context.metrics] })!;
    close(result.alpha, 2 / 3, 'alpha');
    const score = (metric: string) =>
      result.robustness.find((r) => r.model === 0 && r.metric === metric && r.series === 'rotate')!;
    // Only the foreground class, only the severity series: 2 models × 2 metrics.
    assert.deepEqual(
      result.robustness.map((r) => `${r.model} ${r.series} ${r.className} ${r.metric}`),
      ['0 rotate fg dice', '0 rotate fg hd95', '1 rotate fg dice', '1 rotate fg hd95'],
    );
    const dice = score('dice');
    close(dice.clean, 0.8, 'M0');
    assert.deepEqual(
      dice.levels.map((l) => [l.severity, l.n]),
      [
        [1, 2],
        [2, 2],
      ],
    );
    // w1 = 2/3 = 6/9, w2 = 4/9, Σw = 10/9.
    // Overall = (0.8 + 6/9·0.7 + 4/9·0.5) / (1 + 10/9) = (7.2 + 4.2 + 2)/9 / (19/9) = 13.4/19.
    close(dice.overall, 13.4 / 19, 'Overall Dice');
    // Degradation = (6/9·(0.8 − 0.7) + 4/9·(0.8 − 0.5)) / (10/9) = (0.6 + 1.2)/10 = 0.18.
    close(dice.degradation, 0.18, 'Degradation Dice');
    const hd95 = score('hd95');
    // Level 2 has one defined input: M2 = 8 (n = 1).
    assert.deepEqual(hd95.levels[1], { severity: 2, n: 1, mean: 8 });
    // Overall = (3 + 6/9·5 + 4/9·8) / (19/9) = (27 + 30 + 32)/19 = 89/19.
    close(hd95.overall, 89 / 19, 'Overall HD95');
    // Lower is better, so the sign flips: (6/9·(5 − 3) + 4/9·(8 − 3)) / (10/9) = (12 + 20)/10 = 3.2.
    close(hd95.degradation, 3.2, 'Degradation HD95');
    assert.equal(result.corruptionErrors, undefined, 'no reference model, no corruption error');
  });

  it('computes CE, relative CE and their means over series against the reference model', () => {
    const result = benchmarkOf([rotate, noise], baselines, {
      ...context,
      metrics: [...context.metrics],
      referenceModel: 1,
    })!;
    assert.equal(result.referenceModel, 1);
    const ce = (model: number, series: string) =>
      result.corruptionErrors!.find((c) => c.model === model && c.series === series)!;
    // rotate, E = 1 − Dice. Model 0: E0 = 0.2, E1 = 0.3, E2 = 0.5; reference: E0 = 0.1, E1 = 0.15, E2 = 0.35.
    // CE = (0.3 + 0.5) / (0.15 + 0.35) = 0.8/0.5 = 1.6.
    close(ce(0, 'rotate').ce, 1.6, 'CE rotate');
    // rCE = ((0.3 − 0.2) + (0.5 − 0.2)) / ((0.15 − 0.1) + (0.35 − 0.1)) = 0.4/0.3 = 4/3.
    close(ce(0, 'rotate').relativeCe, 4 / 3, 'rCE rotate');
    assert.deepEqual(ce(0, 'rotate').levels, [1, 2]);
    // noise, level 1: model 0 E1 = 0.5, reference E1 = 0.15: CE = 0.5/0.15 = 10/3;
    // rCE = (0.5 − 0.2) / (0.15 − 0.1) = 0.3/0.05 = 6.
    close(ce(0, 'noise').ce, 10 / 3, 'CE noise');
    close(ce(0, 'noise').relativeCe, 6, 'rCE noise');
    // The reference against itself: 1.
    close(ce(1, 'rotate').ce, 1, 'reference CE');
    close(ce(1, 'rotate').relativeCe, 1, 'reference rCE');
    const mean = result.meanCorruptionErrors!.find((m) => m.model === 0)!;
    // mCE = (1.6 + 10/3)/2 = 37/15; relative mCE = (4/3 + 6)/2 = 11/3.
    close(mean.mce, 37 / 15, 'mCE');
    close(mean.relativeMce, 11 / 3, 'relative mCE');
    assert.equal(mean.series, 2);
  });

  it('gives null where the reference does not degrade, and nothing without severity series', () => {
    // Reference clean 0.9 and 0.9 at level 1: Σ (E_ref(s) − E_ref(0)) = 0, so rCE is undefined; CE = 0.3/0.1 = 3.
    const result = corruptionError(
      { clean: 0.8, levels: [{ severity: 1, n: 1, mean: 0.7 }] },
      { clean: 0.9, levels: [{ severity: 1, n: 1, mean: 0.9 }] },
    );
    close(result.ce, 3, 'CE');
    assert.equal(result.relativeCe, null);
    // A perfect reference (E = 0 at every level): CE is undefined too.
    assert.equal(
      corruptionError(
        { clean: 1, levels: [{ severity: 1, n: 1, mean: 0.7 }] },
        { clean: 1, levels: [{ severity: 1, n: 1, mean: 1 }] },
      ).ce,
      null,
    );
    assert.equal(benchmarkOf([swept], baselines, { ...context, metrics: ['dice'] }), undefined);
  });
});
