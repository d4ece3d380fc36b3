/**
 * `misas check`'s comparison on hand-made summaries: a shrunken interval found, within the
 * allowance, improvements, relative nAUC and baseline drops (Dice and HD95), classes not gated,
 * models paired by label or by place, and what cannot be compared said rather than dropped.
 */
import * as assert from 'node:assert/strict';
import type { MetricName } from '../../../src/engine/metrics/types';
import {
  checkRuns,
  DEFAULT_CHECK_OPTIONS,
  type CheckedRun,
  type CheckedSummary,
} from '../../../src/engine/sweep/analysis/regressionCheck';

const ROTATE_VALUES = [-45, -30, -15, 0, 15, 30, 45];

/** The pooled Dice summary of one class: interval, nAUC and baseline D0 as given. */
function summary(
  className: string,
  tolerance: [number, number] | null,
  nauc: number | null,
  baseline: number | null,
  extra: Partial<CheckedSummary> = {},
): CheckedSummary {
  return { model: 0, input: 0, metric: 'dice', className, tolerance, nauc, baseline, ...extra };
}

function run(
  summaries: CheckedSummary[],
  extra: Partial<CheckedRun> = {},
  series: Partial<CheckedRun['series'][number]> = {},
): CheckedRun {
  return {
    status: 'completed',
    tolerance: 0.9,
    models: [{ label: 'unet' }],
    classes: ['background', 'organ', 'tumor'],
    metrics: ['dice'],
    inputs: [{ label: 'case0', imageSha256: 'aa' }],
    series: [{ name: 'rotate', transform: 'rotate', unit: '°', values: [ROTATE_VALUES], summaries, ...series }],
    ...extra,
  };
}

const REFERENCE = run([summary('organ', [-30, 30], 0.8, 0.9), summary('tumor', [-15, 15], 0.7, 0.8)]);

describe('misas check: comparing a run with a baseline run', () => {
  it('finds a shrunken tolerance interval, side by side, and regresses', () => {
    const current = run([summary('organ', [-15, 30], 0.8, 0.9), summary('tumor', [-15, 15], 0.7, 0.8)]);
    const report = checkRuns(current, REFERENCE);
    assert.equal(report.regressed, true);
    const organ = report.items.find((item) => item.className === 'organ')!;
    assert.equal(organ.verdict, 'regressed');
    assert.deepEqual(organ.findings, [
      { what: 'tolerance', change: 'worse', regressed: true, shrink: { below: 15, above: 0 } },
    ]);
    assert.deepEqual(organ.baseline.tolerance, [-30, 30]);
    assert.deepEqual(organ.current.tolerance, [-15, 30]);
    assert.equal(report.items.find((item) => item.className === 'tumor')!.verdict, 'unchanged');
    assert.equal(report.items[0], organ, 'regressions come first');
  });

  it('lets an interval shrink within --max-shrink, and no further', () => {
    const current = run([summary('organ', [-15, 30], 0.8, 0.9), summary('tumor', [0, 15], 0.7, 0.8)]);
    const within = checkRuns(current, REFERENCE, { maxShrink: 15 });
    assert.equal(within.regressed, false);
    assert.deepEqual(
      within.items.map((item) => [item.className, item.verdict]),
      [
        ['organ', 'worse'],
        ['tumor', 'worse'],
      ],
    );
    assert.equal(checkRuns(current, REFERENCE, { maxShrink: 14.9 }).regressed, true);
  });

  it('calls wider intervals and higher nAUC and baseline an improvement', () => {
    const current = run([summary('organ', [-45, 45], 0.9, 0.95), summary('tumor', [-15, 30], 0.7, 0.8)]);
    const report = checkRuns(current, REFERENCE);
    assert.equal(report.regressed, false);
    const organ = report.items.find((item) => item.className === 'organ')!;
    assert.equal(organ.verdict, 'improved');
    assert.deepEqual(
      organ.findings.map((f) => [f.what, f.change]),
      [
        ['tolerance', 'better'],
        ['nauc', 'better'],
        ['baseline', 'better'],
      ],
    );
    assert.deepEqual(organ.findings[0].shrink, { below: -15, above: -15 });
    assert.equal(report.items.find((item) => item.className === 'tumor')!.verdict, 'improved');
  });

  it('gates nAUC and baseline drops relative to the baseline run (5% by default)', () => {
    // organ nAUC 0.8 → 0.75 is 6.25% worse; tumor baseline 0.8 → 0.77 is 3.75% worse.
    const current = run([summary('organ', [-30, 30], 0.75, 0.9), summary('tumor', [-15, 15], 0.7, 0.77)]);
    const report = checkRuns(current, REFERENCE);
    const organ = report.items.find((item) => item.className === 'organ')!;
    assert.equal(organ.verdict, 'regressed');
    assert.equal(organ.findings[0].what, 'nauc');
    assert.ok(Math.abs(organ.findings[0].delta! - -0.05) < 1e-12);
    const tumor = report.items.find((item) => item.className === 'tumor')!;
    assert.equal(tumor.verdict, 'worse');
    assert.equal(tumor.findings[0].regressed, false);
    // A stricter allowance makes the tumor's 3.75% a regression; a laxer one lets the organ's 6.25% pass.
    assert.equal(
      checkRuns(current, REFERENCE, { maxBaselineDrop: 0.03 }).items.find((i) => i.className === 'tumor')!.verdict,
      'regressed',
    );
    assert.equal(
      checkRuns(current, REFERENCE, { maxNaucDrop: 0.07 }).items.find((i) => i.className === 'organ')!.verdict,
      'worse',
    );
  });

  it('reads lower-is-better metrics (HD95) the other way round, with Infinity as the worst', () => {
    const hd95 = (className: string, nauc: number, baseline: number) =>
      summary(className, [-30, 30], nauc, baseline, { metric: 'hd95' as MetricName });
    const reference = run([hd95('organ', 1.2, 2), hd95('tumor', Infinity, 3)], { metrics: ['hd95'] });
    // organ: D0 2 → 2.2 mm is 10% worse, nAUC 1.2 → 1.1 is better; tumor: nAUC ∞ → ∞ is no change.
    const current = run([hd95('organ', 1.1, 2.2), hd95('tumor', Infinity, 3)], { metrics: ['hd95'] });
    const report = checkRuns(current, reference);
    const organ = report.items.find((item) => item.className === 'organ')!;
    assert.deepEqual(
      organ.findings.map((f) => [f.what, f.change, f.regressed]),
      [
        ['nauc', 'better', false],
        ['baseline', 'worse', true],
      ],
    );
    assert.equal(report.items.find((item) => item.className === 'tumor')!.verdict, 'unchanged');
    const infinite = run([hd95('organ', Infinity, 2), hd95('tumor', Infinity, 3)], { metrics: ['hd95'] });
    assert.equal(checkRuns(infinite, reference).items.find((i) => i.className === 'organ')!.verdict, 'regressed');
  });

  it('regresses when the class no longer has a tolerance interval (it now fails at baseline)', () => {
    const current = run([
      summary('organ', null, null, 0.3, { failsAtBaseline: { dice: 0.3 } }),
      summary('tumor', [-15, 15], 0.7, 0.8),
    ]);
    const organ = checkRuns(current, REFERENCE).items.find((item) => item.className === 'organ')!;
    assert.equal(organ.verdict, 'regressed');
    assert.deepEqual(organ.findings[0], { what: 'tolerance', change: 'worse', regressed: true });
  });

  it('reports but does not gate a class below the minimum baseline Dice in the baseline run', () => {
    const reference = run([summary('organ', [-30, 30], 0.8, 0.9), summary('tumor', [-15, 15], 0.7, 0.45)]);
    const current = run([summary('organ', [-30, 30], 0.8, 0.9), summary('tumor', [0, 0], 0.3, 0.46)]);
    const report = checkRuns(current, reference);
    assert.equal(report.regressed, false);
    const tumor = report.items.find((item) => item.className === 'tumor')!;
    assert.equal(tumor.verdict, 'not-gated');
    assert.match(tumor.notGatedBecause!, /baseline Dice 0\.45 in the baseline run is below 0\.5/);
    assert.ok(
      tumor.findings.some((f) => f.regressed),
      'the shrink is still found and shown',
    );
    assert.equal(checkRuns(current, reference, { minBaselineDice: 0.4 }).regressed, true);
  });

  it('says which series, classes and metrics cannot be compared, and compares the rest', () => {
    const zoom = { name: 'zoom', transform: 'zoom', unit: '×', values: [[0.5, 1, 2]], summaries: [] };
    const current: CheckedRun = {
      ...run([summary('organ', [-30, 30], 0.8, 0.9), summary('tumor', [-15, 15], 0.7, 0.8)]),
      classes: ['background', 'organ', 'tumor', 'cyst'],
    };
    current.series = [...current.series, zoom];
    const reference: CheckedRun = {
      ...REFERENCE,
      metrics: ['dice', 'hd95'],
      series: [...REFERENCE.series, { ...zoom, name: 'blur', transform: 'blur' }],
    };
    const report = checkRuns(current, reference);
    assert.deepEqual(report.uncompared, [
      'class cyst: not in the baseline run',
      'metric hd95: only in the baseline run',
      'series zoom: not in the baseline run',
      'series blur: only in the baseline run',
    ]);
    assert.deepEqual(
      report.items.map((item) => `${item.series} ${item.className} ${item.verdict}`),
      ['rotate organ unchanged', 'rotate tumor unchanged'],
      'background is not compared: it is the complement of the others',
    );
  });

  it('compares only baseline metrics of a series that swept other values', () => {
    const current = run(
      [summary('organ', [-15, 15], 0.5, 0.9), summary('tumor', [-15, 15], 0.7, 0.6)],
      {},
      {
        values: [[-90, -15, 0, 15, 90]],
      },
    );
    const report = checkRuns(current, REFERENCE);
    assert.deepEqual(report.uncompared, [
      'series rotate: tolerance intervals and nAUC (the runs swept different values; baseline metrics are compared)',
    ]);
    assert.deepEqual(
      report.items.map((item) => [item.className, item.findings.map((f) => f.what), item.verdict]),
      [
        ['tumor', ['baseline'], 'regressed'],
        ['organ', [], 'unchanged'],
      ],
    );
  });

  it('compares the pooled curve, not the per-input ones', () => {
    const perInput = (input: number) => summary('organ', [0, 0], 0.1, 0.9, { input });
    // A group's mean curve that broke does not count either: the check reads the mean over all inputs.
    const group = summary('organ', [0, 0], 0.1, 0.9, { input: 'mean', group: 'site A' });
    const current = run([perInput(0), perInput(1), group, summary('organ', [-30, 30], 0.8, 0.9, { input: 'mean' })], {
      classes: ['background', 'organ'],
      inputs: [{ label: 'a' }, { label: 'b' }],
    });
    const reference = run([perInput(0), perInput(1), summary('organ', [-30, 30], 0.8, 0.9, { input: 'mean' })], {
      classes: ['background', 'organ'],
      inputs: [{ label: 'a' }, { label: 'b' }],
    });
    assert.deepEqual(
      checkRuns(current, reference).items.map((item) => item.verdict),
      ['unchanged'],
    );
  });

  it('pairs models by label when every label is found, else by place, and says so', () => {
    const two = (first: string, second: string, organ: [number, number][]): CheckedRun =>
      run([summary('organ', organ[0], 0.8, 0.9, { model: 0 }), summary('organ', organ[1], 0.8, 0.9, { model: 1 })], {
        classes: ['background', 'organ'],
        models: [{ label: first }, { label: second }],
      });
    const reference = two('a', 'b', [
      [-30, 30],
      [-15, 15],
    ]);
    const swapped = two('b', 'a', [
      [-15, 15],
      [-30, 30],
    ]);
    const byLabel = checkRuns(swapped, reference);
    assert.equal(byLabel.modelMatch, 'label');
    assert.deepEqual(byLabel.notes, []);
    assert.deepEqual(
      byLabel.items.map((item) => [item.model, item.verdict]),
      [
        [{ current: 'b', baseline: 'b' }, 'unchanged'],
        [{ current: 'a', baseline: 'a' }, 'unchanged'],
      ],
    );
    const one = run([summary('organ', [-30, 30], 0.8, 0.9)], {
      classes: ['background', 'organ'],
      models: [{ label: 'b' }],
    });
    const subset = checkRuns(one, reference);
    assert.equal(subset.modelMatch, 'label');
    assert.deepEqual(subset.uncompared, ['model "a": only in the baseline run']);
    assert.deepEqual(
      subset.items.map((item) => [item.model, item.verdict]),
      [[{ current: 'b', baseline: 'b' }, 'improved']],
    );
    const renamed = two('a2', 'b2', [
      [-15, 15],
      [-30, 30],
    ]);
    const byPlace = checkRuns(renamed, reference);
    assert.equal(byPlace.modelMatch, 'index');
    assert.deepEqual(byPlace.notes, [
      'models paired by their place in the run, since their labels differ: "a2" ↔ "a", "b2" ↔ "b"',
    ]);
    assert.deepEqual(
      byPlace.items.map((item) => [item.model.current, item.verdict]),
      [
        ['a2', 'regressed'],
        ['b2', 'improved'],
      ],
    );
  });

  it('notes different inputs, different τ and cancelled runs', () => {
    const current = run([summary('organ', [-15, 15], 0.8, 0.9), summary('tumor', [-15, 15], 0.7, 0.8)], {
      status: 'cancelled',
      tolerance: 0.8,
      inputs: [{ label: 'case0', imageSha256: 'bb' }],
    });
    const report = checkRuns(current, REFERENCE);
    assert.deepEqual(report.uncompared, [
      'tolerance intervals: the runs used different tolerance fractions τ (0.8 and 0.9)',
    ]);
    assert.deepEqual(report.notes, [
      'the current run was cancelled: its summaries cover part of the work',
      'the runs used different inputs (other image files): their curves are means over different images',
    ]);
    assert.equal(report.regressed, false, 'intervals from different τ are not compared');
  });

  it('notes when the runs found their interval edges to different precision (refinement)', () => {
    const summaries = [summary('organ', [-15, 30], 0.8, 0.9), summary('tumor', [-15, 15], 0.7, 0.8)];
    const refined = run(summaries, {}, { refine: { resolution: 1 } });
    assert.deepEqual(checkRuns(refined, REFERENCE).notes, [
      'series rotate: interval edges have different precision (refined to 1° here, not refined in the baseline run); --max-shrink should allow for it',
    ]);
    assert.deepEqual(checkRuns(refined, run(summaries, {}, { refine: { resolution: 1 } })).notes, []);
  });

  it('documents its defaults in one place', () => {
    assert.deepEqual(DEFAULT_CHECK_OPTIONS, {
      maxShrink: 0,
      maxNaucDrop: 0.05,
      maxBaselineDrop: 0.05,
      minBaselineDice: 0.5,
    });
  });
});
