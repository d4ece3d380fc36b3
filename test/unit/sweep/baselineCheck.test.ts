/**
 * Baseline sanity on hand-made rows: which classes fail at baseline (per input and pooled, with
 * pseudo-truth and absent classes left out), what their summaries then say, the convention hint
 * of spatial series, and results.json written and read with the checks.
 */
import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import RESULTS_SCHEMA from '../../../schemas/results.schema.json';
import { validateJson } from '../../../src/engine/json';
import { resultsFromJson, resultsToJson, type ResultsInput, type ResultsRow } from '../../../src/engine/report/results';
import { assembleSeries } from '../../../src/engine/report/assemble';
import {
  BASELINE_DICE_MIN,
  CONVENTION_DICE_MARGIN,
  checksToShow,
  findBaselineChecks,
  type CheckBaseline,
  type CheckSeries,
} from '../../../src/engine/sweep/analysis/baselineCheck';
import type { RunSeriesInfo } from '../../../src/engine/sweep/rows';

const classes = ['background', 'organ', 'tumor'];
const FIXTURE = join(import.meta.dirname, '..', '..', 'report', 'fixtures', 'baseline', 'results.json');

function input(index: number, extra: Partial<ResultsInput> = {}): ResultsInput {
  return {
    input: index,
    entry: index,
    label: `case${index}`,
    imagePath: `img${index}.png`,
    maskPath: `mask${index}.png`,
    pseudoTruth: false,
    ...extra,
  };
}

function dice(organ: number, tumor: number): ResultsRow['metrics'] {
  return { dice: { background: 0.99, organ, tumor } };
}

/** Rows of one series that fall off linearly with |v| from the baselines. */
function rowsFor(
  series: string,
  baselines: readonly CheckBaseline[],
  values: readonly number[],
  drop = 0.001,
): ResultsRow[] {
  return baselines.flatMap((b) =>
    values.map((value): ResultsRow => {
      const d = b.metrics.dice!;
      const down = (x: number | null) => (x === null ? null : Math.max(0, x - drop * Math.abs(value)));
      return {
        model: b.model,
        input: b.input,
        value,
        baseline: value === 0,
        metrics: { dice: { background: d.background, organ: down(d.organ), tumor: down(d.tumor) } },
        empty: value === 0 ? b.empty : [],
      };
    }),
  );
}

function seriesInfo(name: string, kind: 'spatial' | 'intensity', inputs: number, values: number[]): RunSeriesInfo {
  return {
    name,
    transform: name,
    options: {},
    unit: name === 'rotate' ? '°' : '',
    scale: 'linear',
    kind,
    values: Array.from({ length: inputs }, () => values),
    identity: Array.from({ length: inputs }, () => 0),
  };
}

describe('baseline sanity: classes that fail at baseline', () => {
  // Input 0: the tumor fails (0.10). Input 1: the truth has no tumor; a spurious prediction scores 0,
  // which says nothing about the tumor. Input 2: pseudo-truth, never judged (its 0.2 is made up).
  const inputs = [input(0), input(1), input(2, { pseudoTruth: true, maskPath: undefined })];
  const baselines: CheckBaseline[] = [
    { model: 0, input: 0, metrics: dice(0.9, 0.1), empty: [], inTruth: classes },
    { model: 0, input: 1, metrics: dice(0.8, 0), empty: [], inTruth: ['background', 'organ'] },
    { model: 0, input: 2, metrics: dice(0.3, 0.2), empty: [], inTruth: classes },
  ];
  const values = [-20, -10, 0, 10, 20];
  const assembled = assembleSeries(
    {
      inputs,
      series: [seriesInfo('rotate', 'spatial', 3, values)],
      rowsBySeries: new Map([['rotate', rowsFor('rotate', baselines, values)]]),
      baselines: baselines.map((b) => ({ ...b })),
      problems: [],
    },
    { classes, metrics: ['dice'], tau: 0.9, modelLabels: ['unet'] },
  );
  const fails = assembled.baselineChecks.filter((c) => c.kind === 'fails-at-baseline');

  it('flags the class on the input where the truth has it, and pooled over those inputs only', () => {
    assert.deepEqual(
      fails.map((c) => [c.input, c.className, c.dice, c.kind === 'fails-at-baseline' ? c.inputs : null]),
      [
        ['mean', 'tumor', 0.1, [0]],
        [0, 'tumor', 0.1, [0]],
      ],
    );
    assert.match(fails[0].message, /^tumor \(mean of 1 input with it in the truth\) fails at baseline \(Dice 0\.10\)/);
    assert.match(fails[1].message, /^tumor \(input 0\) fails at baseline \(Dice 0\.10\)/);
  });

  it('never flags a pseudo-truth input, even with a low baseline', () => {
    assert.ok(!fails.some((c) => c.input === 2), 'input 2 has no mask');
    assert.ok(
      !fails.some((c) => c.className === 'organ'),
      'organ: 0.9 and 0.8 where judged; the 0.3 of input 2 is pseudo-truth',
    );
  });

  it('gives a failing class no tolerance interval, breakdown or nAUC and says why', () => {
    const series = assembled.series[0];
    for (const subject of [0, 'mean'] as const) {
      const tumor = series.summaries.find((s) => s.input === subject && s.className === 'tumor')!;
      assert.deepEqual(
        [tumor.tolerance, tumor.breakdown, tumor.nauc, tumor.threshold],
        [null, { below: null, above: null }, null, null],
      );
      assert.deepEqual(tumor.failsAtBaseline, { dice: 0.1 });
      assert.match(tumor.sentence, /fails at baseline \(Dice 0\.10\); no tolerance computed$/);
      assert.doesNotMatch(tumor.sentence, /never breaks/);
    }
    // Input 1's tumor is not in its truth: its summary is an ordinary one (the rule is about failing where the class exists).
    const organ = series.summaries.find((s) => s.input === 'mean' && s.className === 'organ')!;
    assert.equal(organ.failsAtBaseline, undefined);
    assert.deepEqual(organ.tolerance, [-20, 20]);
    assert.match(organ.sentence, /never breaks within the sweep/);
  });

  it('puts the threshold at exactly 0.5: 0.5 passes, just below fails', () => {
    assert.equal(BASELINE_DICE_MIN, 0.5);
    const at = (tumor: number) =>
      findBaselineChecks(
        {
          inputs: [input(0)],
          baselines: [{ model: 0, input: 0, metrics: dice(0.9, tumor), empty: [], inTruth: classes }],
          classes,
          modelLabels: ['m'],
        },
        [],
      );
    assert.equal(at(0.5).length, 0);
    assert.deepEqual(
      at(0.4999).map((c) => c.kind === 'fails-at-baseline' && [c.input, c.className]),
      [[0, 'tumor']],
    );
  });

  it('works out presence in results that did not record it, and says when it assumed', () => {
    const old = (metrics: CheckBaseline['metrics'], empty: string[] = []) =>
      findBaselineChecks(
        { inputs: [input(0)], baselines: [{ model: 0, input: 0, metrics, empty }], classes, modelLabels: ['m'] },
        [],
      );
    // Dice > 0 needs truth voxels: present for sure.
    const overlapping = old(dice(0.9, 0.3))[0];
    assert.ok(overlapping.kind === 'fails-at-baseline' && overlapping.presenceAssumed === undefined);
    // Empty in both masks, or an undefined recall: absent.
    assert.equal(old(dice(0.9, 1), ['tumor']).length, 0);
    assert.equal(
      old({ dice: { background: 0.99, organ: 0.9, tumor: 0 }, recall: { background: 1, organ: 0.9, tumor: null } })
        .length,
      0,
    );
    // From the rows: an overlap at any step proves presence; Dice 1 with the class empty in both
    // masks proves nothing; empty in both at an intensity step (the truth unchanged) proves absence.
    const withRows = (kind: 'spatial' | 'intensity', step: { dice: number; empty: string[] }) => {
      const baselines: CheckBaseline[] = [{ model: 0, input: 0, metrics: dice(0.9, 0), empty: [] }];
      const rows = [
        { model: 0, input: 0, value: 2, baseline: false, metrics: dice(0.9, step.dice), empty: step.empty },
      ];
      const series: CheckSeries[] = [{ name: 's', transform: 's', kind, unit: '', identity: [0], rows }];
      return findBaselineChecks({ inputs: [input(0)], baselines, classes, modelLabels: ['m'], series }, []).map(
        (c) => c.kind === 'fails-at-baseline' && [c.className, c.presenceAssumed ?? false],
      );
    };
    assert.deepEqual(withRows('spatial', { dice: 0.2, empty: [] }), [['tumor', false]]);
    assert.deepEqual(withRows('spatial', { dice: 1, empty: ['tumor'] }), [['tumor', true]]);
    assert.deepEqual(withRows('intensity', { dice: 1, empty: ['tumor'] }), []);
    // Dice 0 and nothing else known: counted as present, and the message says so.
    const assumed = old(dice(0.9, 0));
    assert.equal(assumed.length, 1);
    assert.ok(assumed[0].kind === 'fails-at-baseline' && assumed[0].presenceAssumed);
    assert.match(assumed[0].message, /did not record which classes the truth has; counted as present/);
  });

  it('shows the pooled check and leaves out the per-input ones it stands for', () => {
    assert.deepEqual(
      checksToShow(assembled.baselineChecks).map((c) => c.input),
      ['mean'],
    );
  });
});

describe('baseline sanity: the convention hint', () => {
  const inputs = [input(0), input(1)];
  const baselines: CheckBaseline[] = [
    { model: 0, input: 0, metrics: dice(0.4, 0.3), empty: [], inTruth: classes },
    { model: 0, input: 1, metrics: dice(0.5, 0.2), empty: [], inTruth: classes },
  ];
  /** A dihedral-like sweep where value 3 scores `organ`/`tumor` on both inputs; the others as the identity. */
  function seriesWithBest(
    kind: 'spatial' | 'intensity',
    organ: number,
    tumor: number,
    empty: string[] = [],
  ): CheckSeries {
    const rows = baselines.flatMap((b) =>
      [0, 1, 2, 3].map((value) => ({
        model: 0,
        input: b.input,
        value,
        baseline: value === 0,
        metrics: value === 3 ? dice(organ, tumor) : b.metrics,
        empty: value === 3 ? empty : [],
      })),
    );
    return { name: 'dihedral', transform: 'dihedral', kind, unit: '', identity: [0, 0], rows };
  }
  const context = { inputs, baselines, classes, modelLabels: ['unet'] };
  // Identity: mean foreground Dice ((0.4 + 0.3)/2 + (0.5 + 0.2)/2)/2 = 0.35.

  it('fires when a spatial value beats the identity by more than the margin, pooled and per input', () => {
    const checks = findBaselineChecks(context, [seriesWithBest('spatial', 0.8, 0.7)]).filter(
      (c) => c.kind === 'convention',
    );
    assert.deepEqual(
      checks.map(
        (c) => c.kind === 'convention' && [c.input, c.value, Number(c.dice.toFixed(6)), Number(c.valueDice.toFixed(6))],
      ),
      [
        ['mean', 3, 0.35, 0.75],
        [0, 3, 0.35, 0.75],
        [1, 3, 0.35, 0.75],
      ],
    );
    assert.match(
      checks[0].message,
      /^dihedral 3 scores mean foreground Dice 0\.75 against 0\.35 untransformed \(mean of 2 inputs\): the input conventions \(orientation, flips, scaling\) probably differ/,
    );
    assert.match(checks[0].message, /misas fit <model> <image> --mask <mask>.*misas: Fit Check…/);
    assert.deepEqual(
      checksToShow(checks).map((c) => c.input),
      ['mean'],
    );
  });

  it('stays quiet at the margin, for intensity series, and when classes vanish from both masks', () => {
    assert.equal(CONVENTION_DICE_MARGIN, 0.2);
    // 0.35 + 0.2 = 0.55 exactly: not "more than".
    assert.equal(
      findBaselineChecks(context, [seriesWithBest('spatial', 0.6, 0.5)]).filter((c) => c.kind === 'convention').length,
      0,
    );
    assert.equal(
      findBaselineChecks(context, [seriesWithBest('intensity', 0.8, 0.7)]).filter((c) => c.kind === 'convention')
        .length,
      0,
    );
    // Zoomed so far that organ and tumor left the image and the model predicts none: Dice 1 by
    // convention, which says nothing about conventions.
    assert.equal(
      findBaselineChecks(context, [seriesWithBest('spatial', 1, 1, ['organ', 'tumor'])]).filter(
        (c) => c.kind === 'convention',
      ).length,
      0,
    );
  });

  it('ignores pseudo-truth inputs', () => {
    const pseudo = { ...context, inputs: inputs.map((i) => ({ ...i, pseudoTruth: true })) };
    assert.deepEqual(findBaselineChecks(pseudo, [seriesWithBest('spatial', 0.8, 0.7)]), []);
  });
});

describe('baseline checks in results.json', () => {
  it('the real fixture run (wrong card, transposed slice) has them, and they validate against the schema', async () => {
    const text = await readFile(FIXTURE, 'utf8');
    validateJson(RESULTS_SCHEMA, JSON.parse(text), 'results.json', 'results');
    const results = resultsFromJson(text);
    const checks = results.baselineChecks!;
    assert.ok(checks.length > 0);
    // Every fails-at-baseline check agrees with the baselines it was made from.
    for (const check of checks) {
      if (check.kind !== 'fails-at-baseline') continue;
      const values = check.inputs.map(
        (i) => results.baselines.find((b) => b.model === check.model && b.input === i)!.metrics.dice![check.className]!,
      );
      assert.ok(Math.abs(values.reduce((a, b) => a + b, 0) / values.length - check.dice) < 1e-12);
      assert.ok(check.dice < 0.5);
      for (const i of check.inputs)
        assert.ok(
          results.baselines.find((b) => b.model === check.model && b.input === i)!.inTruth!.includes(check.className),
        );
    }
  });

  it('derives them when reading results written before the check existed', async () => {
    const current = JSON.parse(await readFile(FIXTURE, 'utf8')) as Record<string, unknown>;
    const { baselineChecks, ...old } = current;
    const derived = resultsFromJson(JSON.stringify(old));
    assert.deepEqual(derived.baselineChecks, baselineChecks);
    // A format-1 run: the example model scores cerebellum 0 on slice z075 (input 1) although its
    // truth has cerebellum (Dice > 0 at brightness 2, which leaves the truth as it is).
    const v1 = resultsFromJson(
      await readFile(join(import.meta.dirname, '..', '..', 'report', 'fixtures', 'two-inputs', 'results.json'), 'utf8'),
    );
    const brightness = v1.series.find((s) => s.name === 'brightness')!;
    assert.ok(brightness.rows.some((r) => r.input === 1 && r.metrics.dice!.cerebellum! > 0));
    const z075 = v1.baselines.find((b) => b.input === 1)!.metrics.dice!.cerebellum!;
    const z065 = v1.baselines.find((b) => b.input === 0)!.metrics.dice!.cerebellum!;
    assert.deepEqual(
      v1.baselineChecks!.map(
        (c) => c.kind === 'fails-at-baseline' && [c.input, c.className, c.dice, c.presenceAssumed ?? false],
      ),
      [
        ['mean', 'cerebellum', (z065 + z075) / 2, false],
        [1, 'cerebellum', z075, false],
      ],
    );
  });

  it('old summaries of a failing class lose their interval when read', async () => {
    const current = JSON.parse(await readFile(FIXTURE, 'utf8')) as {
      baselineChecks?: unknown;
      series: Array<{ summaries: Array<Record<string, unknown>> }>;
    };
    delete current.baselineChecks;
    // As an older engine wrote it: an interval and no failsAtBaseline.
    const summary = current.series[0].summaries.find((s) => s.failsAtBaseline !== undefined && s.input === 'mean')!;
    delete summary.failsAtBaseline;
    Object.assign(summary, {
      tolerance: [0, 7],
      nauc: 0.9,
      threshold: 0.1,
      sentence: `${String(summary.className)} (unet, mean of 2 inputs): Dice ≥ 90% of baseline for dihedral 0…7; never breaks within the sweep`,
    });
    const read = resultsFromJson(JSON.stringify(current)).series[0].summaries.find(
      (s) => s.input === summary.input && s.className === summary.className && s.model === summary.model,
    )!;
    assert.equal(read.tolerance, null);
    assert.equal(read.nauc, null);
    assert.match(
      read.sentence,
      /^deep_gm \(unet, mean of 2 inputs\): fails at baseline \(Dice 0\.\d\d\); no tolerance computed$/,
    );
    assert.equal(
      resultsToJson(resultsFromJson(JSON.stringify(current))).includes('never breaks within the sweep; '),
      false,
    );
  });
});
