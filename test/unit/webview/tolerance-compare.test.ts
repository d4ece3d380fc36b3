import * as assert from 'node:assert/strict';
import { chartData } from '../../../webview-ui/data/chart-data';
import { compatibleRuns, dashFor, mergeCompare, modelViews, runLabel } from '../../../webview-ui/data/compare';
import { sharedTolerance, toleranceBands, type ToleranceBand } from '../../../webview-ui/data/tolerance';
import { row, run, series, summary } from './fixtures';

function band(
  className: string,
  interval: [number, number] | null,
  failsAtBaseline: number | null = null,
): ToleranceBand {
  return {
    className,
    classIndex: 0,
    interval,
    breakdown: { below: null, above: null },
    nauc: null,
    baseline: null,
    threshold: null,
    failsAtBaseline,
  };
}

describe('webview summary shading', () => {
  it('orders bands by class and drops classes the run does not have', () => {
    const bands = toleranceBands(
      [
        summary('mean', 'dice', 'myo', [0, 1]),
        summary('mean', 'dice', 'ghost', [0, 1]),
        summary('mean', 'dice', 'lv', [-1, 2]),
      ],
      ['background', 'lv', 'myo'],
    );
    assert.deepEqual(
      bands.map((b) => [b.className, b.classIndex]),
      [
        ['lv', 1],
        ['myo', 2],
      ],
    );
  });

  it('shades where every shown class is tolerated: the intersection of their intervals', () => {
    const bands = [band('a', [-30, 20]), band('b', [-10, 45]), band('c', [50, 60])];
    assert.deepEqual(sharedTolerance(bands, new Set(['a', 'b'])), [-10, 20]);
    // c does not overlap a: nothing is safe for both.
    assert.equal(sharedTolerance(bands, new Set(['a', 'c'])), null);
    assert.deepEqual(sharedTolerance(bands, new Set(['c'])), [50, 60]);
    assert.equal(sharedTolerance(bands, new Set()), null);
    assert.equal(sharedTolerance([band('a', [-1, 1]), band('b', null)], new Set(['a', 'b'])), null);
  });

  it('leaves classes that fail at baseline out of the shared band, and alone gives none', () => {
    const bands = [band('a', [-30, 20]), band('b', null, 0.12)];
    assert.deepEqual(sharedTolerance(bands, new Set(['a', 'b'])), [-30, 20]);
    assert.equal(sharedTolerance(bands, new Set(['b'])), null);
  });
});

describe('webview compare merge', () => {
  const primary = run([
    series('rotate', [
      row(0, -10, { dice: { background: 1, lv: 0.5, myo: 0.4 } }),
      row(0, 0, { dice: { background: 1, lv: 0.9, myo: 0.8 } }, true),
    ]),
  ]);
  // Same experiment, another model, classes listed in another order, a wider sweep.
  const other = run(
    [
      series('rotate', [
        row(0, 0, { dice: { myo: 0.7, lv: 0.95, background: 1 } }, true),
        row(0, 20, { dice: { myo: 0.1, lv: 0.2, background: 1 } }),
        row(1, 0, { dice: { myo: 0.5, lv: 0.85, background: 1 } }, true),
        row(1, 20, { dice: { myo: 0.3, lv: 0.4, background: 1 } }),
      ]),
    ],
    {
      classes: ['myo', 'lv', 'background'],
      models: [
        { index: 0, label: 'other.onnx', path: 'other.onnx', sha256: '99'.repeat(32), classNames: [], card: {} },
      ],
    },
  );

  it('adds the main lines of the other run, matched by class name, as view 1', () => {
    const merged = mergeCompare(chartData(primary, 0, 'dice'), primary.classes, modelViews(primary, [other]), 'dice');
    const added = merged.lines.filter((l) => l.view === 1);
    // Two inputs in the other run: only its mean lines are added, one per class.
    assert.equal(added.length, 3);
    assert.ok(added.every((l) => l.role === 'main' && l.input === 'mean'));
    const lv = added.find((l) => l.className === 'lv')!;
    assert.equal(lv.classIndex, 1, 'class index is the primary run’s');
    assert.deepEqual(
      lv.points.map((p) => p.x),
      [0, 20],
    );
    assert.ok(Math.abs(lv.points[1].y! - 0.3) < 1e-12);
    assert.deepEqual(merged.x.domain, [-10, 20], 'the x axis covers both runs');
    assert.equal(merged.lines.filter((l) => l.view === 0).length, 3);
  });

  it('gives each run its own dash pattern, solid for the run shown', () => {
    assert.equal(dashFor(0), '');
    const dashes = [1, 2, 3, 4].map(dashFor);
    assert.equal(new Set(dashes).size, 4);
    assert.ok(dashes.every((d) => d !== ''));
  });

  it('compares only runs of the same experiment and says why others are left out', () => {
    const foreign = run(primary.series, { experiment: { file: 'x', content: { name: 'other-exp' } as never } });
    const selection = compatibleRuns(primary, [other, foreign]);
    assert.deepEqual(selection.runs, [other]);
    assert.equal(selection.skipped.length, 1);
    assert.match(selection.skipped[0].reason, /other-exp/);
    assert.equal(runLabel(other), `other.onnx · 99999999 · 2025-03-04 05:06`);
  });

  it('leaves the chart as it is when the other run lacks the series or the metric', () => {
    const data = chartData(primary, 0, 'dice');
    const noSeries = run([series('zoom', other.series[0].rows)]);
    assert.equal(mergeCompare(data, primary.classes, modelViews(primary, [noSeries]), 'dice'), data);
    assert.equal(
      mergeCompare(data, primary.classes, modelViews(primary, [run(other.series, { metrics: ['hd95'] })]), 'dice'),
      data,
    );
  });
});
