/**
 * Series summaries with several models and groups of inputs: every mean summary must equal the
 * curve summary of a mean curve built here by hand from the rows.
 */
import * as assert from 'node:assert/strict';
import type { MetricName } from '../../../src/engine/metrics/types';
import { summarizeCurve, type CurvePoint, type CurveSummary } from '../../../src/engine/sweep/analysis/curve';
import {
  summarizeSeries,
  type SeriesSummary,
  type SummaryBaseline,
  type SummaryContext,
  type SummaryRow,
} from '../../../src/engine/sweep/analysis/seriesSummary';

const VALUES = [-20, -10, 0, 10, 20];
const GROUPS = ['A', 'A', 'B', 'B', undefined];
const classes = ['background', 'tumor'];
const metrics: MetricName[] = ['dice', 'hd95'];
const info = { name: 'rotate', unit: '°', scale: 'linear' as const, identity: [0, 0, 0, 0, 0] };

/** Made-up but distinct curves: Dice falls and HD95 grows with |v|, differently per model and input. */
function scores(model: number, input: number, value: number): SummaryRow['metrics'] {
  const drop = (0.004 + 0.002 * input + 0.003 * model) * Math.abs(value);
  const tumorDice = model === 1 && input === 2 && value === 10 ? null : 0.9 - 0.04 * input - 0.05 * model - drop;
  return {
    dice: { background: 0.99 - drop / 10, tumor: tumorDice },
    hd95: { background: 1 + drop, tumor: 2 + input + 10 * drop },
  };
}

const rows: SummaryRow[] = [];
const baselines: SummaryBaseline[] = [];
for (const model of [0, 1]) {
  for (let input = 0; input < GROUPS.length; input++) {
    // Model 0 never reached value 20 on input 3 (cancelled): group B's mean curve stops at 10.
    for (const value of VALUES.filter((v) => !(model === 0 && input === 3 && v === 20))) {
      rows.push({ model, input, value, metrics: scores(model, input, value) });
    }
    // Model 1 has no baseline for input 4: it is left out of model 1's summaries.
    if (!(model === 1 && input === 4)) baselines.push({ model, input, metrics: scores(model, input, 0) });
  }
}

const context: SummaryContext = {
  classes,
  metrics,
  tau: 0.9,
  modelCount: 2,
  modelLabels: ['unet', 'nnunet'],
  groupOf: (input) => GROUPS[input],
};

/** The mean curve over `inputs`, written out plainly: values every input has, nulls skipped. */
function handMeanCurve(model: number, inputs: number[], metric: MetricName, className: string): CurvePoint[] {
  const curve: CurvePoint[] = [];
  for (const value of VALUES) {
    const at = inputs.map((input) => rows.find((r) => r.model === model && r.input === input && r.value === value));
    if (at.some((row) => row === undefined)) continue;
    const defined = at.map((row) => row!.metrics[metric]![className]).filter((v): v is number => v !== null);
    curve.push({ value, metric: defined.length > 0 ? defined.reduce((a, b) => a + b, 0) / defined.length : null });
  }
  return curve;
}

function handBaseline(model: number, inputs: number[], metric: MetricName, className: string): number {
  const values = inputs.map(
    (input) => baselines.find((b) => b.model === model && b.input === input)!.metrics[metric]![className]!,
  );
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function curvePart(summary: SeriesSummary): CurveSummary {
  const { identity, baseline, tau, higherIsBetter, threshold, tolerance, breakdown, nauc, skipped } = summary;
  return { identity, baseline, tau, higherIsBetter, threshold, tolerance, breakdown, nauc, skipped };
}

describe('summarizeSeries with models and groups', () => {
  const summaries = summarizeSeries(info, rows, baselines, context);
  const find = (model: number, input: number | 'mean', metric: MetricName, className: string, group?: string) =>
    summaries.find(
      (s) =>
        s.model === model && s.input === input && s.metric === metric && s.className === className && s.group === group,
    );

  it('summarises every input with a baseline, the mean of all, and the mean of each group, per model', () => {
    const subjects = (model: number) =>
      summaries
        .filter((s) => s.model === model && s.metric === 'dice' && s.className === 'tumor')
        .map((s) => `${s.input}${s.group ? `/${s.group}` : ''}`);
    assert.deepEqual(subjects(0), ['0', '1', '2', '3', '4', 'mean', 'mean/A', 'mean/B']);
    assert.deepEqual(subjects(1), ['0', '1', '2', '3', 'mean', 'mean/A', 'mean/B']);
    assert.equal(summaries.length, 2 * 2 * (8 + 7));
  });

  it('gives each group and the pooled mean the summary of the hand-built mean curve of its inputs', () => {
    const inputsOf = { 0: [0, 1, 2, 3, 4], 1: [0, 1, 2, 3] } as Record<number, number[]>;
    for (const model of [0, 1]) {
      for (const group of [undefined, 'A', 'B']) {
        const inputs = inputsOf[model].filter((i) => group === undefined || GROUPS[i] === group);
        for (const metric of metrics) {
          for (const className of classes) {
            const expected = summarizeCurve(handMeanCurve(model, inputs, metric, className), {
              identity: 0,
              baseline: handBaseline(model, inputs, metric, className),
              tau: 0.9,
              higherIsBetter: metric === 'dice',
            });
            const actual = find(model, 'mean', metric, className, group);
            assert.ok(actual, `missing mean ${model}/${group}/${metric}/${className}`);
            assert.deepEqual(curvePart(actual), expected, `${model}/${group ?? 'all'}/${metric}/${className}`);
          }
        }
      }
    }
    // The fixture exercises what it should: group B's curve of model 0 stops where input 3 does, groups differ.
    assert.deepEqual(
      handMeanCurve(0, [2, 3], 'dice', 'tumor').map((p) => p.value),
      [-20, -10, 0, 10],
    );
    assert.notEqual(find(0, 'mean', 'dice', 'tumor', 'A')!.nauc, find(0, 'mean', 'dice', 'tumor', 'B')!.nauc);
    assert.deepEqual(find(1, 'mean', 'dice', 'tumor', 'B')!.skipped, []);
  });

  it('summarises each input on its own curve and baseline', () => {
    const own = (model: number, input: number): CurvePoint[] =>
      rows
        .filter((r) => r.model === model && r.input === input)
        .map((r) => ({ value: r.value, metric: r.metrics.dice!.tumor }));
    const expected = summarizeCurve(own(1, 2), { identity: 0, baseline: scores(1, 2, 0).dice!.tumor, tau: 0.9 });
    assert.deepEqual(curvePart(find(1, 2, 'dice', 'tumor')!), expected);
    assert.deepEqual(expected.skipped, [10]);
  });

  it('marks as headline, per model, the pooled mean of the first metric for the foreground classes', () => {
    const headlines = summaries
      .filter((s) => s.headline)
      .map((s) => [s.model, s.input, s.group, s.metric, s.className]);
    assert.deepEqual(headlines, [
      [0, 'mean', undefined, 'dice', 'tumor'],
      [1, 'mean', undefined, 'dice', 'tumor'],
    ]);
  });

  it('names the model and the group in the sentence', () => {
    assert.match(
      find(1, 'mean', 'dice', 'tumor', 'B')!.sentence,
      /^tumor \(nnunet, mean of 2 inputs in group B\): Dice ≥ 90% of baseline for rotate /,
    );
    assert.match(
      find(0, 'mean', 'hd95', 'tumor')!.sentence,
      /^tumor \(unet, mean of 5 inputs\): HD95 ≤ 111% of baseline/,
    );
    assert.match(find(0, 3, 'dice', 'background')!.sentence, /^background \(unet, input 3\): Dice/);
    const unlabeled = summarizeSeries(info, rows, baselines, { ...context, modelLabels: undefined });
    assert.match(
      unlabeled.find((s) => s.model === 1 && s.input === 0)!.sentence,
      /^background \(model 1, input 0\): Dice/,
    );
  });
});

describe('summarizeSeries with one model', () => {
  const oneModel = rows.filter((r) => r.model === 0);
  const single: SummaryContext = { classes, metrics: ['dice'], tau: 0.9, modelCount: 1, groupOf: () => undefined };

  it('keeps the plain sentence and the per-input headline for one input', () => {
    const summaries = summarizeSeries(
      info,
      oneModel.filter((r) => r.input === 0),
      baselines,
      single,
    );
    assert.deepEqual(
      summaries.map((s) => [s.input, s.className, s.headline]),
      [
        [0, 'background', false],
        [0, 'tumor', true],
      ],
    );
    assert.match(summaries[1].sentence, /^tumor: Dice/);
    assert.ok(summaries.every((s) => s.model === 0 && !('group' in s)));
  });

  it('makes no group summaries without groups, and no mean where identities differ (input-size-dependent sweeps)', () => {
    const summaries = summarizeSeries(info, oneModel, baselines, single);
    assert.ok(summaries.every((s) => s.group === undefined));
    assert.equal(summaries.filter((s) => s.input === 'mean').length, 2);
    assert.match(summaries.find((s) => s.input === 'mean')!.sentence, /^background \(mean of 5 inputs\): Dice/);

    const resized = { ...info, identity: [0, 0, 0, 5, 5] };
    const grouped = summarizeSeries(resized, oneModel, baselines, { ...single, groupOf: (input) => GROUPS[input] });
    const means = grouped.filter((s) => s.input === 'mean').map((s) => s.group);
    assert.deepEqual(means, ['A', 'A'], 'group A shares identity 0; all inputs and group B do not');
  });

  it('summarises a group with a single input as a mean over one input', () => {
    const summaries = summarizeSeries(
      info,
      oneModel.filter((r) => r.input === 4 || r.input === 0),
      baselines,
      {
        ...single,
        groupOf: (input) => (input === 0 ? 'A' : undefined),
      },
    );
    const groupMean = summaries.find((s) => s.group === 'A' && s.className === 'tumor')!;
    assert.deepEqual(curvePart(groupMean), curvePart(summaries.find((s) => s.input === 0 && s.className === 'tumor')!));
    assert.match(groupMean.sentence, /^tumor \(mean of 1 input in group A\)/);
    assert.equal(groupMean.headline, false);
  });
});
