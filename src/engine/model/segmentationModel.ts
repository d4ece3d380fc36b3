/**
 * A loaded segmentation model: images in, label maps on the images' own grids out, in
 * batches. onnxruntime-node runs a session synchronously on the JavaScript thread (inside a
 * setImmediate), so batches cannot overlap with preparing the next one in this process;
 * the event loop does turn between batches, which is where aborts are noticed.
 */
import * as ort from 'onnxruntime-node';
import { MisasInputError } from '../errors';
import { voxelCount, type Volume } from '../volume';
import { isChannelsLast, type CardResolution, type ModelCard } from './cardTypes';
import { channelAxis, labelSpatialAxes, spatialAxes } from './card';
import { sameDims } from './geometry';
import { firstNonFinite, invalidLabel, labelsOnGrid, newLabelArray, sampleScores, type LabelArray } from './postprocess';
import { batchTensorDims, insertSlice, itemInput, packInto, planItems, prepareImage, type PreparedImage, type WorkItem } from './preprocess';

export interface SegmentationModel {
  readonly path: string;
  readonly card: ModelCard;          // resolved card
  readonly classNames: string[];     // index = label value
  readonly maxBatch: number;         // 1 for a fixed batch of 1, else the configured/derived batch size
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

function describeItem(item: WorkItem, count: number, card: ModelCard): string {
  const slice = item.slice === undefined ? '' : ` (slice ${item.slice} along axis ${card.sliceAxis ?? 2})`;
  return `input ${item.image + 1} of ${count}${slice}`;
}

export class OnnxSegmentationModel implements SegmentationModel {
  readonly card: ModelCard;
  readonly classNames: string[];
  readonly unresolved: CardResolution['unresolved'];
  private readonly inputName: string;
  /** The model's fixed batch size, or undefined when the batch axis is dynamic. */
  private readonly fixedBatch: number | undefined;
  private readonly inputIsDouble: boolean;

  constructor(
    readonly path: string,
    private readonly session: ort.InferenceSession,
    resolution: CardResolution,
    readonly maxBatch: number,
    readonly executionProvider: 'cpu' | 'cuda',
  ) {
    this.card = resolution.card;
    this.classNames = [...resolution.card.classes];
    this.unresolved = resolution.unresolved;
    const input = session.inputMetadata[0];
    this.inputName = input.name;
    const batchDim = input.isTensor ? input.shape[0] : undefined;
    this.fixedBatch = typeof batchDim === 'number' && batchDim > 0 ? batchDim : undefined;
    this.inputIsDouble = input.isTensor && input.type === 'float64';
  }

  async predict(images: Volume[], signal?: AbortSignal): Promise<Volume[]> {
    signal?.throwIfAborted();
    const items = planItems(images, this.card, this.path);
    const labels: (LabelArray | undefined)[] = images.map(() => undefined);
    const prepared = new Map<number, PreparedImage>();
    const remaining = new Map<number, number>();
    for (const item of items) remaining.set(item.image, (remaining.get(item.image) ?? 0) + 1);

    for (const batch of groupIntoBatches(items, this.maxBatch)) {
      signal?.throwIfAborted();
      const feed = this.buildFeed(batch, images, prepared);
      const output = await this.run(feed);
      batch.forEach((item, index) => {
        const plane = this.labelsOf(item, index, output, images.length);
        const volume = images[item.image];
        if (item.slice === undefined) {
          labels[item.image] = plane;
        } else {
          const target = (labels[item.image] ??= newLabelArray(this.card.classes.length, voxelCount(volume.dims)));
          insertSlice(target, volume.dims, this.card.sliceAxis ?? 2, item.slice, plane);
        }
        // Drop an image's float copy once its last slice is done.
        const left = remaining.get(item.image)! - 1;
        remaining.set(item.image, left);
        if (left === 0) prepared.delete(item.image);
      });
    }
    return images.map((volume, i) => ({
      data: labels[i]!,
      dims: [...volume.dims],
      spacing: [...volume.spacing],
      affine: volume.affine.map((row) => [...row]),
      channels: 1,
    }));
  }

  private buildFeed(batch: WorkItem[], images: Volume[], prepared: Map<number, PreparedImage>): ort.Tensor {
    const modelDims = batch[0].modelDims;
    const size = this.fixedBatch ?? batch.length;
    const dims = batchTensorDims(this.card, size, modelDims);
    const perItem = voxelCount(modelDims) * this.card.channels;
    const data = this.inputIsDouble ? new Float64Array(size * perItem) : new Float32Array(size * perItem);
    const channelsLast = isChannelsLast(this.card.layout);
    batch.forEach((item, index) => {
      const volume = images[item.image];
      let image = prepared.get(item.image);
      if (!image) {
        image = prepareImage(volume, this.card);
        prepared.set(item.image, image);
      }
      packInto(data, index, itemInput(item, image, this.card, volume.dims), this.card.channels, channelsLast);
    });
    return new ort.Tensor(this.inputIsDouble ? 'float64' : 'float32', data, dims);
  }

  private async run(feed: ort.Tensor): Promise<ort.Tensor> {
    const name = this.card.output.name;
    let results: ort.InferenceSession.ReturnType;
    try {
      results = await this.session.run({ [this.inputName]: feed }, [name]);
    } catch (thrown) {
      throw new MisasInputError(this.path, `onnxruntime failed on an input of shape [${feed.dims.join(', ')}]: ${(thrown as Error).message ?? String(thrown)}`, { cause: thrown });
    }
    return results[name] as ort.Tensor;
  }

  /** Checks the output of one batch item and maps it back onto the item's grid. */
  private labelsOf(item: WorkItem, index: number, output: ort.Tensor, imageCount: number): LabelArray {
    const card = this.card;
    const what = () => describeItem(item, imageCount, card);
    const fail = (problem: string, hint?: string): never => {
      throw new MisasInputError(this.path, `${problem} for ${what()}${hint ? `; ${hint}` : ''}`);
    };
    const rank = card.spatialDims + 2;
    const dims = output.dims;
    const labelMap = dims.length === rank - 1;
    if (dims.length !== rank && !(labelMap && card.output.kind === 'labels')) {
      fail(`returned output "${card.output.name}" of shape [${dims.join(', ')}], expected rank ${rank}`);
    }
    const spatial = (labelMap ? labelSpatialAxes(dims.length) : spatialAxes(card.output.layout)).map((axis) => dims[axis]);
    if (!sameDims(spatial, item.modelDims)) {
      fail(`returned output "${card.output.name}" of shape [${dims.join(', ')}], whose spatial size [${spatial.join(', ')}] differs from the input's [${item.modelDims.join(', ')}] (width, height${rank === 5 ? ', depth' : ''})`,
        'misas needs one label per input pixel');
    }
    const planes = labelMap ? 1 : dims[channelAxis(card.output.layout)];
    const classCount = card.classes.length;
    const expectedPlanes = card.output.kind === 'labels' ? 1 : card.output.kind === 'sigmoid' ? classCount - 1 : classCount;
    if (planes !== expectedPlanes) {
      fail(`returned ${planes} output channel${planes === 1 ? '' : 's'}, but its card lists ${classCount} classes (${card.output.kind} needs ${expectedPlanes})`);
    }
    if (typeof output.data === 'string' || output.type === 'float16' || output.type === 'bool') {
      fail(`returned output of type ${output.type}, which misas cannot read`);
    }
    const sample = sampleScores(output.data as ArrayLike<number | bigint>, index, voxelCount(item.modelDims), planes,
      !labelMap && isChannelsLast(card.output.layout));
    const bad = firstNonFinite(sample.scores);
    if (bad >= 0) fail(`model returned ${sample.scores[bad]} in its output "${card.output.name}"`);
    if (card.output.kind === 'labels') {
      const value = invalidLabel(sample, classCount);
      if (value !== undefined) fail(`returned label ${value}, but its card lists ${classCount} classes (0–${classCount - 1})`);
    }
    return labelsOnGrid(sample, card, item.modelDims, item.gridDims);
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
