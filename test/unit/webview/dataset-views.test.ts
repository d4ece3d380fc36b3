/**
 * Datasets and several models in the panel's data modules: bands and boxes from aggregates
 * (checked against statistics recomputed here from the rows), groups, the picked input, the
 * per-model views, the tolerance-by-model table and the input ranking.
 */
import * as assert from 'node:assert/strict';
import type { MetricName } from '../../../src/engine/metrics/types';
import type { RunResults } from '../../../src/engine/report/results';
import { chartData } from '../../../webview-ui/data/chart-data';
import { dashFor, mergeCompare, modelViews } from '../../../webview-ui/data/compare';
import { datasetFacts, groupsOf, inputsWithRows } from '../../../webview-ui/data/dataset';
import { formatInterval, toleranceTable } from '../../../webview-ui/data/model-table';
import { rankedInputs } from '../../../webview-ui/data/ranking';
import { bandPoints, boxPoints, findAggregate, seriesAggregates } from '../../../webview-ui/data/spread';
import { reconcileViewState } from '../../../webview-ui/data/view-state';
import { assembledRun, realRun, row, run, series, summary } from './fixtures';

// ---- statistics written out here, independent of the engine ----
function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
function sampleSd(values: readonly number[]): number {
  const m = mean(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
}
/** Hyndman–Fan type 7 (numpy's default): h = (n − 1)·q, interpolate between floor and ceil. */
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
const close = (a: number | null | undefined, b: number, what: string) =>
  assert.ok(a !== null && a !== undefined && Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

/** Defined values of one metric and class at one sweep value, for one model and some inputs. */
function column(
  results: RunResults,
  seriesIndex: number,
  model: number,
  inputs: readonly number[],
  value: number,
  metric: MetricName,
  className: string,
): number[] {
  return results.series[seriesIndex].rows
    .filter((r) => r.model === model && inputs.includes(r.input) && r.value === value)
    .map((r) => r.metrics[metric]?.[className] ?? null)
    .filter((v): v is number => v !== null);
}

/** Two models, four inputs in groups a, a, b, b; dice falls with |angle| at a rate set by model and input; one null. */
function syntheticRun(): RunResults {
  const rows = [];
  for (let model = 0; model < 2; model++) {
    for (let input = 0; input < 4; input++) {
      for (const value of [-20, -10, 0, 10, 20]) {
        const lv = 0.92 - (model + 1) * (input + 1) * 0.004 * Math.abs(value) + 0.01 * input;
        const myo =
          input === 3 && value === 20
            ? null
            : 0.85 - 0.002 * (input + 2 * model) * Math.abs(value) - 0.003 * input * model;
        rows.push(row(input, value, { dice: { background: 0.99, lv, myo } }, value === 0, model));
      }
    }
  }
  return assembledRun([series('rotate', rows)], {
    models: ['alpha', 'beta'],
    groups: ['a', 'a', 'b', 'b'],
    extra: { metrics: ['dice'] },
  });
}

describe('webview dataset bands and boxes', () => {
  const cases: Array<[string, () => RunResults]> = [
    ['a synthetic two-model run', syntheticRun],
    ['the real dataset run (two models, four inputs, two groups)', () => realRun('dataset')],
  ];
  for (const [name, make] of cases) {
    it(`centres the band on the mean ± SD of the inputs, recomputed from the rows (${name})`, () => {
      const results = make();
      for (let s = 0; s < results.series.length; s++) {
        for (const model of [0, 1]) {
          const data = chartData(results, s, 'dice', { model, spread: 'sd' });
          const inputs = inputsWithRows(results, model);
          assert.equal(data.inputCount, inputs.length);
          for (const className of results.classes) {
            const main = data.lines.find((l) => l.role === 'main' && l.className === className)!;
            const band = data.bands.find((b) => b.className === className)!;
            assert.equal(main.input, 'mean');
            assert.equal(main.points.length, band.points.length);
            for (const [i, p] of main.points.entries()) {
              const values = column(results, s, model, inputs, p.x, 'dice', className);
              close(p.y, mean(values), `${className} mean at ${p.x}`);
              assert.equal(p.n, values.length);
              close(band.points[i].hi, mean(values) + sampleSd(values), `${className} mean + SD at ${p.x}`);
              close(band.points[i].lo, mean(values) - sampleSd(values), `${className} mean − SD at ${p.x}`);
            }
          }
        }
      }
    });

    it(`uses the median and Q1–Q3 for the IQR band and the boxes (${name})`, () => {
      const results = make();
      const s = 0;
      const inputs = inputsWithRows(results, 1);
      const data = chartData(results, s, 'dice', { model: 1, spread: 'iqr' });
      for (const className of results.classes) {
        const main = data.lines.find((l) => l.role === 'main' && l.className === className)!;
        assert.equal(main.input, 'median');
        const boxes = data.boxes.find((b) => b.className === className)!;
        for (const [i, p] of main.points.entries()) {
          const values = column(results, s, 1, inputs, p.x, 'dice', className);
          close(p.y, quantile(values, 0.5), `median at ${p.x}`);
          const band = data.bands.find((b) => b.className === className)!.points[i];
          close(band.lo, quantile(values, 0.25), 'Q1');
          close(band.hi, quantile(values, 0.75), 'Q3');
          const box = boxes.points.find((b) => b.x === p.x)!;
          close(box.median, quantile(values, 0.5), 'box median');
          close(box.q1, quantile(values, 0.25), 'box Q1');
          close(box.q3, quantile(values, 0.75), 'box Q3');
          close(box.min, Math.min(...values), 'whisker min');
          close(box.max, Math.max(...values), 'whisker max');
        }
      }
    });
  }

  it('narrows everything to a group: the group aggregate, its inputs’ lines and its pooled summaries', () => {
    const results = syntheticRun();
    const data = chartData(results, 0, 'dice', { model: 0, group: 'b' });
    assert.equal(data.group, 'b');
    assert.equal(data.inputCount, 2);
    const details = data.lines.filter((l) => l.role === 'detail');
    assert.deepEqual([...new Set(details.map((l) => l.input))], [2, 3]);
    const myo = data.lines.find((l) => l.role === 'main' && l.className === 'myo')!;
    // myo at +20: input 3 is null, so the group's mean is input 2 alone, with no SD.
    const at20 = myo.points.find((p) => p.x === 20)!;
    assert.equal(at20.n, 1);
    close(at20.y, column(results, 0, 0, [2], 20, 'dice', 'myo')[0], 'input 2 alone');
    assert.equal(at20.low, null);
    const expected = results.series[0].summaries.filter(
      (x) => x.model === 0 && x.input === 'mean' && x.group === 'b' && x.metric === 'dice',
    );
    assert.deepEqual(
      data.tolerance.map((b) => b.interval),
      expected.map((x) => x.tolerance),
    );
    assert.ok(
      data.sentences.every((x) => /group b/.test(x.text)),
      data.sentences.map((x) => x.text).join('\n'),
    );
  });

  it('draws the picked input as its own line on top, taken out of the faint lines', () => {
    const results = syntheticRun();
    const data = chartData(results, 0, 'dice', { model: 1, focusInput: 2 });
    const focus = data.lines.filter((l) => l.role === 'focus');
    assert.deepEqual(
      focus.map((l) => l.className),
      results.classes,
    );
    assert.ok(focus.every((l) => l.input === 2));
    const lv = focus.find((l) => l.className === 'lv')!;
    const rows = results.series[0].rows.filter((r) => r.model === 1 && r.input === 2);
    assert.deepEqual(
      lv.points.map((p) => p.raw),
      rows.map((r) => r.metrics.dice!.lv),
    );
    assert.ok(!data.lines.some((l) => l.role === 'detail' && l.input === 2));
    // An input outside the selected group is still drawn when picked.
    const other = chartData(results, 0, 'dice', { model: 1, group: 'a', focusInput: 3 });
    assert.equal(other.lines.filter((l) => l.role === 'focus').length, results.classes.length);
  });

  it('computes aggregates from the rows for runs that have none (results format 1) as the engine would', () => {
    const results = realRun('dataset');
    const series = results.series[0];
    const stripped = { ...results, series: results.series.map((s) => ({ ...s, aggregates: [] })) };
    const computed = seriesAggregates(stripped, stripped.series[0]);
    for (const aggregate of series.aggregates) {
      const mine = findAggregate(computed, aggregate.model, aggregate.metric, aggregate.className, aggregate.group)!;
      assert.equal(mine.points.length, aggregate.points.length);
      mine.points.forEach((p, i) => close(p.mean, aggregate.points[i].mean!, `${aggregate.className} mean`));
    }
    assert.deepEqual(
      bandPoints([{ value: 1, n: 1, mean: 0.5, sd: null, median: 0.5, q1: 0.5, q3: 0.5, min: 0.5, max: 0.5 }], 'sd'),
      [{ x: 1, centre: 0.5, lo: null, hi: null, n: 1 }],
    );
    assert.deepEqual(
      boxPoints([{ value: 1, n: 0, mean: null, sd: null, median: null, q1: null, q3: null, min: null, max: null }]),
      [],
    );
  });
});

describe('webview several models', () => {
  it('splits a run into one view per model, each with its own line style and name', () => {
    const results = realRun('dataset');
    const views = modelViews(results);
    assert.deepEqual(
      views.map((v) => [v.run, v.model, v.short]),
      [
        [0, 0, 'unet'],
        [0, 1, 'unet-bright'],
      ],
    );
    assert.equal(views[1].label, `unet-bright · ${results.models[1].sha256.slice(0, 8)}`);
    assert.notEqual(dashFor(0), dashFor(1));
    // With a compared run, views name their run too; the compared run's single model follows.
    const withOther = modelViews(results, [realRun('two-inputs')]);
    assert.deepEqual(
      withOther.map((v) => [v.run, v.model, v.short]),
      [
        [0, 0, 'run 1 · unet'],
        [0, 1, 'run 1 · unet-bright'],
        [1, 0, 'run 2'],
      ],
    );
  });

  it('draws the model in focus with its band and the other model’s mean as a line in its own style', () => {
    const results = realRun('dataset');
    const views = modelViews(results);
    const own = chartData(results, 0, 'dice', { model: 1, view: 1 });
    const merged = mergeCompare(own, results.classes, views, 'dice');
    const other = merged.lines.filter((l) => l.view === 0);
    assert.deepEqual(
      other.map((l) => [l.role, l.input, l.className]),
      results.classes.map((c) => ['main', 'mean', c]),
    );
    assert.ok(
      merged.lines.filter((l) => l.role !== 'main').every((l) => l.view === 1),
      'faint lines only for the model in focus',
    );
    const inputs = inputsWithRows(results, 0);
    for (const p of other.find((l) => l.className === 'cortex')!.points)
      close(p.y, mean(column(results, 0, 0, inputs, p.x, 'dice', 'cortex')), `model 0 cortex at ${p.x}`);
    // Bands and boxes stay those of the model in focus.
    assert.equal(merged.bands, own.bands);
  });

  it('tabulates each model’s pooled tolerance interval per series and foreground class, widest in bold', () => {
    const rotate = series(
      'rotate',
      [
        row(0, 0, { dice: { background: 1, lv: 1, myo: 1 } }, true),
        row(1, 0, { dice: { background: 1, lv: 1, myo: 1 } }, true),
      ],
      {
        summaries: [
          summary('mean', 'dice', 'lv', [-20, 25], { model: 0 }),
          summary('mean', 'dice', 'lv', [-30, 10], { model: 1 }),
          summary('mean', 'dice', 'lv', [-90, 90], { model: 0, group: 'a' }),
          summary('mean', 'dice', 'myo', null, { model: 0 }),
          summary('mean', 'dice', 'myo', [-5, 5], { model: 1 }),
          summary(0, 'dice', 'myo', [-50, 50], { model: 0 }),
        ],
      },
    );
    const brightness = series(
      'brightness',
      [
        row(0, 1, { dice: { background: 1, lv: 1, myo: 1 } }, true),
        row(1, 1, { dice: { background: 1, lv: 1, myo: 1 } }, true),
      ],
      {
        unit: '×',
        scale: 'log',
        identity: [1, 1],
        summaries: [
          // Wider in plain difference (1.5 against 0.95) but narrower as a ratio (4 against 4.8).
          { ...summary('mean', 'dice', 'lv', [0.5, 2], { model: 0 }), identity: 1 },
          { ...summary('mean', 'dice', 'lv', [0.25, 1.2], { model: 1 }), identity: 1 },
        ],
      },
    );
    const models = ['alpha', 'beta'].map((label, index) => ({
      index,
      label,
      path: `${label}.onnx`,
      sha256: 'f'.repeat(64),
      classNames: [],
      card: {},
    }));
    const table = toleranceTable(run([rotate, brightness], { models }), 'dice');
    assert.deepEqual(
      table.map((r) => [r.series, r.className]),
      [
        ['rotate', 'lv'],
        ['rotate', 'myo'],
        ['brightness', 'lv'],
        ['brightness', 'myo'],
      ],
    );
    const cells = (i: number) => table[i].cells.map((c) => [c.text, c.best]);
    // lv: 45° wide against 40° (the group's interval is not the pooled one).
    assert.deepEqual(cells(0), [
      ['\u221220° … +25°', true],
      ['\u221230° … +10°', false],
    ]);
    // myo: model 0 has no pooled interval (its input 0's does not count).
    assert.deepEqual(cells(1), [
      ['none', false],
      ['\u22125° … +5°', true],
    ]);
    assert.deepEqual(cells(2), [
      ['0.5 × … 2 ×', false],
      ['0.25 × … 1.2 ×', true],
    ]);
    assert.deepEqual(cells(3), [
      ['—', false],
      ['—', false],
    ]);
    assert.equal(formatInterval([0, 0], '°', true), '0° only');
  });

  it('takes the single input’s interval when a model ran on one input, and reads a real two-model run', () => {
    const results = realRun('dataset');
    const table = toleranceTable(results, 'dice');
    assert.equal(table.length, results.series.length * (results.classes.length - 1));
    for (const r of table) {
      for (const cell of r.cells) {
        const pooled = results.series[r.seriesIndex].summaries.find(
          (x) =>
            x.model === cell.model &&
            x.input === 'mean' &&
            x.group === undefined &&
            x.metric === 'dice' &&
            x.className === r.className,
        )!;
        assert.deepEqual(cell.interval, pooled.tolerance);
      }
      assert.ok(r.cells.some((c) => c.best));
    }
    const single = realRun('one-input');
    const one = toleranceTable(single, 'dice');
    assert.deepEqual(
      one[0].cells[0].interval,
      single.series[0].summaries.find((x) => x.input === 0 && x.metric === 'dice' && x.className === one[0].className)!
        .tolerance,
    );
  });
});

describe('webview input ranking', () => {
  it('lists a model’s inputs worst first by mean nAUC over series and foreground classes, narrowed to a group', () => {
    const nauc = (input: number, className: string, value: number, model = 0) => ({
      ...summary(input, 'dice', className, [0, 0], { model }),
      nauc: value,
    });
    const results = run(
      [
        series('rotate', [], {
          summaries: [
            nauc(0, 'lv', 0.9),
            nauc(0, 'myo', 0.7),
            nauc(1, 'lv', 0.6),
            nauc(1, 'myo', 0.9),
            nauc(2, 'lv', 0.95),
            nauc(0, 'background', 0.1),
            nauc(2, 'lv', 0.1, 1),
          ],
        }),
        series('zoom', [], {
          summaries: [
            nauc(0, 'lv', 0.8),
            nauc(1, 'lv', 0.99),
            nauc(2, 'myo', 0.85),
            { ...summary('mean', 'dice', 'lv', null), nauc: 0 },
          ],
        }),
      ],
      {
        inputs: [0, 1, 2].map((input) => ({
          input,
          entry: input,
          label: `case${input}`,
          imagePath: `case${input}.png`,
          pseudoTruth: false,
          group: input === 1 ? 'b' : 'a',
        })),
      },
    );
    // Means written out: input 0 (0.9 + 0.7 + 0.8) / 3 = 0.8; input 1 (0.6 + 0.9 + 0.99) / 3 = 0.83; input 2 (0.95 + 0.85) / 2 = 0.9.
    const ranked = rankedInputs(results, { model: 0, metric: 'dice', group: null });
    assert.deepEqual(
      ranked.map((r) => r.input),
      [0, 1, 2],
    );
    close(ranked[1].score, (0.6 + 0.9 + 0.99) / 3, 'input 1 score');
    assert.deepEqual(
      ranked.map((r) => r.scoreText),
      ['0.800', '0.830', '0.900'],
    );
    assert.deepEqual(
      ranked.map((r) => r.label),
      ['case0', 'case1', 'case2'],
    );
    assert.deepEqual(
      rankedInputs(results, { model: 0, metric: 'dice', group: 'a' }).map((r) => r.input),
      [0, 2],
    );
    assert.deepEqual(
      rankedInputs(results, { model: 1, metric: 'dice', group: null }).map((r) => r.input),
      [2],
    );
  });

  it('ranks the real run’s inputs by scores recomputed from its summaries', () => {
    const results = realRun('dataset');
    for (const model of [0, 1]) {
      const ranked = rankedInputs(results, { model, metric: 'dice', group: null });
      assert.deepEqual([...ranked.map((r) => r.input)].sort(), inputsWithRows(results, model));
      const expected = ranked.map((r) => {
        const naucs = results.series
          .flatMap((s) => s.summaries)
          .filter(
            (x) =>
              x.model === model &&
              x.input === r.input &&
              x.metric === 'dice' &&
              x.className !== 'background' &&
              x.nauc !== null,
          )
          .map((x) => x.nauc!);
        return mean(naucs);
      });
      ranked.forEach((r, i) => close(r.score, expected[i], `input ${r.input}`));
      for (let i = 1; i < expected.length; i++)
        assert.ok(expected[i - 1] <= expected[i], 'worst (lowest Dice nAUC) first');
    }
  });
});

describe('webview dataset facts and view state', () => {
  it('counts inputs, groups and problems (a run’s list and inputs that failed on their own)', () => {
    const results = realRun('dataset');
    const facts = datasetFacts(results);
    assert.deepEqual([facts.inputs, facts.usable, facts.groups], [4, 4, ['inferior', 'superior']]);
    assert.equal(facts.problems.length, 1);
    assert.equal(facts.problems[0].action, 'skipped');
    assert.match(facts.problems[0].file, /colin27_z075_image/);

    const failed = run([series('rotate', [row(0, 0, { dice: { background: 1, lv: 1, myo: 1 } }, true)])], {
      inputs: [
        { input: 0, entry: 0, label: 'a.png', imagePath: 'a.png', pseudoTruth: false },
        {
          input: 1,
          entry: 1,
          label: 'b.nii.gz',
          imagePath: 'b.nii.gz',
          pseudoTruth: false,
          problem: 'not a NIfTI file',
        },
      ],
      problems: [{ file: 'c.png', problem: 'mask missing', action: 'pseudo-truth', input: 2 }],
    });
    const f = datasetFacts(failed);
    assert.deepEqual([f.inputs, f.usable, f.groups], [2, 1, []]);
    assert.deepEqual(
      f.problems.map((p) => [p.file, p.action]),
      [
        ['c.png', 'pseudo-truth'],
        ['b.nii.gz', 'skipped'],
      ],
    );
    assert.deepEqual(groupsOf(results), ['inferior', 'superior']);
  });

  it('keeps a saved model, group and picked input only when this run has them', () => {
    const results = realRun('dataset');
    const good = reconcileViewState(results, { model: 1, group: 'superior', focusInput: 3 });
    assert.deepEqual([good.model, good.group, good.focusInput], [1, 'superior', 3]);
    const bad = reconcileViewState(results, { model: 2, group: 'elsewhere', focusInput: 4 });
    assert.deepEqual([bad.model, bad.group, bad.focusInput], [0, null, null]);
  });
});
