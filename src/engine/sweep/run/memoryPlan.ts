/**
 * The memory estimate the runner checks each input against before reading it (issue 16): what
 * misas holds for the input, from its header (dataset/memory.ts), plus what the process holds
 * anyway. The latter is measured, not guessed: the resident memory now (Node, onnxruntime, the
 * models' weights) after each model has run one warm-up batch, so that the activations
 * onnxruntime keeps between calls are in it. The warm-up runs once per model and only for
 * volumes (for 2D images both parts are small); its labels are thrown away.
 */
import { estimateForModel, type RunShape } from '../../dataset/memory';
import type { SegmentationModel } from '../../model';
import { identityAffine, type Volume } from '../../volume';

export interface ImageHeader {
  dims: readonly number[];
  channels: number;
  bytesPerVoxel: number;
}

export interface InputEstimate {
  /** The whole process at the input's peak. */
  bytes: number;
  /** Of that, the process and its models before the input is read. */
  processBytes: number;
}

/** A zero image of `dims` with `channels` channels: labels are not kept, only the call's memory counts. */
function zeros(dims: readonly number[], channels: number): Volume {
  const voxels = dims.reduce((product, n) => product * n, 1);
  return {
    data: new Float32Array(voxels * channels),
    dims: [...dims],
    spacing: dims.map(() => 1),
    affine: identityAffine(),
    channels,
  };
}

/**
 * The images of one warm-up call as large as the model's calls on this input: a batch of slices
 * (2D models), one window (sliding windows) or the card's fixed grid (3D); undefined where the
 * model grid is the volume's own (3D pad-to-multiple), which a warm-up would have to run whole.
 */
function warmUpImages(model: SegmentationModel, header: ImageHeader): Volume[] | undefined {
  const { card } = model;
  const size = card.geometry.size;
  const channels = header.channels;
  if (card.spatialDims === 2) {
    const slice = header.dims.filter((_, axis) => header.dims.length === 2 || axis !== (card.sliceAxis ?? 2));
    const dims = size && card.geometry.policy !== 'resize' ? size : slice;
    return Array.from({ length: model.maxBatch }, () => zeros(dims, channels));
  }
  return size ? [zeros(size, channels)] : undefined;
}

/**
 * An estimator for the run: `estimate(header, shape)` is the largest over the models. The first
 * volume makes every model run its warm-up batch, once.
 */
export function inputEstimator(
  models: readonly SegmentationModel[],
): (header: ImageHeader, shapeOf: (model: SegmentationModel) => RunShape) => Promise<InputEstimate> {
  const warmed = new Set<SegmentationModel>();
  return async (header, shapeOf) => {
    if (header.dims.length === 3) {
      for (const model of models) {
        if (warmed.has(model)) continue;
        warmed.add(model);
        const images = warmUpImages(model, header);
        // Twice: onnxruntime grows its arenas on the first calls of a size.
        if (images) for (let i = 0; i < 2; i++) await model.predict(images);
      }
    }
    const processBytes = process.memoryUsage().rss;
    const own = Math.max(...models.map((model) => estimateForModel(header, model, shapeOf(model))));
    return { bytes: processBytes + own, processBytes };
  };
}
