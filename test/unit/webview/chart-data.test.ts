import * as assert from 'node:assert/strict';
import { chartData } from '../../../webview-ui/data/chart-data';
import { assembledRun, realRun, row, run, series, summary } from './fixtures';

describe('webview chart data (series → lines)', () => {
  it('gives one line per class for a single input, with gaps for undefined and infinite values', () => {
    const results = run([
      series('rotate', [
        row(0, -10, { dice: { background: 0.9, lv: 0.5, myo: null }, hd95: { background: 1, lv: Infinity, myo: 3 } }),
        row(0, 0, { dice: { background: 0.99, lv: 0.9, myo: 0.8 }, hd95: { background: 1, lv: 2, myo: 3 } }, true),
        row(0, 10, { dice: { background: 0.95, lv: 0.6, myo: 0.7 }, hd95: { background: 1, lv: 8, myo: 4 } }),
      ]),
    ]);
    const dice = chartData(results, 0, 'dice');
    assert.equal(dice.lines.length, 3);
    assert.ok(dice.lines.every((l) => l.role === 'main' && l.input === 0));
    const myo = dice.lines.find((l) => l.className === 'myo')!;
    assert.deepEqual(
      myo.points.map((p) => [p.x, p.y]),
      [
        [-10, null],
        [0, 0.8],
        [10, 0.7],
      ],
    );
    assert.deepEqual(dice.yDomain, [0, 1]);
    assert.equal(dice.identity, 0);

    const hd = chartData(results, 0, 'hd95');
    const lv = hd.lines.find((l) => l.className === 'lv')!;
    assert.equal(lv.points[0].y, null);
    assert.equal(lv.points[0].raw, Infinity);
    // Distances span 0 to the largest finite value, with 5 % headroom.
    assert.deepEqual(hd.yDomain, [0, 8 * 1.05]);
    assert.equal(hd.yUnit, 'mm');
  });

  it('gives ΔVolume% a signed axis from its smallest to its largest value, null where the truth has no class', () => {
    const results = run([
      series('rotate', [
        row(0, -10, { dvol: { background: 0, lv: -40, myo: null } }),
        row(0, 0, { dvol: { background: 0, lv: 5, myo: null } }, true),
        row(0, 10, { dvol: { background: 0, lv: 20, myo: null } }),
      ]),
    ]);
    const chart = chartData(results, 0, 'dvol');
    assert.deepEqual(chart.yDomain, [-40 * 1.05, 20 * 1.05]);
    assert.equal(chart.yUnit, '%');
    assert.ok(chart.lines.find((l) => l.className === 'myo')!.points.every((p) => p.y === null));
  });

  it('marks refined points, and leaves values only one input refined out of the centre line and band', () => {
    const dice = (lv: number) => ({ dice: { background: 1, lv, myo: 1 } });
    const refined = (input: number, value: number, lv: number) => ({
      ...row(input, value, dice(lv)),
      refined: true as const,
    });
    const rows = [0, 1].flatMap((input) => [
      row(input, -10, dice(0.5)),
      row(input, 0, dice(1), true),
      row(input, 10, dice(0.5)),
    ]);
    const results = assembledRun(
      [
        series('rotate', [...rows, refined(0, 5, 0.75), refined(1, 5, 0.85), refined(1, 7, 0.6)], {
          values: [
            [-10, 0, 10],
            [-10, 0, 10],
          ],
          refine: { resolution: 1 },
        }),
      ],
      { models: ['unet'], groups: [undefined, undefined] },
    );
    const chart = chartData(results, 0, 'dice');
    const lv = (input: number | 'mean') => chart.lines.find((l) => l.className === 'lv' && l.input === input)!;
    // 5 both inputs refined: on the centre line (mean 0.8); 7 only input 1 did: its own line only.
    assert.deepEqual(
      lv('mean').points.map((p) => [p.x, p.y]),
      [
        [-10, 0.5],
        [0, 1],
        [5, 0.8],
        [10, 0.5],
      ],
    );
    assert.deepEqual(
      lv(1).points.map((p) => [p.x, p.refined ?? false]),
      [
        [-10, false],
        [0, false],
        [5, true],
        [7, true],
        [10, false],
      ],
    );
    const band = chart.bands.find((b) => b.className === 'lv')!;
    assert.deepEqual(
      band.points.map((p) => p.x),
      [-10, 0, 5, 10],
    );
  });

  it("runs the x axis high to low for a descending sweep, so the plot reads in the sweep's order", () => {
    const rows = [
      row(0, 10, { dice: { background: 1, lv: 0.6, myo: 0.5 } }),
      row(0, 0, { dice: { background: 1, lv: 0.9, myo: 0.8 } }, true),
      row(0, -10, { dice: { background: 1, lv: 0.7, myo: 0.6 } }),
    ];
    const descending = chartData(run([series('rotate', rows, { values: [[10, 0, -10]] })]), 0, 'dice');
    assert.deepEqual(descending.x.domain, [10, -10]);
    const ascending = chartData(run([series('rotate', [...rows].reverse(), { values: [[-10, 0, 10]] })]), 0, 'dice');
    assert.deepEqual(ascending.x.domain, [-10, 10]);
  });

  it('centres several inputs on their mean at every value (nulls skipped, n counted), with faint per-input lines', () => {
    const results = run([
      series('crop', [
        row(0, 0, { dice: { background: 1, lv: 0.8, myo: 0.6 } }, true),
        row(0, 10, { dice: { background: 1, lv: 0.4, myo: null } }),
        row(0, 20, { dice: { background: 1, lv: 0.2, myo: null } }),
        row(1, 0, { dice: { background: 1, lv: 1.0, myo: 0.4 } }, true),
        row(1, 10, { dice: { background: 1, lv: 0.6, myo: 0.3 } }),
      ]),
    ]);
    // A format-1 run has no aggregates: the panel computes them from the rows.
    const data = chartData(results, 0, 'dice');
    assert.equal(data.inputCount, 2);
    assert.equal(data.spread, 'sd');
    const mean = (name: string) => data.lines.find((l) => l.className === name && l.input === 'mean')!;
    // Value 20 exists only for input 0: its point is that input's value, n = 1, no SD.
    assert.deepEqual(
      mean('lv').points.map((p) => [p.x, p.n]),
      [
        [0, 2],
        [10, 2],
        [20, 1],
      ],
    );
    assert.ok(Math.abs(mean('lv').points[0].y! - 0.9) < 1e-12);
    assert.ok(Math.abs(mean('lv').points[1].y! - 0.5) < 1e-12);
    assert.equal(mean('lv').points[2].y, 0.2);
    assert.equal(mean('lv').points[2].low, null);
    // SD of 0.8 and 1.0 (ddof 1): 0.1·√2.
    assert.ok(Math.abs(mean('lv').points[0].high! - (0.9 + 0.1 * Math.SQRT2)) < 1e-12);
    // myo at 10: input 0 undefined, so the mean is input 1's value alone.
    assert.equal(mean('myo').points[1].y, 0.3);
    assert.equal(mean('myo').points[1].n, 1);
    const details = data.lines.filter((l) => l.role === 'detail');
    assert.equal(details.length, 2 * 3);
    assert.deepEqual(
      details.find((l) => l.input === 0 && l.className === 'lv')!.points.map((p) => p.y),
      [0.8, 0.4, 0.2],
    );
  });

  it('matches the pooled means of a real run (recomputed here from its rows)', () => {
    const results = realRun('two-inputs');
    for (let s = 0; s < results.series.length; s++) {
      const data = chartData(results, s, 'dice');
      const rows = results.series[s].rows;
      for (const className of results.classes) {
        const line = data.lines.find((l) => l.className === className && l.input === 'mean')!;
        const values = [...new Set(rows.map((r) => r.value))].filter(
          (v) => rows.filter((r) => r.value === v).length === 2,
        );
        assert.equal(line.points.length, values.length);
        for (const p of line.points) {
          const scores = rows
            .filter((r) => r.value === p.x)
            .map((r) => r.metrics.dice![className])
            .filter((v): v is number => v !== null);
          if (scores.length === 0) assert.equal(p.y, null);
          else
            assert.ok(
              Math.abs(p.y! - scores.reduce((a, b) => a + b, 0) / scores.length) < 1e-12,
              `${results.series[s].name} ${className} at ${p.x}`,
            );
        }
        // The engine's pooled summary measured the same mean at the identity (its baseline).
        const pooled = results.series[s].summaries.find(
          (x) => x.input === 'mean' && x.metric === 'dice' && x.className === className,
        )!;
        const atIdentity = line.points.find((p) => p.x === pooled.identity);
        if (atIdentity)
          assert.ok(
            Math.abs(atIdentity.y! - pooled.baseline!) < 1e-12,
            `${results.series[s].name} ${className} baseline`,
          );
      }
    }
  });

  it('puts a series of severity levels on an axis of levels, each with its parameter value', () => {
    const levels = series(
      'rotate',
      [
        row(0, 0, { dice: { background: 1, lv: 0.9, myo: 0.8 } }, true),
        row(0, 6, { dice: { background: 1, lv: 0.85, myo: 0.8 } }),
        row(0, 18, { dice: { background: 1, lv: 0.7, myo: 0.6 } }),
      ].map((r, i) => ({ ...r, severity: [0, 1, 3][i] })),
      { severities: [[0, 1, 3]] },
    );
    const data = chartData(run([levels]), 0, 'dice');
    assert.equal(data.x.scale, 'categorical');
    assert.equal(data.x.label, 'rotate severity level');
    assert.deepEqual(
      data.x.categories!.map((c) => [c.value, c.label, c.detail]),
      [
        [0, 'level 0', '0°'],
        [6, 'level 1', '6°'],
        [18, 'level 3', '18°'],
      ],
    );
    assert.deepEqual(
      data.lines.find((l) => l.className === 'lv')!.points.map((p) => [p.x, p.y]),
      [
        [0, 0.9],
        [6, 0.85],
        [18, 0.7],
      ],
    );
  });

  it('makes dihedral a categorical axis with k labels and log sweeps a log axis', () => {
    const results = realRun('two-inputs');
    const dihedral = chartData(
      results,
      results.series.findIndex((x) => x.transform === 'dihedral'),
      'dice',
    );
    assert.equal(dihedral.x.scale, 'categorical');
    assert.deepEqual(
      dihedral.x.categories!.map((c) => c.label),
      ['k=0', 'k=1', 'k=2', 'k=3', 'k=4', 'k=5', 'k=6', 'k=7'],
    );
    assert.equal(dihedral.x.categories![3].detail, '90° + mirror');
    const brightness = chartData(
      results,
      results.series.findIndex((x) => x.transform === 'brightness'),
      'dice',
    );
    assert.equal(brightness.x.scale, 'log');
    assert.deepEqual(brightness.x.domain, [0.25, 4]);
  });

  it('takes tolerance bands and sentences from the pooled summaries of the chosen metric, background left out of sentences', () => {
    const s = series(
      'rotate',
      [
        row(0, 0, { dice: { background: 1, lv: 1, myo: 1 } }, true),
        row(1, 0, { dice: { background: 1, lv: 1, myo: 1 } }, true),
      ],
      {
        summaries: [
          summary(0, 'dice', 'lv', [-5, 5]),
          summary('mean', 'dice', 'background', [-90, 90]),
          summary('mean', 'dice', 'lv', [-10, 20]),
          summary('mean', 'hd95', 'lv', [-1, 1]),
        ],
      },
    );
    const data = chartData(run([s]), 0, 'dice');
    assert.deepEqual(
      data.tolerance.map((b) => [b.className, b.interval]),
      [
        ['background', [-90, 90]],
        ['lv', [-10, 20]],
      ],
    );
    assert.deepEqual(
      data.sentences.map((x) => x.text),
      ['lv dice mean'],
    );
  });

  it('has no common identity when inputs disagree (resize: the identity is each input size)', () => {
    const s = series(
      'resize',
      [
        row(0, 100, { dice: { background: 1, lv: 1, myo: 1 } }),
        row(1, 100, { dice: { background: 1, lv: 1, myo: 1 } }),
      ],
      { identity: [181, 217], scale: 'log' },
    );
    assert.equal(chartData(run([s]), 0, 'dice').identity, null);
  });

  it('averages to infinity when one input is infinite, and plots that as a gap', () => {
    const rows = [
      row(0, 1, { hd95: { background: 1, lv: 2, myo: 1 } }),
      row(1, 1, { hd95: { background: 1, lv: Infinity, myo: 1 } }),
    ];
    const lv = chartData(run([series('zoom', rows)]), 0, 'hd95').lines.find(
      (l) => l.role === 'main' && l.className === 'lv',
    )!;
    assert.equal(lv.points[0].raw, Infinity);
    assert.equal(lv.points[0].y, null);
    assert.equal(lv.points[0].high, null, 'no band around an infinite mean');
  });
});
