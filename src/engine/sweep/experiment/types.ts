/** Experiment files (`*.misas.json`) as written, and as resolved for a run. */
import type { InputProblem, ResolvedInput } from '../../dataset/types';
import type { MetricName } from '../../metrics/types';
import type { Sweep } from '../../transforms/sweep';
import type { TransformOptions } from '../../transforms/types';

export const EXPERIMENT_SCHEMA_ID = 'urn:misas:schema:experiment:1';
export const DEFAULT_SEED = 0;

export interface ExperimentInput {
  image: string;
  mask?: string;
  /** For volumes with a 2D model: only these slice indices (along the model's slice axis). */
  slices?: number[];
  frame?: number;
  group?: string;
}

/** A dataset: every image a glob or folder matches, masks found by a pairing pattern. */
export interface ExperimentDataset {
  images: string;
  masks?: string;
  slices?: number[];
  frame?: number;
  group?: string;
}

export interface ExperimentManifest {
  manifest: string;
}

export type ExperimentInputs = ExperimentInput[] | string | ExperimentDataset | ExperimentManifest;

export type ExperimentModel = string | { path: string; name?: string };

/** A series as written; without a sweep it takes the transform's default one. */
export type ExperimentSeries = {
  transform: string;
  name?: string;
  params?: TransformOptions;
  /** Adaptive refinement of the breaking points to this resolution (docs/ALGORITHMS.md). */
  refine?: SeriesRefinement;
  /** Severity levels 1…5 to run instead of a sweep (the registry's `severities`). */
  severities?: number[];
} & (Sweep | { values?: never; start?: never; stop?: never; step?: never; steps?: never; scale?: never });

export interface Experiment {
  $schema?: string;
  name: string;
  description?: string;
  model?: string;
  models?: ExperimentModel[];
  inputs: ExperimentInputs;
  missingMasks?: 'skip' | 'pseudo-truth';
  perSlice?: boolean;
  classes?: string[];
  series: ExperimentSeries[];
  metrics?: MetricName[];
  seed?: number;
  tolerance?: number;
  keepPredictions?: boolean;
  /** The model other models' corruption error is normalised to (its name or path as written). */
  referenceModel?: string;
}

export interface SeriesRefinement {
  /** Brackets around a crossing of the tolerance threshold are bisected until no wider than this (parameter unit). */
  resolution: number;
}

/** A series ready to run: unique name, expanded values, options with defaults. */
export interface ResolvedSeries {
  name: string;
  transform: string;
  options: TransformOptions;
  /** Sweep values as written (resize's input-dependent default is resolved per input later). */
  values: number[];
  /** Absent when the series is swept on its values only. */
  refine?: SeriesRefinement;
  /** Severity levels (1…5, ascending) that replace the sweep; `values` is then empty (they depend on the input). */
  severities?: number[];
}

export interface ResolvedExperiment {
  file: string;
  /** Folder that every path must stay inside (the workspace, or the experiment's folder). */
  root: string;
  experiment: Experiment;
  /** At least one; rows refer to a model by its index here. */
  models: ResolvedModel[];
  inputs: ResolvedInput[];
  /** Inputs the dataset expansion skipped or will run with pseudo-truth (e.g. a missing mask). */
  problems: InputProblem[];
  series: ResolvedSeries[];
  metrics: MetricName[];
  seed: number;
  tolerance: number;
  /** Index into `models` of the experiment's `referenceModel`. */
  referenceModel?: number;
}

export interface ResolvedModel {
  path: string;
  /** Display name: the experiment's name for it, else the file name (made unique). */
  label: string;
}
