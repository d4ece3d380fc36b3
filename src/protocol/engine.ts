/**
 * Messages between the extension host and the engine host process (child-process IPC with
 * structured clone). Declared once here; both sides import these types.
 *
 * The extension sends requests (each with an `id`); the engine answers each with exactly one
 * response carrying the same `id` (its own type, or `error`). Between request and response a
 * run streams events (no `id`; they name their `runId`).
 */
import type { InputProblem } from '../engine/dataset/types';
import type { IntensityFacts } from '../engine/io/intensityFacts';
import type { CardField, CardSource, ModelCardFile, UnresolvedItem } from '../engine/model/cardTypes';
import type { FitInputPaths, FitReport } from '../engine/model/fit/types';
import type { RunResults } from '../engine/report/results';
import type { InputBaseline, RunRow, RunSeriesInfo } from '../engine/sweep/rows';
import type { TransformSummary } from '../engine/transforms/summary';

export type { TransformSummary };

/** Run settings the extension reads from its configuration; absent = the engine's default. */
export interface EngineRunSettings {
  threads?: number;
  /** Inference sessions in worker threads sharing `threads` (the setting misas.workers); absent = by the core count and model size. */
  workers?: number;
  executionProvider?: 'cpu' | 'cuda';
  batchSize?: number;
  /** true = keep predictions; absent = what the experiment file says. */
  keepPredictions?: boolean;
  /** τ for experiments that set no `tolerance` of their own (the setting misas.tolerance). */
  tolerance?: number;
  /** Inputs needing more memory are refused before the run starts (the setting misas.maxMemoryMB); absent = half the machine's memory. */
  maxMemoryMB?: number;
  /** Most values one series may sweep (the setting misas.maxValuesPerSeries); absent = the engine's default. */
  maxValuesPerSeries?: number;
  /** Most model steps one run may take (the setting misas.maxTotalSteps); absent = the engine's default. */
  maxTotalSteps?: number;
}

export interface EngineRunRequest {
  type: 'run';
  id: number;
  /** Chosen by the extension; events and `cancel` name it. */
  runId: string;
  /** Absolute path of the *.misas.json file. */
  experimentFile: string;
  /** Folder every path in the experiment must stay inside (the workspace folder). */
  root: string;
  /** Absolute run folder to write. */
  outDir: string;
  seriesFilter?: string[];
  settings: EngineRunSettings;
}

/** One overlay frame of a finished run (the results panel's viewer). */
export interface EngineFrameRequest {
  type: 'frame';
  id: number;
  /** Absolute path of the run's *.misas.json file: the run's recorded experiment resolves its paths there. */
  experimentFile: string;
  /** Folder every path in the experiment must stay inside (the workspace folder). */
  root: string;
  /** Absolute run folder: its results.json says which series, options and seed the run used. */
  runDir: string;
  series: string;
  /** The loaded input's index, as in the run's rows. */
  input: number;
  value: number;
  /** Index into the run's models (default 0). */
  model?: number;
  /** For volumes: the slice along the model's slice axis (default: the middle one). */
  slice?: number;
  /** The same settings as runs, so that frames share the run's cached model. */
  settings: EngineRunSettings;
}

/** One frame: 2D planes, first axis fastest, all `dims[0]`×`dims[1]`. */
export interface EngineFrame {
  dims: [number, number];
  /** The transformed image (first channel; the shown slice of a volume). */
  image: Float32Array;
  /** [min, max] of `image`, for window/level. */
  range: [number, number];
  /** Class indices of the (transformed) truth. */
  truth: Uint8Array | Uint16Array;
  prediction: Uint8Array | Uint16Array;
  /** The truth is the prediction on the untransformed image (the input has no mask). */
  pseudoTruth: boolean;
  /** Volumes: how many slices there are along the slice axis, and which one this is. */
  slices?: number;
  slice?: number;
}

/**
 * A fit check: which orientation, normalisation and output reading the model expects, tried at
 * identity on the given images (ranked by Dice against masks, else by a label-free score).
 * Streams `fitProgress` events; `cancel` with its `fitId` stops it (answered with status "cancelled").
 */
export interface EngineFitRequest {
  type: 'fitCheck';
  id: number;
  /** Chosen by the caller; progress events and `cancel` name it. */
  fitId: string;
  /** Absolute path of the .onnx model. */
  modelPath: string;
  /** Absolute paths of the images (and their masks, when there are any). */
  inputs: FitInputPaths[];
  /** Also test the conventions the model's card states. */
  all?: boolean;
  settings?: Pick<EngineRunSettings, 'threads'>;
}

/** Requests from the extension to the engine host; `id` pairs a request with its response. */
export type EngineRequest =
  | { type: 'hello'; id: number }
  | { type: 'listTransforms'; id: number }
  | EngineRunRequest
  | { type: 'cancel'; id: number; runId: string }
  /** `card`: resolve with this card instead of the sidecar on disk (the wizard checks its answers before writing them). */
  | { type: 'inspectModel'; id: number; modelPath: string; card?: ModelCardFile }
  | EngineFrameRequest
  /** An image's intensity facts (type, range, percentiles, dims): the wizard shows them beside the normalisation question. */
  | { type: 'imageFacts'; id: number; imagePath: string }
  | EngineFitRequest
  | { type: 'shutdown'; id: number };

/** What went wrong, without a stack trace. `file` and `problem` are set for bad input (MisasInputError). */
export interface EngineError {
  message: string;
  file?: string;
  problem?: string;
}

export interface TensorInfo {
  name: string;
  elementType: string;
  /** Sizes, or the symbolic name / '?' of a dynamic axis. */
  shape: (number | string)[];
}

export interface ModelInspectionInfo {
  path: string;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  metadata: Record<string, string>;
  /** The resolved model card as plain JSON, when the model can be a segmentation model. */
  card?: unknown;
  /** Why no card could be resolved. */
  problem?: string;
  /** The file `problem` is about: the model, or its sidecar card. */
  problemFile?: string;
  /** Path of the model's sidecar card `<model>.onnx.misas.json`, when there is one. */
  sidecar?: string;
  /** Card properties neither the model nor a card stated: the defaults assumed and why (the wizard asks about them). */
  unresolved?: UnresolvedItem[];
  /** Where each property of `card` came from (Edit Model Card marks the current answers by it). */
  sources?: Record<CardField, CardSource>;
  /** The sidecar as written (valid), when there is one: Edit Model Card keeps what it does not ask. */
  sidecarCard?: ModelCardFile;
  /** The card the model's metadata_props state (what a property falls back to without the sidecar). */
  metadataCard?: ModelCardFile;
  /** The whole report as text (the same as `misas inspect`). */
  report: string;
}

export type EngineResponse =
  | { type: 'hello'; id: number; engineVersion: string; pid: number }
  | { type: 'listTransforms'; id: number; transforms: TransformSummary[] }
  | {
      type: 'run';
      id: number;
      runId: string;
      status: 'completed' | 'cancelled';
      runDir: string;
      rows: number;
      resultsWritten: boolean;
    }
  | { type: 'cancel'; id: number; runId: string; found: boolean }
  | { type: 'inspectModel'; id: number; inspection: ModelInspectionInfo }
  | { type: 'frame'; id: number; frame: EngineFrame }
  | { type: 'imageFacts'; id: number; facts: IntensityFacts }
  /** `report` is set when the check completed. */
  | { type: 'fitCheck'; id: number; fitId: string; status: 'completed' | 'cancelled'; report?: FitReport }
  | { type: 'shutdown'; id: number }
  | { type: 'error'; id: number; error: EngineError };

/**
 * One finished step of a run: the engine's RunRow as it is produced, without per-slice metrics
 * (results.json has them; a view that fills in while the run goes draws whole inputs).
 */
export type EngineRow = Omit<RunRow, 'slices'>;

/** A model's metrics on an untransformed input (the D0 of summaries), without per-slice metrics. */
export type EngineBaseline = Omit<InputBaseline, 'slices'>;

/**
 * What results.json will hold besides rows, baselines and timing, known when the run starts:
 * with the rows streamed since, a view can draw the run while it goes. As in results.json,
 * paths are relative to the experiment's folder; file hashes come only with the final file
 * (models' `sha256` is empty here, inputs have none).
 */
export type EngineRunStart = Omit<RunResults, 'status' | 'timing' | 'series' | 'baselines' | 'pseudoTruth'> & {
  /** When the run started (results.json's timing.startedAt). */
  startedAt: string;
  /** The series without rows: values per input, identity, unit, scale. */
  series: RunSeriesInfo[];
};

/** Unsolicited messages from the engine: run progress and log lines. */
export type EngineEvent =
  /** The run's steps and everything but its rows (see EngineRunStart). */
  | { type: 'runStarted'; runId: string; total: number; run: EngineRunStart }
  /** Throttled: at most a few per second, and always the last step. */
  /** With `reading`: the input is being read, `reading.done` of its `reading.total` files (a DICOM series). */
  | {
      type: 'runProgress';
      runId: string;
      done: number;
      total: number;
      series: string;
      input: string;
      reading?: { done: number; total: number };
    }
  /** Rows, baselines and input problems (an input that failed mid-run) since the last batch, sent before each progress event. */
  | { type: 'runRows'; runId: string; rows: EngineRow[]; baselines: EngineBaseline[]; problems: InputProblem[] }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string; runId?: string }
  /** A fit check's model calls: done of total planned so far (the total grows once, when the best trials go on to the other inputs). */
  | { type: 'fitProgress'; fitId: string; done: number; total: number };

export type EngineMessage = EngineResponse | EngineEvent;

const EVENT_TYPES: ReadonlySet<string> = new Set<EngineEvent['type']>([
  'runStarted',
  'runProgress',
  'runRows',
  'log',
  'fitProgress',
]);

export function isEngineEvent(message: EngineMessage): message is EngineEvent {
  return EVENT_TYPES.has(message.type) && !('id' in message);
}

/** The response type that answers a request type (or an error). */
export type EngineResponseFor<T extends EngineRequest['type']> = Extract<EngineResponse, { type: T }>;
