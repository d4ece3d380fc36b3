/**
 * Baseline sanity (docs/ALGORITHMS.md, "Baseline sanity"). A tolerance interval is relative to
 * the baseline D0: when the model already fails on the untransformed input, τ·D0 is near 0 and
 * every curve looks "tolerated". So a class that fails at baseline gets no interval, and the run
 * says so first. A spatial series whose best value clearly beats the identity hints that the
 * data's conventions (orientation, flips, scaling) are not the model's.
 *
 * Both checks need Dice (the default metric); pseudo-truth inputs (no mask) are left out, since
 * their baseline is 1 by construction.
 */
import { meanSkippingNull } from '../../metrics/average';
import type { MetricsByClass } from '../../metrics/types';
import { foregroundClasses } from './classes';
import { formatParameter } from './sentence';

/** A class whose baseline Dice is below this (where the truth has it) fails at baseline. */
export const BASELINE_DICE_MIN = 0.5;

/** A spatial value whose mean foreground Dice beats the identity's by more than this gives the convention hint. */
export const CONVENTION_DICE_MARGIN = 0.2;

/** What the fit check is called, where the hint points to it. */
export const FIT_CHECK_HINT =
  'check with `misas fit <model> <image> --mask <mask>` or the VS Code command "misas: Fit Check…"';

/** A class that fails at baseline, for one input or the mean over several (pooled or a group). */
export interface FailsAtBaselineCheck {
  kind: 'fails-at-baseline';
  model: number;
  /** The input, or 'mean' over the inputs whose truth has the class. */
  input: number | 'mean';
  /** With input 'mean': only this group's inputs. */
  group?: string;
  className: string;
  /** Baseline Dice; for 'mean' the mean over `inputs`. */
  dice: number;
  /** The inputs whose truth has the class (the ones `dice` is over). */
  inputs: number[];
  /** Set for runs that did not record which classes the truth has: the class was counted as present. */
  presenceAssumed?: boolean;
  message: string;
}

/** A non-identity value of a spatial series that beats the identity clearly. */
export interface ConventionCheck {
  kind: 'convention';
  model: number;
  /** The input, or 'mean' over the inputs with ground truth. */
  input: number | 'mean';
  series: string;
  transform: string;
  /** The best sweep value. */
  value: number;
  /** Mean foreground Dice at the identity (the baseline). */
  dice: number;
  /** Mean foreground Dice at `value`. */
  valueDice: number;
  message: string;
}

export type BaselineCheck = FailsAtBaselineCheck | ConventionCheck;

/** The fields of a baseline this module reads. */
export interface CheckBaseline {
  model: number;
  input: number;
  metrics: MetricsByClass;
  empty: string[];
  /** Classes with at least one voxel in the truth; absent in results written before it was recorded. */
  inTruth?: string[];
}

export interface CheckInput {
  input: number;
  pseudoTruth: boolean;
  problem?: string;
  group?: string;
}

export interface CheckRow {
  model: number;
  input: number;
  value: number;
  baseline: boolean;
  metrics: MetricsByClass;
  empty: string[];
}

export interface CheckSeries {
  name: string;
  transform: string;
  kind: 'spatial' | 'intensity';
  unit: string;
  identity: number[];
  rows: readonly CheckRow[];
}

export interface CheckContext {
  inputs: readonly CheckInput[];
  baselines: readonly CheckBaseline[];
  classes: readonly string[];
  /** Display names of the models; sentences name the model when there are several. */
  modelLabels: readonly string[];
  /** Every series with its rows: evidence of a class in the truth when a baseline did not record `inTruth`. */
  series?: readonly CheckSeries[];
}

function dice2(value: number): string {
  return value.toFixed(2);
}

type Presence = 'present' | 'absent' | 'assumed';

/**
 * Whether the input's truth has the class. Older results did not record it; then, from the
 * baseline and the rows of the same model and input: an overlap (Dice > 0, not empty in both)
 * needs truth voxels (transforms never create labels) → present; empty in both at the baseline,
 * or at a step of an intensity series (which leaves the truth as it is), or an undefined recall
 * → absent; otherwise assumed present.
 */
function presence(baseline: CheckBaseline, className: string, series: readonly CheckSeries[]): Presence {
  if (baseline.inTruth) return baseline.inTruth.includes(className) ? 'present' : 'absent';
  const own = (s: CheckSeries) => s.rows.filter((row) => row.model === baseline.model && row.input === baseline.input);
  const overlaps = (step: { metrics: MetricsByClass; empty: readonly string[] }) =>
    !step.empty.includes(className) && (step.metrics.dice?.[className] ?? 0) > 0;
  if (overlaps(baseline) || series.some((s) => own(s).some(overlaps))) return 'present';
  if (baseline.empty.includes(className)) return 'absent';
  if (series.some((s) => s.kind === 'intensity' && own(s).some((row) => row.empty.includes(className))))
    return 'absent';
  const recall = baseline.metrics.recall?.[className];
  if (recall !== undefined) return recall === null ? 'absent' : 'present';
  return 'assumed';
}

/** Inputs whose baseline can be judged: a real mask and no problem. */
function judgedInputs(context: CheckContext): Set<number> {
  return new Set(context.inputs.filter((input) => !input.pseudoTruth && !input.problem).map((input) => input.input));
}

export interface BaselineFailure {
  dice: number;
  inputs: number[];
  presenceAssumed: boolean;
}

/**
 * The rule, in one place: over `inputs` (those of one summary), the baseline Dice of the class on
 * the inputs whose truth has it (pseudo-truth inputs left out), averaged; a failure when below
 * BASELINE_DICE_MIN. Undefined when it does not fail or nothing can be judged.
 */
export function baselineFailure(
  context: CheckContext,
  model: number,
  inputs: readonly number[],
  className: string,
): BaselineFailure | undefined {
  const judged = judgedInputs(context);
  const present: number[] = [];
  const dices: Array<number | null> = [];
  let presenceAssumed = false;
  for (const input of inputs) {
    if (!judged.has(input)) continue;
    const baseline = context.baselines.find((b) => b.model === model && b.input === input);
    const dice = baseline?.metrics.dice?.[className];
    if (!baseline || dice === undefined || dice === null) continue;
    const found = presence(baseline, className, context.series ?? []);
    if (found === 'absent') continue;
    presenceAssumed ||= found === 'assumed';
    present.push(input);
    dices.push(dice);
  }
  const { mean } = meanSkippingNull(dices);
  if (mean === null || !(mean < BASELINE_DICE_MIN)) return undefined;
  return { dice: mean, inputs: present, presenceAssumed };
}

/** "deep_gm (model-b, mean of 3 inputs with it in the truth)". */
function subjectText(
  className: string,
  modelName: string | undefined,
  input: number | 'mean',
  group: string | undefined,
  failure: BaselineFailure,
  inputCount: number,
): string {
  const n = failure.inputs.length;
  const which =
    input !== 'mean'
      ? inputCount > 1
        ? `input ${input}`
        : undefined
      : `${group !== undefined ? `group ${group}, ` : ''}mean of ${n} ${n === 1 ? 'input' : 'inputs'} with it in the truth`;
  const qualifiers = [modelName, which].filter((part): part is string => part !== undefined);
  return qualifiers.length > 0 ? `${className} (${qualifiers.join(', ')})` : className;
}

function modelNameOf(context: CheckContext, model: number): string | undefined {
  return context.modelLabels.length > 1 ? (context.modelLabels[model] ?? `model ${model}`) : undefined;
}

/** The sentence a summary gets instead of a tolerance interval. */
export function failsAtBaselineText(dice: number): string {
  return `fails at baseline (Dice ${dice2(dice)})`;
}

function failsChecks(context: CheckContext, model: number): FailsAtBaselineCheck[] {
  const inputs = [...new Set(context.baselines.filter((b) => b.model === model).map((b) => b.input))].sort(
    (a, b) => a - b,
  );
  const groupOf = (input: number) => context.inputs[input]?.group;
  const groups = [...new Set(inputs.map(groupOf).filter((g): g is string => g !== undefined))].sort();
  const subjects: Array<{ input: number | 'mean'; group?: string; inputs: number[] }> = [
    ...(inputs.length > 1 ? [{ input: 'mean' as const, inputs }] : []),
    ...groups.map((group) => ({ input: 'mean' as const, group, inputs: inputs.filter((i) => groupOf(i) === group) })),
    ...inputs.map((input) => ({ input, inputs: [input] })),
  ];
  const checks: FailsAtBaselineCheck[] = [];
  for (const className of context.classes) {
    for (const subject of subjects) {
      const failure = baselineFailure(context, model, subject.inputs, className);
      if (!failure) continue;
      const who = subjectText(
        className,
        modelNameOf(context, model),
        subject.input,
        subject.group,
        failure,
        inputs.length,
      );
      const assumed = failure.presenceAssumed
        ? ' (this run did not record which classes the truth has; counted as present)'
        : '';
      checks.push({
        kind: 'fails-at-baseline',
        model,
        input: subject.input,
        ...(subject.group !== undefined ? { group: subject.group } : {}),
        className,
        dice: failure.dice,
        inputs: failure.inputs,
        ...(failure.presenceAssumed ? { presenceAssumed: true } : {}),
        message: `${who} ${failsAtBaselineText(failure.dice)} on the untransformed input${assumed}: no tolerance interval is reported for it; check the model card (normalisation, orientation) against the data.`,
      });
    }
  }
  return checks;
}

/**
 * Mean Dice over `classes` (the foreground classes in the input's truth): a class the model
 * predicts where the truth has none is left out at every value alike, and so is a class that
 * left the view and was not predicted (empty in both masks: Dice 1 by convention says nothing).
 */
function foregroundDice(metrics: MetricsByClass, empty: readonly string[], classes: readonly string[]): number | null {
  return meanSkippingNull(classes.filter((c) => !empty.includes(c)).map((c) => metrics.dice?.[c] ?? null)).mean;
}

/** Mean foreground Dice at the identity and at the best value of a spatial series over `inputs`; undefined when nothing is comparable. */
function bestValue(
  context: CheckContext,
  model: number,
  rows: readonly CheckRow[],
  inputs: readonly number[],
): { value: number; dice: number; identityDice: number } | undefined {
  const foreground = foregroundClasses(context.classes);
  const baselineOf = (input: number) => context.baselines.find((b) => b.model === model && b.input === input)!;
  const classesOf = new Map(
    inputs.map((i) => [i, foreground.filter((c) => presence(baselineOf(i), c, context.series ?? []) !== 'absent')]),
  );
  const identityDice = meanSkippingNull(
    inputs.map((i) => foregroundDice(baselineOf(i).metrics, baselineOf(i).empty, classesOf.get(i)!)),
  ).mean;
  if (identityDice === null) return undefined;
  // Mean over the inputs at every value that all of them have.
  const byValue = new Map<number, Array<number | null>>();
  for (const row of rows) {
    if (!classesOf.has(row.input)) continue;
    byValue.set(row.value, [
      ...(byValue.get(row.value) ?? []),
      foregroundDice(row.metrics, row.empty, classesOf.get(row.input)!),
    ]);
  }
  let best: { value: number; dice: number; identityDice: number } | undefined;
  for (const [value, values] of byValue) {
    if (values.length !== inputs.length) continue;
    const { mean } = meanSkippingNull(values);
    if (mean !== null && (!best || mean > best.dice)) best = { value, dice: mean, identityDice };
  }
  return best;
}

/**
 * Per model and spatial series, over the inputs with ground truth (pooled when several, and each
 * input): the value whose mean foreground Dice beats the identity's by more than the margin.
 */
function conventionChecks(context: CheckContext, model: number, series: readonly CheckSeries[]): ConventionCheck[] {
  const judged = judgedInputs(context);
  const checks: ConventionCheck[] = [];
  for (const s of series) {
    if (s.kind !== 'spatial') continue;
    const rows = s.rows.filter((row) => row.model === model && judged.has(row.input) && !row.baseline);
    const inputs = [...new Set(rows.map((row) => row.input))]
      .filter((i) => context.baselines.some((b) => b.model === model && b.input === i))
      .sort((a, b) => a - b);
    const subjects: Array<{ input: number | 'mean'; inputs: number[] }> = [
      // Inputs whose identity differs (input-size-dependent sweeps) have no common curve.
      ...(inputs.length > 1 && new Set(inputs.map((i) => s.identity[i])).size === 1
        ? [{ input: 'mean' as const, inputs }]
        : []),
      ...inputs.map((input) => ({ input, inputs: [input] })),
    ];
    const modelName = modelNameOf(context, model);
    for (const subject of subjects) {
      const best = bestValue(context, model, rows, subject.inputs);
      // "More than" the margin, not a rounding error above it (0.55 − 0.35 > 0.2 in floating point).
      if (!best || !(best.dice - best.identityDice > CONVENTION_DICE_MARGIN + 1e-9)) continue;
      const which =
        subject.input === 'mean'
          ? `mean of ${subject.inputs.length} inputs`
          : inputs.length > 1 || context.inputs.length > 1
            ? `input ${subject.input}`
            : undefined;
      const qualifiers = [modelName, which].filter((part): part is string => part !== undefined);
      checks.push({
        kind: 'convention',
        model,
        input: subject.input,
        series: s.name,
        transform: s.transform,
        value: best.value,
        dice: best.identityDice,
        valueDice: best.dice,
        message:
          `${s.name} ${formatParameter(best.value, s.unit)} scores mean foreground Dice ${dice2(best.dice)} against ${dice2(best.identityDice)} untransformed` +
          `${qualifiers.length > 0 ? ` (${qualifiers.join(', ')})` : ''}: the input conventions (orientation, flips, scaling) probably differ from the model's; ${FIT_CHECK_HINT}.`,
      });
    }
  }
  return checks;
}

/** Every check of a run: per model, the classes failing at baseline (pooled, groups, inputs), then the convention hints. */
export function findBaselineChecks(context: CheckContext, series: readonly CheckSeries[]): BaselineCheck[] {
  if (!context.baselines.some((b) => b.metrics.dice !== undefined)) return [];
  const models = [...new Set(context.baselines.map((b) => b.model))].sort((a, b) => a - b);
  return models.flatMap((model) => [...failsChecks(context, model), ...conventionChecks(context, model, series)]);
}

/** What a pooled check and the per-input or group checks it stands for share. */
function topic(check: BaselineCheck): string {
  return check.kind === 'fails-at-baseline'
    ? `${check.model}:class:${check.className}`
    : `${check.model}:series:${check.series}`;
}

/**
 * The checks worth showing first (CLI, banner, tree): every pooled check (the mean over all
 * inputs), and group and per-input checks only where the pooled one does not say it already.
 */
export function checksToShow(checks: readonly BaselineCheck[]): BaselineCheck[] {
  const isPooled = (c: BaselineCheck) => c.input === 'mean' && (c.kind === 'convention' || c.group === undefined);
  const pooled = new Set(checks.filter(isPooled).map(topic));
  return checks.filter((c) => isPooled(c) || !pooled.has(topic(c)));
}
