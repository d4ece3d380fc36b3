/**
 * Messages between an inference pool (src/engine/model/inference/pool.ts) and its worker
 * threads (worker.ts): one place for their shapes.
 */
import type * as ort from 'onnxruntime-node';

/** What a worker is started with (workerData). */
export interface WorkerStart {
  modelPath: string;
  options: ort.InferenceSession.SessionOptions;
  inputName: string;
  outputName: string;
}

/** A tensor as it crosses the thread boundary (its buffer is transferred, not copied). */
export interface WireTensor {
  type: ort.Tensor.Type;
  data: ort.Tensor.DataType;
  dims: readonly number[];
}

export type ToWorker = { kind: 'run'; id: number; feed: WireTensor } | { kind: 'release' };

export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'done'; id: number; output: WireTensor; seconds: number }
  | { kind: 'failed'; id?: number; message: string }
  | { kind: 'released' };
