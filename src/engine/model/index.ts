/**
 * The ONNX model runner: inspect a model, resolve its card, load it as a SegmentationModel.
 * Only the engine host process and the CLI load this module (it loads onnxruntime-node).
 */
import type * as ort from 'onnxruntime-node';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { describeThrown, MisasInputError } from '../errors';
import { voxelCount } from '../volume';
import { inferCard } from './card';
import type { ModelCard } from './cardTypes';
import { readOutputProducers } from './graphOutputs';
import { describeSession } from './inspect';
import { readOnnxMetadata } from './metadata';
import { readMonaiBundle } from './monaiBundle';
import { SessionInference, type Inference, type SessionRunObserver } from './inference/inference';
import { planInference } from './inference/plan';
import { InferencePool } from './inference/pool';
import { OnnxSegmentationModel } from './segmentationModel';
import { openSession, sessionOptions, type ExecutionProvider } from './session';
import { readSidecar } from './sidecar';

export type { SegmentationModel } from './segmentationModel';
export type { SessionRunObserver } from './inference/inference';
export { OnnxSegmentationModel } from './segmentationModel';
export * from './cardTypes';
export { inferCard, DEFAULT_PAD_MULTIPLE, DEFAULT_WINDOW_OVERLAP } from './card';
export { inspectModel, type ModelInspection, type TensorDescription } from './inspect';
export { readOnnxMetadata } from './metadata';
export { readMonaiBundle, type MonaiBundle } from './monaiBundle';
export * from './orientation';
export { cardSchema, metadataCard, readSidecar, sidecarPath, validateCardFile } from './sidecar';
export { sessionOptions, type ExecutionProvider } from './session';

export interface LoadModelOptions {
  /** onnxruntime intra-op threads, shared out among the workers (default: onnxruntime's choice, usually the core count). */
  threads?: number;
  /**
   * Sessions in worker threads that run the model calls, so that transforms and scoring overlap
   * with inference: 0 = one session on the calling thread (the default for library use), 'auto'
   * = by the core count and the model's size (planInference; the CLI's and VS Code's default).
   */
  workers?: number | 'auto';
  executionProvider?: ExecutionProvider;
  /** Images (or slices) per model call for models with a dynamic batch axis. */
  batchSize?: number;
  /** Told about recoverable problems: CUDA fallback, a batch size the model cannot take, assumed card fields. */
  onWarning?: (message: string) => void;
  /** For `npm run bench` only, not a user option: sees every tensor fed to session.run and the call's time. */
  onSessionRun?: SessionRunObserver;
}

/** Keeps a default batch around 4 M input values (16 MB of float32): 8 at 128×128, 2 at 1024×1024. */
const DEFAULT_BATCH_VALUES = 4 * 1024 * 1024;
const DEFAULT_MAX_BATCH = 8;

function deriveMaxBatch(
  card: ModelCard,
  fixedBatch: number | undefined,
  options: LoadModelOptions,
  path: string,
): number {
  const requested = options.batchSize;
  if (requested !== undefined && !(Number.isInteger(requested) && requested >= 1)) {
    throw new MisasInputError(path, `batchSize must be a positive integer, not ${requested}`);
  }
  if (fixedBatch !== undefined) {
    if (requested !== undefined && requested !== fixedBatch) {
      options.onWarning?.(
        `${path}: the model takes batches of exactly ${fixedBatch}; batchSize ${requested} is ignored.`,
      );
    }
    return fixedBatch;
  }
  if (requested !== undefined) return requested;
  if (card.spatialDims === 3) return 1;
  const size = card.geometry.size;
  if (!size) return 4;
  return Math.max(
    1,
    Math.min(DEFAULT_MAX_BATCH, Math.floor(DEFAULT_BATCH_VALUES / (voxelCount(size) * card.channels))),
  );
}

/**
 * Largest tensor of one model call (input or output, float32) misas allocates: 2 GiB, the
 * images' default limit too. A model whose fixed size needs more is refused by its declared
 * shape, naming the file, before any buffer is made (it would fail with "Invalid typed array
 * length" or exhaust memory mid-run).
 */
export const MAX_MODEL_TENSOR_BYTES = 2 ** 31;

function checkTensorSizes(card: ModelCard, maxBatch: number, path: string): void {
  const size = card.geometry.size;
  if (!size || size.some((n) => typeof n !== 'number')) return; // sized by each input, checked by its header
  const voxels = voxelCount(size as number[]);
  const largest = Math.max(card.channels, card.classes.length) * voxels * maxBatch * 4;
  if (largest > MAX_MODEL_TENSOR_BYTES) {
    const gib = (bytes: number) => `${(bytes / 2 ** 30).toLocaleString('en-US', { maximumFractionDigits: 1 })} GiB`;
    const channels = Math.max(card.channels, card.classes.length);
    throw new MisasInputError(
      path,
      `the model's fixed size [${size.join(', ')}] needs ${gib(largest)} per model call (batch ${maxBatch} × ${channels} channel${channels === 1 ? '' : 's'} × ${voxels.toLocaleString('en-US')} values, float32), more than misas allocates (${gib(MAX_MODEL_TENSOR_BYTES)}); is the model's input shape right?`,
    );
  }
}

/** Opens a model once, resolves its card (sidecar > metadata_props > MONAI bundle > shapes > defaults) and wraps it. */
export async function loadModel(path: string, options: LoadModelOptions = {}): Promise<OnnxSegmentationModel> {
  const { session, executionProvider } = await openSession(path, options);
  try {
    const inspection = describeSession(session, path, await readOnnxMetadata(path), {
      outputOps: await readOutputProducers(path),
      bundle: await readMonaiBundle(path),
    });
    const resolution = inferCard(inspection, await readSidecar(path));
    for (const warning of resolution.warnings) options.onWarning?.(warning);
    for (const item of resolution.unresolved) {
      options.onWarning?.(`${path}: ${item.field} assumed ${JSON.stringify(item.assumed)} (${item.reason}).`);
    }
    const batchDim = inspection.inputs[0].shape[0];
    const maxBatch = deriveMaxBatch(resolution.card, batchDim ?? undefined, options, path);
    checkTensorSizes(resolution.card, maxBatch, path);
    const inference = await inferenceFor(session, path, resolution.card.output.name, executionProvider, options);
    return new OnnxSegmentationModel(
      path,
      session.inputMetadata[0],
      inference,
      resolution,
      maxBatch,
      executionProvider,
    );
  } catch (thrown) {
    await session.release();
    throw thrown;
  }
}

/**
 * The session that was opened to inspect the model runs it, or (with workers) a pool of
 * sessions in worker threads, each with its share of the threads; the inspecting session is
 * then released.
 */
async function inferenceFor(
  session: ort.InferenceSession,
  path: string,
  outputName: string,
  provider: ExecutionProvider,
  options: LoadModelOptions,
): Promise<Inference> {
  const asked = options.workers ?? 0;
  if (asked !== 'auto' && !(Number.isInteger(asked) && asked >= 0))
    throw new MisasInputError(path, `workers must be 0, a positive integer or "auto", not ${asked}`);
  const { workers, threadsPerSession } = planInference(availableParallelism(), (await stat(path)).size, {
    ...(options.threads ? { threads: options.threads } : {}),
    // A GPU session per worker would hold the model in GPU memory several times over.
    ...(asked !== 'auto' ? { workers: asked } : provider === 'cuda' ? { workers: 1 } : {}),
  });
  if (workers === 0) return new SessionInference(session, outputName, options.onSessionRun);
  let pool: InferencePool;
  try {
    pool = await InferencePool.open({
      workers,
      modelPath: path,
      sessionOptions: sessionOptions(provider, threadsPerSession),
      inputName: session.inputNames[0],
      outputName,
      describe: (problem) => new Error(problem),
      ...(options.onSessionRun ? { onRun: options.onSessionRun } : {}),
    });
  } catch (thrown) {
    throw new MisasInputError(path, `could not start its inference threads: ${describeThrown(thrown)}`);
  }
  await session.release();
  return pool;
}
