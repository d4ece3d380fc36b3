/**
 * The fit check: which input conventions does a model expect? At identity (no transform), try
 * the conventions its card leaves open — in-plane orientation × intensity normalisation ×
 * output reading — and rank them: by mean foreground Dice against masks, or without masks by
 * the label-free score (labelFree.ts). Fast: one session, batches shared by the trials, and
 * all trials on the first input only; the best few go on to the other inputs.
 */
import { MisasInputError } from '../../errors';
import { checkSameGrid, readImage, readLabelMap } from '../../io';
import type { Volume } from '../../volume';
import { inferCard } from '../card';
import { describeSession } from '../inspect';
import { readOnnxMetadata } from '../metadata';
import { openSession } from '../session';
import { readSidecar } from '../sidecar';
import { describeNormalization, describeOutput, planFit, type FitField, type FitPlan } from './candidates';
import { labelFreeScore } from './labelFree';
import { formatOrientation } from '../orientation';
import { runTrials, type FitImage, type FitSession, type TrialOutcome } from './run';
import type { FitCandidate, FitInputPaths, FitOptions, FitReport } from './types';

export { describeNormalization, describeOutput, type FitField } from './candidates';
export type { FitCandidate, FitInputPaths, FitOptions, FitReport } from './types';

/** How many trials go on from the first input to the others. */
export const FIT_KEEP_TRIALS = 4;
/** Runners-up closer than this to the winner's score are reported as ties. */
export const FIT_TIE_MARGIN = 0.01;

async function loadInput(paths: FitInputPaths): Promise<FitImage> {
  const image = await readImage(paths.image);
  if (!paths.mask) return { image };
  const mask = await readLabelMap(paths.mask);
  checkSameGrid(image, paths.image, mask, paths.mask);
  return { image, mask };
}

interface Accumulated {
  trial: number;
  output: number;
  dice: number[][];
  tallies: TrialOutcome['tally'][];
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function candidateOf(acc: Accumulated, plan: FitPlan, classes: string[], ranking: FitReport['ranking']): FitCandidate {
  const trial = plan.trials[acc.trial];
  let output = plan.outputs[acc.output];
  // Merge the tallies of all inputs: the label-free score is over every pixel seen.
  const tally = acc.tallies.reduce((sum, t) => ({
    foregroundConfidence: sum.foregroundConfidence + t.foregroundConfidence,
    foregroundPixels: sum.foregroundPixels + t.foregroundPixels,
    pixels: sum.pixels + t.pixels,
    classPixels: sum.classPixels.map((n, c) => n + (t.classPixels[c] ?? 0)),
    probabilityLike: sum.probabilityLike && t.probabilityLike,
  }));
  if (output.kind === 'logits' && tally.probabilityLike) output = { kind: 'probabilities' };
  const labelFree = labelFreeScore(tally);
  const hasDice = acc.dice.length > 0;
  const dice = hasDice ? Object.fromEntries(classes.map((name, c) => [name, mean(acc.dice.map((d) => d[c]))])) : null;
  const meanDice = hasDice ? mean(acc.dice.map((d) => mean(d.slice(1)))) : null;
  return {
    orientation: trial.orientation,
    normalization: trial.normalization,
    output,
    label: `${formatOrientation(trial.orientation)} · ${describeNormalization(trial.normalization)} · ${describeOutput(output)}`,
    score: ranking === 'dice' ? meanDice! : labelFree.score,
    meanDice,
    dice,
    labelFree,
    inputs: acc.tallies.length,
  };
}

/** Differences below this are summation noise (the same values added in another order), not a preference. */
const SCORE_NOISE = 1e-9;
const descending = (a: number, b: number) => (Math.abs(b - a) > SCORE_NOISE ? b - a : 0);

/** Best first: by score, then by the label-free score (ties in Dice), then in trial order (the sort is stable). */
function rank(candidates: FitCandidate[]): FitCandidate[] {
  return [...candidates].sort(
    (a, b) => b.inputs - a.inputs || descending(a.score, b.score) || descending(a.labelFree.score, b.labelFree.score),
  );
}

export async function fitModel(
  modelPath: string,
  inputPaths: FitInputPaths[],
  options: FitOptions = {},
): Promise<FitReport> {
  if (inputPaths.length === 0) throw new MisasInputError(modelPath, 'the fit check needs at least one image');
  const started = performance.now();
  // Images first: a bad image is reported before a model is loaded.
  const inputs: FitImage[] = [];
  for (const paths of inputPaths) inputs.push(await loadInput(paths));
  const { session } = await openSession(modelPath, options.threads ? { threads: options.threads } : {});
  try {
    const inspection = describeSession(session, modelPath, await readOnnxMetadata(modelPath));
    const resolution = inferCard(inspection, await readSidecar(modelPath));
    const { card } = resolution;
    const plan = planFit(resolution, inputs[0].image.data, options.all ? { all: true } : {});
    const batchDim = inspection.inputs[0].shape[0];
    const fit: FitSession = {
      session,
      path: modelPath,
      inputName: inspection.inputs[0].name,
      ...(batchDim ? { fixedBatch: batchDim } : {}),
      inputIsDouble: inspection.inputs[0].elementType === 'float64',
      maxBatch: batchDim ?? 8,
    };
    const ranking: FitReport['ranking'] = inputs.some((input) => input.mask) ? 'dice' : 'label-free';
    const accumulated = new Map<string, Accumulated>();
    let calls = 0;
    let planned = 0;
    const itemsOf = (image: Volume) =>
      card.spatialDims === 2 && image.dims.length === 3 ? image.dims[card.sliceAxis ?? 2] : 1;
    const callsFor = (trials: number, image: Volume) => Math.ceil((trials * itemsOf(image)) / fit.maxBatch);
    const runOn = async (trials: number[], input: FitImage) => {
      const outcomes = await runTrials(
        fit,
        card,
        trials,
        plan.trials,
        plan.outputs,
        input,
        () => {
          calls++;
          options.onProgress?.(calls, planned);
        },
        options.signal,
      );
      for (const outcome of outcomes) {
        const key = `${outcome.trial}/${outcome.output}`;
        let acc = accumulated.get(key);
        if (!acc) accumulated.set(key, (acc = { trial: outcome.trial, output: outcome.output, dice: [], tallies: [] }));
        if (outcome.dice) acc.dice.push(outcome.dice);
        acc.tallies.push(outcome.tally);
      }
    };
    const allTrials = plan.trials.map((_, i) => i);
    // Stage 1: every trial on the first input (with a mask, when Dice ranks).
    const firstIndex = ranking === 'dice' ? inputs.findIndex((input) => input.mask) : 0;
    planned = callsFor(allTrials.length, inputs[firstIndex].image);
    await runOn(allTrials, inputs[firstIndex]);
    const rest = inputs.filter((_, i) => i !== firstIndex);
    if (rest.length) {
      // Stage 2: the trials of the best candidates so far on the other inputs.
      const best = rank([...accumulated.values()].map((acc) => candidateOf(acc, plan, card.classes, ranking)));
      const kept: number[] = [];
      for (const candidate of best) {
        const trial = plan.trials.findIndex(
          (t) => t.orientation === candidate.orientation && t.normalization === candidate.normalization,
        );
        if (!kept.includes(trial)) kept.push(trial);
        if (kept.length === FIT_KEEP_TRIALS) break;
      }
      planned += rest.reduce((sum, input) => sum + callsFor(kept.length, input.image), 0);
      for (const input of rest) await runOn(kept, input);
    }
    const candidates = rank([...accumulated.values()].map((acc) => candidateOf(acc, plan, card.classes, ranking)));
    const winner = candidates[0];
    const testedFields = new Set(plan.tried.map((t) => t.field));
    const cardFields: FitReport['cardFields'] = {};
    if (testedFields.has('orientation')) cardFields.orientation = winner.orientation;
    if (testedFields.has('normalization')) cardFields.normalization = winner.normalization;
    if (testedFields.has('output'))
      cardFields.output = { ...(card.output.name ? { name: card.output.name } : {}), ...winner.output };
    return {
      model: modelPath,
      inputs: inputPaths,
      ranking,
      classes: [...card.classes],
      candidates,
      fixed: plan.fixed,
      tried: plan.tried,
      ties: candidates
        .slice(1)
        .filter((c) => c.inputs === winner.inputs && winner.score - c.score < FIT_TIE_MARGIN)
        .map((c) => c.label),
      assumed: resolution.unresolved.filter((item) => !testedFields.has(item.field as FitField)),
      cardFields,
      timing: { milliseconds: Math.round(performance.now() - started), modelCalls: calls, trials: plan.trials.length },
    };
  } finally {
    await session.release();
  }
}
