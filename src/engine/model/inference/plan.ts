/**
 * How many inference workers, with how many onnxruntime threads each, when the user does not
 * say: measured reasoning in docs/scaling.md.
 */

/** Models up to this size (the .onnx file) scale poorly across one session's threads. */
const SMALL_MODEL_BYTES = 64 * 2 ** 20;
/** Each worker holds its own copy of the model's weights and working memory. */
const MAX_AUTO_WORKERS = 8;
/** Threads per session for a model larger than SMALL_MODEL_BYTES (not measured yet: docs/scaling.md). */
const LARGE_MODEL_THREADS = 8;

export interface InferencePlan {
  /** Sessions in worker threads (0: one session on the calling thread). */
  workers: number;
  /** onnxruntime intra-op threads of each session. */
  threadsPerSession: number;
}

/**
 * - One core: no worker; there is nothing to overlap with.
 * - Otherwise at least one worker, so that transforms and scoring overlap with inference.
 * - A small model runs as one session per thread (measured best on the example U-Net: 2 × 1
 *   thread beat 1 × 2 threads), a larger one as one session per 8 threads; never more than 8
 *   sessions (each holds the model's weights and working memory).
 * - `threads` (the user's total) is shared out among the workers; `workers` is taken as given.
 */
export function planInference(
  cores: number,
  modelBytes: number,
  asked: { threads?: number; workers?: number } = {},
): InferencePlan {
  const threads = asked.threads ?? cores;
  const perSession = modelBytes <= SMALL_MODEL_BYTES ? 1 : LARGE_MODEL_THREADS;
  const workers =
    asked.workers ??
    (threads <= 1 && cores <= 1 ? 0 : Math.min(MAX_AUTO_WORKERS, Math.max(1, Math.floor(threads / perSession))));
  return { workers, threadsPerSession: Math.max(1, Math.floor(threads / Math.max(1, workers))) };
}
