/**
 * Aggregates over inputs against numpy (tools/goldens/aggregate.py), the Infinity rules on a
 * hand-made column, and the input ranking on hand-made summaries.
 */
import * as assert from 'node:assert/strict';
import { assertAllClose, loadGoldens, type GoldenCase } from '../../helpers/goldens';
import type { MetricName } from '../../../src/engine/metrics/types';
import {
  aggregateSeries,
  describeValues,
  rankInputs,
  type AggregatePoint,
  type AggregateRow,
} from '../../../src/engine/sweep/analysis/aggregate';
import type { SeriesSummary } from '../../../src/engine/sweep/analysis/seriesSummary';

const STATISTICS = ['n', 'mean', 'sd', 'median', 'q1', 'q3', 'min', 'max'] as const;

describe('aggregateSeries against numpy', () => {
  const golden = loadGoldens('aggregate/aggregate.json');
  const table = golden.cases.table;
  const params = table.params as { groups: (string | null)[]; classes: string[]; metrics: MetricName[] };
  const column = (name: string): number[] => table.arrays[name].data;

  // Rows in a scrambled (but fixed) order: aggregates must not depend on it.
  const rows: AggregateRow[] = column('model').map((model, i) => {
    const metrics: AggregateRow['metrics'] = {};
    for (const metric of params.metrics) {
      metrics[metric] = Object.fromEntries(
        params.classes.map((className) => {
          const v = column(`${metric}/${className}`)[i];
          return [className, Number.isNaN(v) ? null : v];
        }),
      );
    }
    return { model, input: column('input')[i], value: column('value')[i], metrics };
  });
  const scrambled = rows
    .map((row, i) => ({ row, key: (i * 37) % rows.length }))
    .sort((a, b) => a.key - b.key)
    .map(({ row }) => row);

  const aggregates = aggregateSeries(scrambled, {
    classes: params.classes,
    metrics: params.metrics,
    modelCount: 2,
    groupOf: (input) => params.groups[input] ?? undefined,
  });
  const expected = Object.entries(golden.cases).filter(([name]) => name !== 'table');

  it('makes one aggregate per model, group (all inputs, then each group), metric and class', () => {
    const names = aggregates.map((a) => `m${a.model}/${a.group ?? '*'}/${a.metric}/${a.className}`);
    assert.deepEqual(
      names,
      expected.map(([name]) => name),
    );
    assert.ok(
      aggregates.filter((a) => a.group === undefined).every((a) => !('group' in a)),
      'no group key on the all-inputs aggregates',
    );
  });

  const field = (points: AggregatePoint[], name: (typeof STATISTICS)[number] | 'value'): number[] =>
    points.map((point) => point[name] ?? NaN);

  for (const [name, expectedCase] of expected) {
    it(`matches numpy for ${name}`, () => {
      const { model, group, metric, className } = expectedCase.params as {
        model: number;
        group: string | null;
        metric: MetricName;
        className: string;
      };
      const aggregate = aggregates.find(
        (a) => a.model === model && (a.group ?? null) === group && a.metric === metric && a.className === className,
      );
      assert.ok(aggregate, `no aggregate ${name}`);
      compare(aggregate.points, expectedCase, name);
    });
  }

  function compare(points: AggregatePoint[], expectedCase: GoldenCase, name: string): void {
    assert.deepEqual(field(points, 'value'), expectedCase.arrays.value.data, `${name}: values (sorted)`);
    for (const statistic of STATISTICS) {
      assertAllClose(field(points, statistic), expectedCase.arrays[statistic].data, {
        rtol: 1e-9,
        atol: 1e-12,
        label: `${name} ${statistic}`,
      });
    }
  }

  it('covers the cases that matter: n = 0, n = 1, Infinity, a value only one input has', () => {
    const all = aggregates.flatMap((a) => a.points);
    assert.ok(all.some((p) => p.n === 0 && p.mean === null && p.min === null));
    assert.ok(all.some((p) => p.n === 1 && p.sd === null && p.mean !== null));
    assert.ok(all.some((p) => p.mean === Infinity && p.sd === null && p.median !== null && Number.isFinite(p.median)));
    assert.ok(all.some((p) => p.q3 === Infinity));
    assert.ok(aggregates.some((a) => a.model === 1 && a.points.some((p) => p.value === 30 && p.n === 1)));
  });
});

describe('describeValues', () => {
  it('treats Infinity as numpy does for the mean and as the limit of the linear rule for percentiles', () => {
    // Sorted [1, 2, ∞]: ranks (n − 1)·q = 0.5, 1, 1.5 for q1, median, q3.
    const point = describeValues(5, [2, Infinity, null, 1, undefined]);
    assert.deepEqual(point, {
      value: 5,
      n: 3,
      mean: Infinity,
      sd: null,
      median: 2,
      q1: 1.5,
      q3: Infinity,
      min: 1,
      max: Infinity,
    });
  });

  it('gives the sample SD (ddof = 1) and nothing but n for no values', () => {
    // [2, 4, 4, 4, 5, 5, 7, 9]: mean 5, squared deviations sum 32, SD = √(32/7).
    const point = describeValues(0, [2, 4, 4, 4, 5, 5, 7, 9]);
    assert.equal(point.mean, 5);
    assert.ok(Math.abs(point.sd! - Math.sqrt(32 / 7)) < 1e-15);
    assert.deepEqual([point.median, point.q1, point.q3], [4.5, 4, 5.5]);
    assert.deepEqual(describeValues(0, [null, undefined]), {
      value: 0,
      n: 0,
      mean: null,
      sd: null,
      median: null,
      q1: null,
      q3: null,
      min: null,
      max: null,
    });
  });
});

describe('aggregateSeries without groups', () => {
  it('makes only the all-inputs aggregate and skips absent metric entries', () => {
    const rows: AggregateRow[] = [
      { model: 0, input: 0, value: 1, metrics: { dice: { fg: 0.5 } } },
      { model: 0, input: 1, value: 1, metrics: { dice: { fg: 0.7 } } },
      { model: 0, input: 2, value: 1, metrics: {} },
      { model: 0, input: 0, value: 0, metrics: { dice: { fg: 0.9 } } },
    ];
    const aggregates = aggregateSeries(rows, {
      classes: ['fg'],
      metrics: ['dice'],
      modelCount: 1,
      groupOf: () => undefined,
    });
    assert.equal(aggregates.length, 1);
    assert.deepEqual(
      aggregates[0].points.map((p) => [p.value, p.n, p.min, p.max]),
      [
        [0, 1, 0.9, 0.9],
        [1, 2, 0.5, 0.7],
      ],
    );
  });
});

describe('rankInputs', () => {
  const summary = (
    model: number,
    input: number | 'mean',
    metric: MetricName,
    className: string,
    nauc: number | null,
  ): SeriesSummary => ({
    identity: 0,
    baseline: 1,
    tau: 0.9,
    higherIsBetter: metric === 'dice',
    threshold: 0.9,
    tolerance: [0, 0],
    breakdown: { below: null, above: null },
    nauc,
    skipped: [],
    model,
    input,
    metric,
    className,
    sentence: '',
    headline: false,
  });
  const classes = ['background', 'tumor', 'edema'];
  // Dice nAUC by series (rotate, noise) and class (tumor, edema); background must not count.
  const rotate = [
    summary(0, 0, 'dice', 'background', 0.1),
    summary(0, 0, 'dice', 'tumor', 0.9),
    summary(0, 0, 'dice', 'edema', 0.7),
    summary(0, 1, 'dice', 'tumor', 0.6),
    summary(0, 1, 'dice', 'edema', null),
    summary(0, 2, 'dice', 'tumor', 0.95),
    summary(0, 2, 'dice', 'edema', 0.85),
    summary(0, 3, 'dice', 'tumor', null),
    summary(0, 'mean', 'dice', 'tumor', 0.01),
    summary(1, 0, 'dice', 'tumor', 0.01),
    summary(0, 0, 'hd95', 'tumor', 1.4),
    summary(0, 1, 'hd95', 'tumor', 1.1),
    summary(0, 2, 'hd95', 'tumor', Infinity),
    summary(0, 3, 'hd95', 'tumor', 1.4),
  ];
  const noise = [
    summary(0, 0, 'dice', 'tumor', 0.5),
    summary(0, 2, 'dice', 'edema', 0.65),
    summary(0, 0, 'hd95', 'tumor', 2.0),
  ];

  it('scores an input by its mean foreground nAUC over series and sorts the lowest Dice first', () => {
    // Input 0: (0.9 + 0.7 + 0.5)/3 = 0.7; input 1: 0.6; input 2: (0.95 + 0.85 + 0.65)/3 ≈ 0.8167; input 3: none.
    const ranking = rankInputs([rotate, noise], { model: 0, metric: 'dice', classes });
    assert.deepEqual(
      ranking.map((r) => r.input),
      [1, 0, 2, 3],
    );
    assert.ok(Math.abs(ranking[1].score! - 0.7) < 1e-12);
    assert.ok(Math.abs(ranking[2].score! - 2.45 / 3) < 1e-12);
    assert.equal(ranking[3].score, null);
  });

  it('sorts the highest score first for lower-is-better metrics, Infinity worst, ties by input', () => {
    // Input 0: (1.4 + 2.0)/2 = 1.7; 1: 1.1; 2: ∞; 3: 1.4.
    const ranking = rankInputs([rotate, noise], { model: 0, metric: 'hd95', classes });
    assert.deepEqual(ranking, [
      { input: 2, score: Infinity },
      { input: 0, score: 1.7 },
      { input: 3, score: 1.4 },
      { input: 1, score: 1.1 },
    ]);
  });

  it('uses the only class when there is one, and only the asked model', () => {
    const ranking = rankInputs(
      [[summary(1, 4, 'dice', 'tumor', 0.3), summary(1, 2, 'dice', 'tumor', 0.3), summary(0, 9, 'dice', 'tumor', 0)]],
      {
        model: 1,
        metric: 'dice',
        classes: ['tumor'],
      },
    );
    assert.deepEqual(ranking, [
      { input: 2, score: 0.3 },
      { input: 4, score: 0.3 },
    ]);
  });
});
