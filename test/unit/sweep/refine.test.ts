/**
 * Adaptive refinement on synthetic curves: the loop a runner does (evaluate, ask for the next
 * values, evaluate them, …) is played here against known functions, so where each crossing must
 * end up and how many evaluations it may take are worked out by hand.
 */
import * as assert from 'node:assert/strict';
import { summarizeCurve } from '../../../src/engine/sweep/analysis/curve';
import { meanCurve, summarizeSeries, type SummaryRow } from '../../../src/engine/sweep/analysis/seriesSummary';
import { sharedRefinementValues, type MeanRefinementInput } from '../../../src/engine/sweep/analysis/refineMean';
import {
  bracketMidpoint,
  crossingBrackets,
  nextRefinementValues,
  type RefinementCurve,
} from '../../../src/engine/sweep/analysis/refine';

interface Curve {
  metric: (value: number) => number | null;
  baseline: number;
  higherIsBetter?: boolean;
}

/** Refines `start` until nothing is left; returns every value evaluated and the number of refinement evaluations. */
function refineLoop(start: readonly number[], curves: readonly Curve[], resolution: number, tau = 0.9) {
  const values = [...start];
  let calls = 0;
  let rounds = 0;
  for (;;) {
    const asked: RefinementCurve[] = curves.map((c) => ({
      points: values.map((value) => ({ value, metric: c.metric(value), refined: !start.includes(value) })),
      baseline: c.baseline,
      higherIsBetter: c.higherIsBetter ?? true,
      identity: 0,
    }));
    const next = nextRefinementValues(asked, { tau, resolution });
    if (next.length === 0) break;
    for (const value of next) assert.ok(!values.includes(value), `${value} asked twice`);
    values.push(...next);
    calls += next.length;
    rounds++;
    assert.ok(rounds < 100, 'refinement does not end');
  }
  return { values: values.sort((a, b) => a - b), calls };
}

const grid = (start: number, stop: number, step: number) =>
  Array.from({ length: Math.round((stop - start) / step) + 1 }, (_, i) => start + i * step);

/** A Dice that falls linearly from 1 at 0 to 0 at ±100: τ = 0.9 is crossed at ±10 exactly. */
const tent = (value: number) => Math.max(0, 1 - Math.abs(value) / 100);

function toleranceOf(values: readonly number[], curve: Curve) {
  return summarizeCurve(
    values.map((value) => ({ value, metric: curve.metric(value) })),
    { identity: 0, baseline: curve.baseline, higherIsBetter: curve.higherIsBetter ?? true },
  ).tolerance;
}

describe('adaptive refinement (sweep/analysis/refine.ts)', () => {
  it('finds a crossing on both sides of the identity to the resolution, on whole values of the grid', () => {
    // A step: Dice 1 for |v| ≤ 10, 0.5 beyond. Coarse 15°: tolerated at 0, not at ±15.
    const step = { metric: (v: number) => (Math.abs(v) <= 10 ? 1 : 0.5), baseline: 1 };
    const { values, calls } = refineLoop(grid(-45, 45, 15), [step], 1);
    assert.deepEqual(toleranceOf(values, step), [-10, 10]);
    assert.deepEqual(toleranceOf(grid(-45, 45, 1), step), [-10, 10], 'as the dense 1° sweep');
    // Right: 0…15 → 8 (1) → 8…15 → 12 (0.5) → 8…12 → 10 (1) → 10…12 → 11 (0.5): the breaking point.
    // The tolerated rest of the breaking step, 0…10, is then swept at 1° (a dip there would end the
    // interval earlier): 1…9. Left likewise: −7, −11, −9, −10, then −1…−8.
    assert.equal(calls, 23);
    assert.deepEqual(
      values.filter((v) => !grid(-45, 45, 15).includes(v)),
      [...grid(-11, -1, 1), ...grid(1, 12, 1)],
    );
  });

  it('finds the edge of a gradual curve like the dense sweep, with a fraction of its evaluations', () => {
    // Dice falls linearly, 0.9 at ±10: points near the threshold also get their inner brackets split.
    const curve = { metric: tent, baseline: 1 };
    const { values, calls } = refineLoop(grid(-45, 45, 15), [curve], 1);
    assert.deepEqual(toleranceOf(values, curve), [-10, 10]);
    assert.deepEqual(toleranceOf(grid(-45, 45, 1), curve), [-10, 10]);
    assert.ok(values.every(Number.isInteger), `values ${values} are on the 1° grid`);
    assert.ok(calls <= 0.4 * (91 - 7), `${calls} evaluations, the dense sweep adds 84`);
  });

  it('does not refine where nothing crosses or comes near the threshold, nor beyond the breaking points', () => {
    const flat = { metric: () => 0.97, baseline: 1 };
    assert.equal(refineLoop(grid(-180, 180, 15), [flat], 1).calls, 0);
    // A curve that dips to 0.97: more than 0.05 × D0 above the threshold 0.9 everywhere.
    const dip = { metric: (v: number) => 0.985 + 0.015 * Math.cos((v * Math.PI) / 90), baseline: 1 };
    assert.equal(refineLoop(grid(-180, 180, 15), [dip], 1).calls, 0);
    // Tolerated again on 20…50 (e.g. a symmetric structure): that crossing is past the breaking point at 15.
    const window = { metric: (v: number) => (Math.abs(v) <= 10 || (v >= 20 && v <= 50) ? 1 : 0.5), baseline: 1 };
    const { values } = refineLoop(grid(-30, 60, 15), [window], 1);
    assert.ok(
      values.every((v) => Math.abs(v) <= 15 || v % 15 === 0),
      `no value refined beyond ±15: ${values}`,
    );
  });

  it('finds a dip in the breaking step that bisection walks past (a class absent from the truth: Dice 1 → 0 → 1)', () => {
    // As the example's z085 cerebellum: Dice 1, but 0 at −20 alone and from −24 on. Bisecting −30…−15 visits −22
    // (1), −26, −24 (0), −23 (1) and stops at −23; the dip at −20 is found by sweeping the rest of the step, −22…−16.
    const metric = (v: number) => (v === -20 || v <= -24 ? 0 : 1);
    const curve = { metric, baseline: 1 };
    const { values } = refineLoop(grid(-30, 0, 15), [curve], 1);
    assert.deepEqual(toleranceOf(grid(-30, 0, 1), curve), [-19, 0], 'the dense sweep');
    assert.deepEqual(toleranceOf(values, curve), [-19, 0]);
    // Nothing beyond the dip's breaking point is needed once it is found, and nothing between 0 and −15.
    assert.ok(
      values.every((v) => v % 15 === 0 || (v > -30 && v < -15)),
      `values ${values}`,
    );
  });

  it('refines the breaking points of several classes, each to the resolution', () => {
    // Class a breaks at ±10 (a step), class b at ±20; each edge bracket ends no wider than 1.
    const a = { metric: (v: number) => (Math.abs(v) <= 10 ? 1 : 0.5), baseline: 1 };
    const b = { metric: (v: number) => (Math.abs(v) <= 20 ? 1 : 0.5), baseline: 1 };
    const { values, calls } = refineLoop(grid(-45, 45, 15), [a, b], 1);
    assert.deepEqual(toleranceOf(values, a), [-10, 10]);
    assert.deepEqual(toleranceOf(values, b), [-20, 20]);
    for (const edge of [-21, -20, -11, -10, 10, 11, 20, 21]) assert.ok(values.includes(edge), `${edge} in ${values}`);
    for (const metric of [a.metric, b.metric]) {
      const brackets = crossingBrackets(
        {
          points: values.map((value) => ({ value, metric: metric(value) })),
          baseline: 1,
          higherIsBetter: true,
          identity: 0,
        },
        0.9,
      );
      assert.ok(brackets.length > 0 && brackets.every(([lo, hi]) => hi - lo <= 1), `brackets ${brackets}`);
    }
    // Per side: a's breaking step 0…15 and b's 15…30, each swept at 1° on its tolerated side (≤ 14 values each)
    // plus the bisection past the edge; nothing on 30…45. The dense sweep adds 84.
    assert.ok(calls <= 2 * (14 + 14) + 4, `${calls} evaluations`);
    assert.ok(
      values.every((v) => Math.abs(v) < 30 || v % 15 === 0),
      `nothing refined beyond ±30: ${values}`,
    );
  });

  it('refines lower-is-better metrics against D0/τ and leaves out null points', () => {
    // HD95 grows as 2 + |v|/10 from D0 = 2: tolerated while ≤ 2/0.9 = 2.222…, i.e. |v| ≤ 2.22.
    const hd95 = {
      metric: (v: number) => (v === 30 ? null : 2 + Math.abs(v) / 10),
      baseline: 2,
      higherIsBetter: false,
    };
    const { values } = refineLoop(grid(-30, 30, 10), [hd95], 0.5);
    const tolerance = toleranceOf(values, hd95)!;
    assert.ok(Math.abs(tolerance[0] + 20 / 9) <= 0.5 && Math.abs(tolerance[1] - 20 / 9) <= 0.5, `${tolerance}`);
    assert.ok(
      values.every((v) => Number.isInteger(v * 2)),
      'values on the 0.5 grid',
    );
  });

  it('does not refine a curve without a usable baseline', () => {
    const points = grid(-30, 30, 15).map((value) => ({ value, metric: tent(value) }));
    for (const baseline of [null, NaN, Infinity, 0])
      assert.deepEqual(
        nextRefinementValues([{ points, baseline, higherIsBetter: true, identity: 0 }], { tau: 0.9, resolution: 1 }),
        [],
      );
  });

  it("snaps midpoints to the resolution from the bracket's lower end and stops where no value fits", () => {
    assert.equal(bracketMidpoint(0, 15, 1), 8);
    assert.equal(bracketMidpoint(-15, 0, 1), -7);
    assert.equal(bracketMidpoint(0.25, 0.5, 0.1), 0.35);
    assert.equal(bracketMidpoint(0.3, 0.4, 0.1), undefined);
    assert.equal(bracketMidpoint(0, 1.5, 1), 1);
    assert.throws(() => nextRefinementValues([], { tau: 0.9, resolution: 0 }), /resolution must be > 0/);
  });

  it('mean curves take only values every input evaluated: the mean at a refined value is exact, never interpolated', () => {
    const dice = (fg: number) => ({ dice: { background: 1, fg } });
    const coarse: Array<[number, number, number]> = [
      [-15, 0.5, 0.7],
      [0, 1, 1],
      [15, 0.5, 0.7],
    ];
    const rows: SummaryRow[] = [
      ...coarse.flatMap(([value, a, b]) => [
        { model: 0, input: 0, value, metrics: dice(a) },
        { model: 0, input: 1, value, metrics: dice(b) },
      ]),
      { model: 0, input: 0, value: 8, metrics: dice(0.97), refined: true },
    ];
    assert.deepEqual(
      meanCurve(rows, [0, 1], 'dice', 'fg').map((p) => p.value),
      [-15, 0, 15],
      '8 is left out: input 1 has no value there',
    );
    // Once input 1 has evaluated 8 too (0.9), the mean there is (0.97 + 0.9) / 2 = 0.935, marked refined.
    const shared = [...rows, { model: 0, input: 1, value: 8, metrics: dice(0.9), refined: true as const }];
    const at8 = meanCurve(shared, [0, 1], 'dice', 'fg').find((p) => p.value === 8)!;
    assert.ok(Math.abs(at8.metric! - 0.935) < 1e-12 && at8.refined, JSON.stringify(at8));
    const baselines = [0, 1].map((input) => ({ model: 0, input, metrics: dice(1) }));
    const summaries = summarizeSeries(
      { name: 'rotate', unit: '°', scale: 'linear', identity: [0, 0] },
      shared,
      baselines,
      {
        classes: ['background', 'fg'],
        metrics: ['dice'],
        tau: 0.9,
        modelCount: 1,
        groupOf: () => undefined,
      },
    );
    assert.deepEqual(summaries.find((x) => x.className === 'fg' && x.input === 'mean')!.tolerance, [0, 8]);
  });

  it('shares every refined value with every input and refines the mean curve of all inputs and of each group', () => {
    // Three inputs, identity 0, coarse 0/15/30 (Dice fg). Input 0 breaks at 15 (refined 8 so far); inputs 1 and 2 never break.
    // Mean over all three: (0.5 + 1 + 1)/3 = 0.83 at 15 and 30, below 0.9: its breaking bracket 0…15 (or 8…15) is split.
    const dice = (fg: number) => ({ dice: { background: 1, fg } });
    const rowsOf = (input: number, points: Array<[number, number, boolean?]>) =>
      points.map(([value, fg, refined]) => ({
        model: 0,
        input,
        value,
        metrics: dice(fg),
        ...(refined ? { refined: true as const } : {}),
      }));
    const inputs: MeanRefinementInput[] = [
      {
        input: 0,
        rows: rowsOf(0, [
          [0, 1],
          [8, 1, true],
          [15, 0.5],
          [30, 0.5],
        ]),
        group: 'a',
      },
      {
        input: 1,
        rows: rowsOf(1, [
          [0, 1],
          [15, 1],
          [30, 1],
        ]),
        group: 'a',
      },
      {
        input: 2,
        rows: rowsOf(2, [
          [0, 1],
          [15, 1],
          [30, 1],
        ]),
        group: 'b',
      },
    ].map((i) => ({ ...i, baseline: dice(1), inTruth: ['background', 'fg'], identity: 0 }));
    const context = { classes: ['background', 'fg'], metrics: ['dice'] as const, tau: 0.9, resolution: 1 };
    const next = sharedRefinementValues(inputs, { ...context, metrics: ['dice'] });
    // Inputs 1 and 2 get input 0's 8; the all-inputs mean has only 0, 15, 30 shared so far: its breaking bracket 0…15 → 8.
    assert.deepEqual(
      [...next.entries()],
      [
        [1, [8]],
        [2, [8]],
      ],
    );
    // With 8 on every input (mean (1 + 1 + 1)/3 = 1 there), the mean's breaking bracket 8…15 → 12, and the
    // tolerated rest of its sweep step 0…8 → 4 (refine.ts's dip rule), for all three.
    const after = inputs.map((i) => ({
      ...i,
      rows: [...i.rows, ...(i.input === 0 ? [] : rowsOf(i.input, [[8, 1, true]]))],
    }));
    assert.deepEqual(
      [...sharedRefinementValues(after, { ...context, metrics: ['dice'] }).entries()],
      [
        [0, [4, 12]],
        [1, [4, 12]],
        [2, [4, 12]],
      ],
    );
    // Different identities: no mean curve, nothing shared.
    const apart = inputs.map((i) => ({ ...i, identity: i.input }));
    assert.equal(sharedRefinementValues(apart, { ...context, metrics: ['dice'] }).size, 0);
  });
});
