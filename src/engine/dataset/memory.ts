/**
 * How much memory one input needs while its sweep runs, from its header alone, so an image too
 * large for the machine is refused before it is read instead of crashing the run. The estimate
 * is of the whole process at its peak (docs/scaling.md): what misas holds for the input, plus
 * what the process and its models hold anyway (measured by the caller).
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
  /** Transformed images in flight at once (default: two batches, the one predicted and the next). */
  stepsInFlight?: number;
  /**
   * Whether some series' transform works on the whole volume at once (not slab-local, see
   * isSlabLocal in the transform registry): it then needs float64 working copies of a channel.
   * Default true (the safe side).
   */
  wholeVolumeTransform?: boolean;
  /** Whether the input has a label map (else the untransformed prediction is the truth). Default true. */
  mask?: boolean;
  /**
   * Voxels of one model input of a sliding-window model (its window): its calls then hold B
   * windows, and its scores are blended in a band (blendingBytes), not resampled per item.
   */
  windowVoxels?: number;
}

const DEFAULT_BATCH = { 2: 8, 3: 1 } as const;
const FLOAT32 = 4;
const FLOAT64 = 8;
/** Truth label maps keep their file's integer type; counted at 16 bits (uint8 and int16 are the usual). */
const TRUTH_LABEL_BYTES = 2;
/**
 * A whole-volume transform's float64 working set, in copies of one channel: the 3D k-space
 * artefacts keep the half spectrum of a real volume (V/2 complex float64 values = 8 bytes per
 * voxel) and write their result into it (fft/real.ts); measured by `MISAS_BENCH_CASE=memory`.
 */
const WHOLE_VOLUME_SCRATCH_FLOAT64 = 1;

/**
 * Bytes misas holds for one input at the peak of its sweep. With V = voxels (product of dims),
 * C = channels, b = bytes per voxel as read, K = classes (at least 2), P = bytes of a predicted
 * label (1 below 257 classes, else 2), B = batch size, S = steps in flight, I = voxels of one
 * model item (V, or one slice of V for a 2D model on a volume):
 *
 *     V·C·b                     the image as read
 *   + V·2                       the truth label map, when there is one
 *   + V·P                       the untransformed prediction (baseline, or the pseudo-truth)
 *   + S·V·(C·4 + 2·P)           per step in flight: its transformed image (float32 at most), its
 *                               transformed truth and its prediction
 *   + 8·V                       a whole-volume transform's float64 working set (k-space artefacts,
 *                               3D filters; none when every series is slab-local)
 *   + V·C·4                     a 3D model's normalised float32 copy (a 2D model makes each
 *                               slice's when the slice is fed: no whole copy)
 *   + B·I·4·(C + K) + I·4·K     one model call's float32 input and score tensors, and one item's
 *                               scores resampled onto its grid (sliding windows: B·W·4·(C + K)
 *                               for windows of W voxels)
 *
 * Sliding-window models add the blending band (blendingBytes). Not counted here: the process
 * itself and the network's activations inside onnxruntime, which the caller measures
 * (processBytes).
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
  const inFlight = options.stepsInFlight ?? 2 * batch;
  const slicedVolume = options.modelSpatialDims === 2 && peek.dims.length === 3;
  const itemVoxels = slicedVolume ? voxels / peek.dims[options.sliceAxis ?? 2] : voxels;

  const asRead = voxels * channels * peek.bytesPerVoxel;
  const truth = options.mask === false ? 0 : voxels * TRUTH_LABEL_BYTES;
  const original = voxels * labelBytes;
  const steps = inFlight * voxels * (channels * FLOAT32 + 2 * labelBytes);
  const scratch = options.wholeVolumeTransform === false ? 0 : WHOLE_VOLUME_SCRATCH_FLOAT64 * FLOAT64 * voxels;
  const modelCopy = slicedVolume ? 0 : voxels * channels * FLOAT32;
  const tensors =
    options.windowVoxels !== undefined
      ? batch * options.windowVoxels * FLOAT32 * (channels + classes)
      : batch * itemVoxels * FLOAT32 * (channels + classes) + itemVoxels * FLOAT32 * classes;
  return asRead + truth + original + steps + scratch + modelCopy + tensors;
}

const GIB = 1024 ** 3;

function gib(bytes: number, round: (x: number) => number): string {
  return (round((bytes / GIB) * 100) / 100).toFixed(2);
}

/**
 * Refuses an input whose estimate exceeds the memory budget, saying how much it needs (and of
 * that, how much the process and its models hold anyway) and how to raise the budget.
 */
export function checkFits(file: string, bytes: number, budgetBytes: number, processBytes = 0): void {
  if (bytes <= budgetBytes) return;
  // Round the need up and the limit down, so the two never print as the same number.
  const of =
    processBytes > 0
      ? `; ${gib(processBytes, Math.round)} GiB of it is misas and its models before the image is read`
      : '';
  throw new MisasInputError(
    file,
    `needs about ${gib(bytes, Math.ceil)} GiB in memory, more than the limit of ${gib(budgetBytes, Math.floor)} GiB (raise it with --max-memory <MB> on the command line or the setting misas.maxMemoryMB)${of}`,
  );
}

/** What the estimate needs to know about a loaded model. */
export interface ModelForEstimate {
  card: { spatialDims: 2 | 3; sliceAxis?: number; geometry: { policy: string; size?: number[] } };
  classNames: readonly string[];
}

/** What the run does with an input, beyond its header and the model. */
export interface RunShape {
  /** Images (or a volume's slices) per model call: the model's maxBatch. */
  modelBatch: number;
  /** Transformed images in flight at once. */
  stepsInFlight: number;
  wholeVolumeTransform: boolean;
  mask: boolean;
}

/**
 * The estimate of misas's own buffers for one input and one model as the runner will run it,
 * plus the sliding-window blending band for such models.
 */
export function estimateForModel(
  peek: { dims: readonly number[]; channels: number; bytesPerVoxel: number },
  model: ModelForEstimate,
  shape: RunShape,
): number {
  const { card } = model;
  const windowed =
    card.geometry.policy === 'sliding-window' && card.geometry.size && card.geometry.size.length === peek.dims.length;
  const base = estimateInputBytes(peek, {
    modelSpatialDims: card.spatialDims,
    classes: model.classNames.length,
    sliceAxis: card.sliceAxis ?? 2,
    batchSize: shape.modelBatch,
    stepsInFlight: shape.stepsInFlight,
    wholeVolumeTransform: shape.wholeVolumeTransform,
    mask: shape.mask,
    ...(windowed ? { windowVoxels: card.geometry.size!.reduce((product, n) => product * n, 1) } : {}),
  });
  return (
    base +
    (windowed ? blendingBytes(peek.dims, card.geometry.size!, Math.max(2, model.classNames.length), peek.channels) : 0)
  );
}
