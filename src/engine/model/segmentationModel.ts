/**
 * A loaded segmentation model: images in, label maps on the images' own grids out, in
 * batches. The model calls go to an Inference (inference/): a session on this thread, which
 * onnxruntime-node runs synchronously, or sessions in worker threads, with `callsAhead` batches
 * prepared ahead while they run. Aborts are noticed between batches.
 */
import * as ort from 'onnxruntime-node';
import { MisasInputError } from '../errors';
import { voxelCount, type Volume } from '../volume';
import { isChannelsLast, type CardResolution, type ModelCard } from './cardTypes';
import { channelAxis, labelSpatialAxes, spatialAxes } from './axes';
import { DEFAULT_WINDOW_OVERLAP } from './card';
import { padCropCentred, sameDims } from './geometry';
import { decideInto } from './decide';
import {
  firstNonFinite,
  invalidLabel,
  labelsInStoredOrientation,
  labelsOnGrid,
  newLabelArray,
  oneHot,
  sampleScores,
  type LabelArray,
  type SampleScores,
} from './postprocess';
import {
  batchTensorDims,
  insertSlice,
  itemGridInput,
  itemInput,
  itemInputInto,
  packInto,
  planItems,
  prepareImage,
  releasePrepared,
  type PreparedImage,
  type WorkItem,
} from './preprocess';
import { runAhead } from '../runAhead';
import { argmaxPass } from './argmaxPass';
import type { Inference } from './inference/inference';
import { extractWindow, paddedDims, WindowBlender, windowOrigins, windowWeights } from './slidingWindow';

export interface SegmentationModel {
  readonly path: string;
  readonly card: ModelCard; // resolved card
  readonly classNames: string[]; // index = label value
  readonly maxBatch: number; // 1 for a fixed batch of 1, else the configured/derived batch size
  /** predict() calls worth keeping started while working on a result (see runAhead): 0 unless inference runs in worker threads. */
  readonly callsAhead: number;
  /** Predicts label maps for images on their own grids (2D Volume for 2D models; a 3D Volume for a 2D model runs slice by slice along card.sliceAxis; 3D models take the volume). Returns integer label Volumes (Uint8Array when < 256 classes) on exactly the input grids (inverse geometry applied). Stacks inputs into batches of ≤ maxBatch. Rejects with AbortError when signal aborts (checked between batches). */
  predict(images: Volume[], signal?: AbortSignal): Promise<Volume[]>;
  dispose(): Promise<void>;
}

/** Work items with the same model grid, at most maxBatch of them, in order of first appearance. */
function groupIntoBatches(items: WorkItem[], maxBatch: number): WorkItem[][] {
  const open = new Map<string, WorkItem[]>();
  const batches: WorkItem[][] = [];
  for (const item of items) {
    const key = item.modelDims.join('x');
    let batch = open.get(key);
    if (!batch || batch.length >= maxBatch) {
      batch = [];
      open.set(key, batch);
      batches.push(batch);
    }
    batch.push(item);
  }
  return batches;
}

function describeItem(item: WorkItem, count: number, card: ModelCard, windowOrigin?: readonly number[]): string {
  const slice = item.slice === undefined ? '' : ` (slice ${item.slice} along axis ${card.sliceAxis ?? 2})`;
  const window = windowOrigin === undefined ? '' : ` (window at [${windowOrigin.join(', ')}])`;
  return `input ${item.image + 1} of ${count}${slice}${window}`;
}

/** Puts one work item's labels into the image's label array (a whole image, or one slice of a volume). */
function storeLabels(
  labels: (LabelArray | undefined)[],
  item: WorkItem,
  plane: LabelArray,
  volume: Volume,
  card: ModelCard,
): void {
  if (item.slice === undefined) {
    labels[item.image] = plane;
    return;
  }
  const target = (labels[item.image] ??= newLabelArray(card.classes.length, voxelCount(volume.dims)));
  insertSlice(target, volume.dims, card.sliceAxis ?? 2, item.slice, plane);
}

function labelVolumes(images: readonly Volume[], labels: readonly (LabelArray | undefined)[]): Volume[] {
  return images.map((volume, i) => ({
    data: labels[i]!,
    dims: [...volume.dims],
    spacing: [...volume.spacing],
    affine: volume.affine.map((row) => [...row]),
    channels: 1,
  }));
}

export class OnnxSegmentationModel implements SegmentationModel {
  readonly card: ModelCard;
  readonly classNames: string[];
  readonly unresolved: CardResolution['unresolved'];
  /** The model's fixed batch size, or undefined when the batch axis is dynamic. */
  private readonly fixedBatch: number | undefined;
  private readonly inputIsDouble: boolean;

  constructor(
    readonly path: string,
    input: ort.InferenceSession.ValueMetadata,
    private readonly inference: Inference,
    resolution: CardResolution,
    readonly maxBatch: number,
    readonly executionProvider: 'cpu' | 'cuda',
  ) {
    this.card = resolution.card;
    this.classNames = [...resolution.card.classes];
    this.unresolved = resolution.unresolved;
    const batchDim = input.isTensor ? input.shape[0] : undefined;
    this.fixedBatch = typeof batchDim === 'number' && batchDim > 0 ? batchDim : undefined;
    this.inputIsDouble = input.isTensor && input.type === 'float64';
  }

  async predict(images: Volume[], signal?: AbortSignal): Promise<Volume[]> {
    signal?.throwIfAborted();
    if (this.card.geometry.policy === 'sliding-window') return this.predictWindows(images, signal);
    const items = planItems(images, this.card, this.path);
    const labels: (LabelArray | undefined)[] = images.map(() => undefined);
    const prepared = new Map<number, PreparedImage>();
    // Items of each image not yet packed into a batch: its normalised planes are released after the last.
    const unpacked = new Map<number, number>();
    for (const item of items) unpacked.set(item.image, (unpacked.get(item.image) ?? 0) + 1);

    const batches = groupIntoBatches(items, this.maxBatch);
    const calls = function* (model: OnnxSegmentationModel) {
      for (const batch of batches) {
        signal?.throwIfAborted();
        yield model.run(model.buildFeed(batch, images, prepared, unpacked)).then((output) => ({ batch, output }));
      }
    };
    for await (const { batch, output } of runAhead(calls(this), this.callsAhead)) {
      batch.forEach((item, index) => {
        const sample = this.sampleOf(output, index, item, images.length, undefined, true);
        const oriented = labelsOnGrid(sample, this.card, item.modelDims, item.orientedDims);
        storeLabels(
          labels,
          item,
          labelsInStoredOrientation(oriented, this.card, item.gridDims),
          images[item.image],
          this.card,
        );
      });
    }
    return labelVolumes(images, labels);
  }

  /**
   * Sliding-window inference, one work item (image, or slice) after another: the item's
   * normalised grid, padded up to the window where it is smaller, is covered by overlapping
   * windows (batches of ≤ maxBatch); their raw per-class scores are blended onto the grid,
   * the labels decided there and the padding removed.
   */
  private async predictWindows(images: Volume[], signal?: AbortSignal): Promise<Volume[]> {
    const items = planItems(images, this.card, this.path);
    const labels: (LabelArray | undefined)[] = images.map(() => undefined);
    // Items come image by image, so one prepared (normalised) image is alive at a time.
    let prepared: { image: number; value: PreparedImage } | undefined;
    for (const item of items) {
      const volume = images[item.image];
      if (prepared?.image !== item.image) prepared = { image: item.image, value: prepareImage(volume, this.card) };
      const plane = await this.windowedLabels(item, prepared.value, volume.dims, images.length, signal);
      storeLabels(labels, item, plane, volume, this.card);
    }
    return labelVolumes(images, labels);
  }

  private async windowedLabels(
    item: WorkItem,
    prepared: PreparedImage,
    volumeDims: readonly number[],
    imageCount: number,
    signal?: AbortSignal,
  ): Promise<LabelArray> {
    const card = this.card;
    const windowDims = item.modelDims;
    const input = itemGridInput(item, prepared, card, volumeDims);
    // Windows cover the grid in the model's orientation; the labels are turned back at the end.
    const gridDims = paddedDims(item.orientedDims, windowDims);
    const padded = !sameDims(gridDims, item.orientedDims);
    const grid = padded
      ? padCropCentred(input.data, item.orientedDims, input.channels, gridDims, [input.padValue])
      : input.data;
    const origins = windowOrigins(gridDims, windowDims, card.geometry.overlap ?? DEFAULT_WINDOW_OVERLAP);
    const classCount = card.classes.length;
    const planes = card.output.kind === 'sigmoid' ? classCount - 1 : classCount;
    // Labels are decided band by band as the windows move on: no per-class scores for the whole grid.
    const labels = newLabelArray(classCount, voxelCount(gridDims));
    const blender = new WindowBlender(
      gridDims,
      planes,
      windowDims,
      windowWeights(windowDims, card.geometry.blend ?? 'gaussian'),
      (averaged, firstVoxel, voxels) => decideInto(averaged, planes, voxels, card, labels, firstVoxel),
    );
    const windowVoxels = voxelCount(windowDims);
    const calls = function* (model: OnnxSegmentationModel) {
      for (let start = 0; start < origins.length; start += model.maxBatch) {
        signal?.throwIfAborted();
        const batch = origins.slice(start, start + model.maxBatch);
        const feed = model.tensorOf(
          batch.map((origin) => extractWindow(grid, gridDims, input.channels, origin, windowDims)),
          windowDims,
        );
        yield model.run(feed).then((output) => ({ batch, output }));
      }
    };
    for await (const { batch, output } of runAhead(calls(this), this.callsAhead)) {
      batch.forEach((origin, index) => {
        const sample = this.sampleOf(output, index, item, imageCount, origin);
        // A label-map output votes with one-hot planes, like the resize policy resamples it.
        blender.add(
          card.output.kind === 'labels' ? oneHot(sample.scores, classCount, windowVoxels) : sample.scores,
          origin,
        );
      });
    }
    blender.finish();
    const oriented = padded ? padCropCentred(labels, gridDims, 1, item.orientedDims, [0]) : labels;
    return labelsInStoredOrientation(oriented, card, item.gridDims);
  }

  /** The input tensor of a batch; an image's prepared planes are released once its last item is packed. */
  private buildFeed(
    batch: WorkItem[],
    images: Volume[],
    prepared: Map<number, PreparedImage>,
    unpacked: Map<number, number>,
  ): ort.Tensor {
    const preparedOf = (item: WorkItem): PreparedImage => {
      let image = prepared.get(item.image);
      if (!image) {
        image = prepareImage(images[item.image], this.card);
        prepared.set(item.image, image);
      }
      return image;
    };
    const packed = (item: WorkItem) => {
      const left = unpacked.get(item.image)! - 1;
      unpacked.set(item.image, left);
      if (left > 0) return;
      releasePrepared(prepared.get(item.image)!);
      prepared.delete(item.image);
    };
    const modelDims = batch[0].modelDims;
    let tensor: ort.Tensor;
    if (this.inputIsDouble || isChannelsLast(this.card.layout)) {
      const inputs = batch.map((item) => itemInput(item, preparedOf(item), this.card, images[item.image].dims));
      tensor = this.tensorOf(inputs, modelDims);
    } else {
      // The common case, planar float32: every input is written straight into the batch tensor.
      const perItem = voxelCount(modelDims) * this.card.channels;
      const size = this.fixedBatch ?? batch.length;
      const data = new Float32Array(size * perItem);
      batch.forEach((item, index) =>
        itemInputInto(item, preparedOf(item), this.card, images[item.image].dims, data, index * perItem),
      );
      tensor = new ort.Tensor('float32', data, batchTensorDims(this.card, size, modelDims));
    }
    batch.forEach(packed);
    return tensor;
  }

  /** The input tensor of a batch of model-grid inputs (planar channels each), in the model's layout and type. */
  private tensorOf(inputs: Float32Array[], modelDims: readonly number[]): ort.Tensor {
    const size = this.fixedBatch ?? inputs.length;
    const dims = batchTensorDims(this.card, size, modelDims);
    const perItem = voxelCount(modelDims) * this.card.channels;
    const data = this.inputIsDouble ? new Float64Array(size * perItem) : new Float32Array(size * perItem);
    const channelsLast = isChannelsLast(this.card.layout);
    inputs.forEach((input, index) => packInto(data, index, input, this.card.channels, channelsLast));
    return new ort.Tensor(this.inputIsDouble ? 'float64' : 'float32', data, dims);
  }

  private async run(feed: ort.Tensor): Promise<ort.Tensor> {
    const shape = feed.dims.join(', '); // read now: a pool moves the feed's buffer to its worker
    try {
      return await this.inference.run(feed);
    } catch (thrown) {
      throw new MisasInputError(
        this.path,
        `onnxruntime failed on an input of shape [${shape}]: ${(thrown as Error).message ?? String(thrown)}`,
        { cause: thrown },
      );
    }
  }

  /** Calls worth keeping started ahead (see Inference.callsAhead). */
  get callsAhead(): number {
    return this.inference.callsAhead;
  }

  /** Checks the output of one batch item and returns its planar scores on the model grid. */
  private sampleOf(
    output: ort.Tensor,
    index: number,
    item: WorkItem,
    imageCount: number,
    windowOrigin?: readonly number[],
    withArgmax = false,
  ): SampleScores {
    const card = this.card;
    const what = () => describeItem(item, imageCount, card, windowOrigin);
    const fail = (problem: string, hint?: string): never => {
      throw new MisasInputError(this.path, `${problem} for ${what()}${hint ? `; ${hint}` : ''}`);
    };
    const rank = card.spatialDims + 2;
    const dims = output.dims;
    const labelMap = dims.length === rank - 1;
    if (dims.length !== rank && !(labelMap && card.output.kind === 'labels')) {
      fail(`returned output "${card.output.name}" of shape [${dims.join(', ')}], expected rank ${rank}`);
    }
    const spatial = (labelMap ? labelSpatialAxes(dims.length) : spatialAxes(card.output.layout)).map(
      (axis) => dims[axis],
    );
    if (!sameDims(spatial, item.modelDims)) {
      fail(
        `returned output "${card.output.name}" of shape [${dims.join(', ')}], whose spatial size [${spatial.join(', ')}] differs from the input's [${item.modelDims.join(', ')}] (width, height${rank === 5 ? ', depth' : ''})`,
        'misas needs one label per input pixel',
      );
    }
    const planes = labelMap ? 1 : dims[channelAxis(card.output.layout)];
    const classCount = card.classes.length;
    const expectedPlanes =
      card.output.kind === 'labels' ? 1 : card.output.kind === 'sigmoid' ? classCount - 1 : classCount;
    if (planes !== expectedPlanes) {
      fail(
        `returned ${planes} output channel${planes === 1 ? '' : 's'}, but its card lists ${classCount} classes (${card.output.kind} needs ${expectedPlanes})`,
      );
    }
    if (typeof output.data === 'string' || output.type === 'float16' || output.type === 'bool') {
      fail(`returned output of type ${output.type}, which misas cannot read`);
    }
    const sample = sampleScores(
      output.data as ArrayLike<number | bigint>,
      index,
      voxelCount(item.modelDims),
      planes,
      !labelMap && isChannelsLast(card.output.layout),
    );
    // Logits and probabilities are checked in the same pass that finds their argmax (labelsOnGrid reads it next).
    const kind = card.output.kind;
    if (withArgmax && (kind === 'logits' || kind === 'probabilities'))
      sample.argmax = argmaxPass(sample.scores, planes, voxelCount(item.modelDims));
    const bad = sample.argmax ? -1 : firstNonFinite(sample.scores);
    if (bad >= 0) fail(`model returned ${sample.scores[bad]} in its output "${card.output.name}"`);
    if (card.output.kind === 'labels') {
      const value = invalidLabel(sample, classCount);
      if (value !== undefined)
        fail(`returned label ${value}, but its card lists ${classCount} classes (0–${classCount - 1})`);
    }
    return sample;
  }

  async dispose(): Promise<void> {
    await this.inference.release();
  }
}
