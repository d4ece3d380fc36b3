/** What a fit check reports (plain JSON: the engine host sends it to the extension as it is). */
import type { ModelCardFile, NormalizationSpec, UnresolvedItem } from '../cardTypes';
import type { FitOutput, FitPlan } from './candidates';
import type { Orientation } from '../orientation';

export interface FitInputPaths {
  image: string;
  mask?: string;
}

export interface FitOptions {
  /** Also test the conventions the card states. */
  all?: boolean;
  threads?: number;
  signal?: AbortSignal;
  /** After every model call: calls done, calls planned so far (the second stage is planned after the first). */
  onProgress?: (done: number, total: number) => void;
}

export interface FitCandidate {
  orientation: Orientation;
  normalization: NormalizationSpec;
  /** The output reading: kind (logits, probabilities, sigmoid, labels), sigmoidApplied for sigmoid. */
  output: FitOutput;
  /** Short text of the three conventions, e.g. "transposed · none · logits". */
  label: string;
  /** What the ranking sorts by: mean foreground Dice with masks, else the label-free score. */
  score: number;
  /** Mean foreground Dice over the inputs with masks (null without masks). */
  meanDice: number | null;
  /** Mean Dice per class name over the inputs with masks (null without masks). */
  dice: Record<string, number> | null;
  /** The label-free score and its parts, always computed. */
  labelFree: { score: number; confidence: number; classShare: number };
  /** Inputs this candidate was evaluated on (fewer when it was dropped after the first). */
  inputs: number;
}

export interface FitReport {
  model: string;
  inputs: FitInputPaths[];
  ranking: 'dice' | 'label-free';
  classes: string[];
  /** Best first. */
  candidates: FitCandidate[];
  fixed: FitPlan['fixed'];
  tried: FitPlan['tried'];
  /** Card fields still assumed (not tested here): what the user should check. */
  assumed: UnresolvedItem[];
  /**
   * Labels of the runners-up whose score is within FIT_TIE_MARGIN of the winner's (on as many
   * inputs): the data barely tell them apart, e.g. left-right mirror images of a nearly
   * symmetric anatomy. Look at an overlay before trusting the winner over them.
   */
  ties: string[];
  /** The winner's tested conventions as model-card fields. */
  cardFields: ModelCardFile & { orientation?: Orientation };
  timing: { milliseconds: number; modelCalls: number; trials: number };
}
