/**
 * What a run streams: one row per step, the baselines, the inputs', models' and series'
 * descriptions, and the events carrying them. Shared by the runner, results assembly and the
 * results format, the analysis and the engine protocol (kept out of runner.ts so that none of
 * them imports the runner for a type).
 */
import type { InputProblem } from '../dataset/types';
import type { MetricsByClass } from '../metrics/types';
import type { TransformSpec } from '../transforms/types';
import type { ResolvedSeries } from './experiment/types';
import type { ScoredStep } from './run/score';

export interface RunRow {
  series: string;
  /** Index into the run's models. */
  model: number;
  /** Index into the run's inputs (see the start event). */
  input: number;
  value: number;
  /** This row is the identity value, i.e. the untransformed input: its metric is the baseline. */
  baseline: boolean;
  /** For a series of severity levels: this value's level (0 = the unchanged input, 1…5). */
  severity?: number;
  /** A value added by adaptive refinement (the series' `refine`), not one of the sweep's own. */
  refined?: true;
  /** metric → class name → value; null where undefined (e.g. precision with nothing predicted). */
  metrics: MetricsByClass;
  /** Classes absent from both prediction and truth (Dice/IoU = 1 by convention). */
  empty: string[];
  /** With `perSlice`, for a volume and a 2D model: the same per slice along the slice axis (index = slice). */
  slices?: ScoredStep[];
}

export interface RunInputInfo {
  input: number;
  /** Index of the experiment's (expanded) input entry; it seeds random transforms. */
  entry: number;
  label: string;
  imagePath: string;
  maskPath?: string;
  group?: string;
  slice?: { axis: number; index: number };
  /** The frame of a 4D image (the input's "frame"). */
  frame?: number;
  /** From the file's header; absent when it could not be read (see `problem`). */
  dims?: number[];
  spacing?: number[];
  pseudoTruth: boolean;
  /** Why this input has no rows (unreadable file, too large, mismatched mask, …). */
  problem?: string;
}

export interface RunModelInfo {
  index: number;
  label: string;
  path: string;
}

export interface RunSeriesInfo {
  name: string;
  transform: string;
  options: ResolvedSeries['options'];
  unit: string;
  scale: 'linear' | 'log';
  kind: TransformSpec['kind'];
  /** Sweep values per input (they differ only where a default depends on the input size; empty for inputs with a problem). */
  values: number[][];
  identity: number[];
  /** Adaptive refinement as the experiment asked for it: refined rows add values between these. */
  refine?: ResolvedSeries['refine'];
  /** For a series of severity levels: per input, the level of each of its `values` (0 = the unchanged input). */
  severities?: number[][];
}

/** Metrics of a model on an untransformed input: the baseline D0 of every series' summaries. */
export interface InputBaseline {
  model: number;
  input: number;
  metrics: MetricsByClass;
  empty: string[];
  /** Classes with at least one voxel in the truth (the mask, or the pseudo-truth): the baseline check judges only these. Absent in results written before it was recorded. */
  inTruth?: string[];
  slices?: ScoredStep[];
}

export type RunEvent =
  | {
      type: 'start';
      total: number;
      classes: string[];
      models: RunModelInfo[];
      inputs: RunInputInfo[];
      series: RunSeriesInfo[];
      problems: InputProblem[];
    }
  | { type: 'baseline'; baseline: InputBaseline }
  | { type: 'row'; row: RunRow }
  /** An input that failed while the run went on (e.g. a corrupt file): its items are skipped. */
  | { type: 'problem'; problem: InputProblem }
  /** With `reading`: the input is being read, `reading.done` of its `reading.total` files so far (a DICOM series); `done` is unchanged. */
  | {
      type: 'progress';
      done: number;
      total: number;
      series: string;
      input: number;
      reading?: { done: number; total: number };
    };
