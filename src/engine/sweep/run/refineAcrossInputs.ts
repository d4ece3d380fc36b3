/**
 * Refinement rounds across the inputs of a series (docs/ALGORITHMS.md, "Adaptive refinement";
 * what to evaluate is decided in analysis/refine.ts and analysis/refineMean.ts): after every
 * input has refined its own curves, every refined value is evaluated on every input of the
 * series and the mean curves' own breaking points are refined, until nothing is asked for.
 * The runner reads each input again for a round and evaluates what this module asks for.
 */
import { nextRefinementValues } from '../analysis/refine';
import { sharedRefinementValues } from '../analysis/refineMean';
import type { ResolvedExperiment } from '../experiment/types';
import type { RunEvent, RunRow } from '../rows';
import { refinementCurves } from './refinementCurves';
import type { SeriesSweep } from './runner';
import type { ScoredStep } from './score';

/** A refined series of one input and model, kept after the input's own rounds. */
export interface AcrossInputsState {
  sweep: SeriesSweep;
  /** The series' rows of this input and model so far; rounds across inputs append to it. */
  rows: RunRow[];
  baseline: ScoredStep;
  inTruth: readonly string[];
  identity: number;
}

/** What the rounds read of the run. */
export interface AcrossInputsContext {
  experiment: ResolvedExperiment;
  classes: readonly string[];
  groupOf: (input: number) => string | undefined;
}

/** Per model and refined series ("model/series"), per input: the states the rounds read and extend. */
export type AcrossInputs = Map<string, Map<number, AcrossInputsState>>;

/** The values refinement asks for on one input's own curves of one series (analysis/refine.ts). */
export function ownRefinementValues(
  state: Omit<AcrossInputsState, 'rows'>,
  rows: readonly RunRow[],
  context: AcrossInputsContext,
): number[] {
  const refine = state.sweep.series.refine;
  if (!refine) return [];
  const { baseline, inTruth, identity } = state;
  const { experiment, classes } = context;
  return nextRefinementValues(
    refinementCurves(rows, { baseline, inTruth, identity, classes, metrics: experiment.metrics }),
    { tau: experiment.tolerance, resolution: refine.resolution },
  );
}

/** Keeps an input's refined series for the rounds across inputs. */
export function keepForAcrossInputs(
  states: AcrossInputs,
  model: number,
  input: number,
  kept: ReadonlyArray<Omit<AcrossInputsState, 'rows'> & { rows: RunRow[] | undefined }>,
): void {
  for (const state of kept) {
    if (!state.sweep.series.refine) continue;
    const key = `${model}/${state.sweep.series.name}`;
    if (!states.has(key)) states.set(key, new Map());
    states.get(key)!.set(input, { ...state, rows: state.rows ?? [] });
  }
}

/**
 * Per input and model, the refinement sweeps of the next round: the values shared across inputs
 * and the mean curves' (refineMean.ts), and the input's own (its curves have new points). Empty
 * when nothing is left.
 */
export function nextAcrossInputs(
  states: AcrossInputs,
  context: AcrossInputsContext,
): Map<number, Map<number, SeriesSweep[]>> {
  const pending = new Map<number, Map<number, SeriesSweep[]>>();
  for (const [key, perInput] of states) {
    const model = Number(key.slice(0, key.indexOf('/')));
    const entries = [...perInput.entries()];
    if (entries.length === 0) continue;
    const shared = sharedRefinementValues(
      entries.map(([input, state]) => ({
        input,
        rows: state.rows,
        baseline: state.baseline.metrics,
        inTruth: state.inTruth,
        group: context.groupOf(input),
        identity: state.identity,
      })),
      {
        classes: context.classes,
        metrics: context.experiment.metrics,
        tau: context.experiment.tolerance,
        resolution: entries[0][1].sweep.series.refine!.resolution,
      },
    );
    for (const [input, state] of entries) {
      const own = ownRefinementValues(state, state.rows, context);
      const values = [...new Set([...(shared.get(input) ?? []), ...own])].sort((a, b) => a - b);
      if (values.length === 0) continue;
      if (!pending.has(input)) pending.set(input, new Map());
      const perModel = pending.get(input)!;
      if (!perModel.has(model)) perModel.set(model, []);
      perModel.get(model)!.push({ ...state.sweep, sweep: { ...state.sweep.sweep, values }, refined: true });
    }
  }
  return pending;
}

/** Forgets an input whose file could not be read again: the rounds go on without it. */
export function dropInput(states: AcrossInputs, input: number): void {
  for (const perInput of states.values()) perInput.delete(input);
}

/**
 * The rounds: asks for the next values, counts them (`addToTotal`), and lets `evaluate` read each
 * input once per round and evaluate its models' sweeps (appending their rows to the states).
 */
export async function* refineAcrossInputs(
  states: AcrossInputs,
  context: AcrossInputsContext & {
    addToTotal: (steps: number) => void;
    evaluate: (input: number, rounds: Map<number, SeriesSweep[]>) => AsyncGenerator<RunEvent>;
  },
): AsyncGenerator<RunEvent> {
  for (;;) {
    const pending = nextAcrossInputs(states, context);
    if (pending.size === 0) return;
    for (const perModel of pending.values())
      for (const round of perModel.values())
        context.addToTotal(round.reduce((sum, sweep) => sum + sweep.sweep.values.length, 0));
    for (const [input, perModel] of pending) yield* context.evaluate(input, perModel);
  }
}
