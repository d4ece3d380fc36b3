/**
 * How much memory one input needs while its sweep runs, from its header alone, so a dataset
 * with an image too large for the machine is refused before the run instead of crashing it.
 */
import { MisasInputError } from '../errors';
import { blendingBytes } from '../model/slidingWindow';

export interface MemoryEstimateOptions {
  modelSpatialDims: 2 | 3;
  /** Number of classes the model predicts (background included). */
  classes: number;
  /** For a 2D model on a volume: the axis it is sliced along (default 2). */
  sliceAxis?: number;
  /**
   * Images per model call (the loaded model's maxBatch). Default: 1 for 3D models, 8 for 2D
   * models, the model loader's defaults (8 is its largest derived batch).
   */
  batchSize?: number;
}

const DEFAULT_BATCH = { 2: 8, 3: 1 } as const;
const FLOAT32 = 4;
/** Truth label maps keep their file's integer type; counted at the widest the readers return. */
const TRUTH_LABEL_BYTES = 4;
/** One transform's float64 working set, in planes of one channel: k-space real + imaginary + result, with room to spare. */
const TRANSFORM_SCRATCH_FLOAT64_PLANES = 4;

/**
 * Bytes one input holds at the same time during its sweep. With V = voxels (product of dims),
 * C = channels, b = bytes per voxel as read, K = classes (at least 2), P = bytes of a predicted
 * label (1 below 257 classes, else 2), B = batch size, I = voxels of one model item (V, or one
 * slice of V for a 2D model on a volume):
 *
 *     V·C·b                     the image as read
 *   + 3·B·V·C·4                 float32 images: the transformed images of the batch being predicted
 *                               and of the next one, which the runner transforms meanwhile (2B), and
 *                               the model's normalised copy of each image in a batch (B)
 *   + 4·8·V                     one transform's float64 working set (one channel at a time)
 *   + (1 + 2B)·V·4              truth label maps: the mask and, for spatial transforms, the
 *                               transformed truths of both batches (counted at 32 bits)
 *   + (1 + B)·V·P               predicted label maps: the untransformed one (baseline or pseudo-truth)
 *                               and a batch's
 *   + B·I·4·(C + K) + I·4·K     one model call's float32 input and score tensors, and one item's
 *                               scores copied or resampled onto its grid
 *
 * It counts what misas itself holds. Not counted: the network's own activations inside
 * onnxruntime (they depend on the architecture) and a model grid larger than the image's.
 */
export function estimateInputBytes(
  peek: { dims: readonly number[]; channels: number; bytesPerVoxel: number },
  options: MemoryEstimateOptions,
): number {
  const voxels = peek.dims.reduce((product, n) => product * n, 1);
  const channels = peek.channels;
  const classes = Math.max(2, options.classes);
  const labelBytes = classes <= 256 ? 1 : 2;
  const batch = options.batchSize ?? DEFAULT_BATCH[options.modelSpatialDims];
  const slicedVolume = options.modelSpatialDims === 2 && peek.dims.length === 3;
  const itemVoxels = slicedVolume ? voxels / peek.dims[options.sliceAxis ?? 2] : voxels;

  const asRead = voxels * channels * peek.bytesPerVoxel;
  const floatImages = 3 * batch * voxels * channels * FLOAT32;
  const transformScratch = TRANSFORM_SCRATCH_FLOAT64_PLANES * 8 * voxels;
  const truths = (1 + 2 * batch) * voxels * TRUTH_LABEL_BYTES;
  const predictions = (1 + batch) * voxels * labelBytes;
  const tensors = batch * itemVoxels * FLOAT32 * (channels + classes) + itemVoxels * FLOAT32 * classes;
  return asRead + floatImages + transformScratch + truths + predictions + tensors;
}

const GIB = 1024 ** 3;

/** Refuses an input whose estimate exceeds the memory budget, saying how to raise the budget. */
export function checkFits(file: string, bytes: number, budgetBytes: number): void {
  if (bytes <= budgetBytes) return;
  // Round the need up and the limit down, so the two never print as the same number.
  const needed = (Math.ceil((bytes / GIB) * 100) / 100).toFixed(2);
  const limit = (Math.floor((budgetBytes / GIB) * 100) / 100).toFixed(2);
  throw new MisasInputError(
    file,
    `needs about ${needed} GiB in memory, more than the limit of ${limit} GiB (raise it with --max-memory <MB> on the command line or the setting misas.maxMemoryMB)`,
  );
}

/** What the estimate needs to know about a loaded model. */
export interface ModelForEstimate {
  card: { spatialDims: 2 | 3; sliceAxis?: number; geometry: { policy: string; size?: number[] } };
  classNames: readonly string[];
}

/**
 * The estimate for one input and one model as the runner will run it: `stepsPerCall` images per
 * model call, plus the sliding-window blending buffers for such models.
 */
export function estimateForModel(
  peek: { dims: readonly number[]; channels: number; bytesPerVoxel: number },
  model: ModelForEstimate,
  stepsPerCall: number,
): number {
  const { card } = model;
  const base = estimateInputBytes(peek, {
    modelSpatialDims: card.spatialDims,
    classes: model.classNames.length,
    sliceAxis: card.sliceAxis ?? 2,
    batchSize: stepsPerCall,
  });
  const windowed =
    card.geometry.policy === 'sliding-window' && card.geometry.size && card.geometry.size.length === peek.dims.length;
  return (
    base +
    (windowed ? blendingBytes(peek.dims, card.geometry.size!, Math.max(2, model.classNames.length), peek.channels) : 0)
  );
}
