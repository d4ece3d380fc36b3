/**
 * Overlay frames for the results panel: one input of a finished run at one sweep value, with its
 * truth and a model's prediction, computed exactly as the runner computed that step (the inputs,
 * models, series order, options and seed results.json recorded; the shared `transformStep`).
 * Only pixels travel: one 2D slice per frame, fetched when the viewer asks for it.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MisasInputError } from '../engine/errors';
import type { SegmentationModel } from '../engine/model';
import type { RunResults } from '../engine/report/results';
import { parseRunResults, RESULTS_FILE } from '../engine/report/runFolder';
import { resolveInside } from '../engine/paths';
import { extractSlice, loadInput, type LoadedInput } from '../engine/sweep/run/loadInput';
import { transformStep } from '../engine/sweep/run/stepTransform';
import { getTransform } from '../engine/transforms/registry';
import type { TransformOptions } from '../engine/transforms/types';
import { voxelCount, type Volume } from '../engine/volume';
import type { EngineFrame, EngineFrameRequest } from '../protocol/engine';
import type { ModelCache } from './modelCache';

/** What the viewer asks for: a series of the run, a loaded input (as in the rows), a value, a slice of a volume, a model. */
export interface FrameSelection {
  series: string;
  input: number;
  value: number;
  slice?: number;
  /** Index into the run's models (default 0). */
  model?: number;
}

/** A run's series as the runner saw it: its position (which seeds its random draw) and options. */
interface RunSeries {
  index: number;
  transform: string;
  options: TransformOptions;
}

/** A loaded input of the run as results.json records it, with absolute paths. */
export interface FrameInput {
  image: string;
  mask?: string;
  /** The experiment entry it came from: it seeds random transforms. */
  entry: number;
  /** The picked slice of a volume this input is. */
  slice?: { axis: number; index: number };
  /** The frame of a 4D image the run analysed. */
  frame?: number;
  /** Why the run has no rows for it. */
  problem?: string;
}

/**
 * What a frame needs from a run folder: the run's series (order, options), seed, inputs and
 * models, as results.json recorded them. The experiment file is not resolved again: its globs
 * or manifest may match other files by now.
 */
export interface FrameContext {
  /** results.json, for messages. */
  file: string;
  seed: number;
  series: ReadonlyMap<string, RunSeries>;
  inputs: readonly FrameInput[];
  /** Absolute model paths, by model index. */
  models: readonly string[];
}

/**
 * Reads `<runDir>/results.json`. Its paths are relative to the experiment's folder (that of
 * `experimentFile`) and must stay inside `root`.
 */
export async function loadFrameContext(experimentFile: string, root: string, runDir: string): Promise<FrameContext> {
  const resultsFile = join(runDir, RESULTS_FILE);
  let text: string;
  try {
    text = await readFile(resultsFile, 'utf8');
  } catch (thrown) {
    throw new MisasInputError(resultsFile, `cannot be read: ${(thrown as Error).message}`);
  }
  // Format, version and schema checked like every results.json reader's (a file edited by hand is named, never half-used).
  const results: RunResults = parseRunResults(text, resultsFile);
  const base = dirname(experimentFile);
  const inside = (path: string, where: string) => resolveInside(root, base, path, resultsFile, where);
  // The runner seeds each series by its index among the series it ran (a filtered run ran fewer).
  const series = new Map(
    results.series.map((s, index): [string, RunSeries] => [
      s.name,
      { index, transform: s.transform, options: s.options },
    ]),
  );
  const inputs = results.inputs.map((input, i): FrameInput => ({
    image: inside(input.imagePath, `$.inputs[${i}].imagePath`),
    ...(input.maskPath ? { mask: inside(input.maskPath, `$.inputs[${i}].maskPath`) } : {}),
    entry: input.entry,
    ...(input.slice ? { slice: input.slice } : {}),
    ...(input.frame !== undefined ? { frame: input.frame } : {}),
    ...(input.problem ? { problem: input.problem } : {}),
  }));
  const models = results.models.map((model, i) => inside(model.path, `$.models[${i}].path`));
  return { file: resultsFile, seed: results.seed, series, inputs, models };
}

/** The model path of `selection.model` (default the first), or a message naming what the run has. */
export function frameModelPath(context: FrameContext, model = 0): string {
  const path = context.models[model];
  if (path === undefined)
    throw new MisasInputError(context.file, `the run has no model ${model} (it has ${context.models.length})`);
  return path;
}

function frameInput(context: FrameContext, input: number): FrameInput {
  const found = context.inputs[input];
  if (!found)
    throw new MisasInputError(context.file, `the run has no input ${input} (it has ${context.inputs.length})`);
  if (found.problem) throw new MisasInputError(found.image, `was not run: ${found.problem}`);
  return found;
}

/** Reads an input's image and mask whole (no picked slices); the frame cuts its slice itself. */
export type InputLoader = (image: string, mask: string | undefined, frame?: number) => Promise<LoadedInput>;

/** The identity value of a transform for an input of these dims. */
function identityOf(transform: string, dims: readonly number[]): { value: number; changesInput: boolean } {
  const spec = getTransform(transform);
  return {
    value: spec.identityFor ? spec.identityFor(dims) : spec.identity,
    changesInput: spec.identityChangesInput === true,
  };
}

/** The first channel of a 2D volume, or one slice of a 3D one along `axis`, as a plain 2D volume. */
function planeOf(volume: Volume, axis: number, slice: number | undefined): Volume {
  const plane = volume.dims.length === 3 ? extractSlice(volume, axis, slice ?? 0) : volume;
  const size = voxelCount(plane.dims);
  return plane.channels === 1 ? plane : { ...plane, data: plane.data.subarray(0, size), channels: 1 };
}

function labelArray(volume: Volume): Uint8Array | Uint16Array {
  const { data } = volume;
  if (data instanceof Uint8Array || data instanceof Uint16Array) return data.slice();
  let max = 0;
  for (const v of data) if (v > max) max = v;
  return max < 256 ? Uint8Array.from(data) : Uint16Array.from(data);
}

/** The input as the runner scored it: the whole file, or its picked slice. */
async function loadFrameInput(found: FrameInput, load: InputLoader): Promise<{ image: Volume; mask?: Volume }> {
  const whole = await load(found.image, found.mask, found.frame);
  if (!found.slice) return whole;
  const { axis, index } = found.slice;
  if (whole.image.dims.length !== 3 || index >= whole.image.dims[axis]) {
    throw new MisasInputError(
      found.image,
      `has no slice ${index} along axis ${axis} any more (dims ${whole.image.dims.join('×')}); was the file replaced after the run?`,
    );
  }
  return {
    image: extractSlice(whole.image, axis, index),
    ...(whole.mask ? { mask: extractSlice(whole.mask, axis, index) } : {}),
  };
}

/**
 * The frame of `selection`: the runner's step transform of the input (and, for spatial
 * transforms, its truth) at the value, and the model's prediction on the transformed image. At
 * the identity value the runner uses the untransformed image and its prediction; so does this.
 * Without a mask the truth is the model's prediction on the untransformed image (pseudo-truth).
 */
export async function computeFrame(
  context: FrameContext,
  model: SegmentationModel,
  selection: FrameSelection,
  load: InputLoader = loadWhole,
): Promise<EngineFrame> {
  const series = context.series.get(selection.series);
  if (!series) throw new MisasInputError(context.file, `the run has no series named "${selection.series}"`);
  const found = frameInput(context, selection.input);
  const input = await loadFrameInput(found, load);
  const identity = identityOf(series.transform, input.image.dims);
  const atIdentity = selection.value === identity.value && !identity.changesInput;
  const needsOriginal = atIdentity || !input.mask;
  const original = needsOriginal ? (await model.predict([input.image]))[0] : undefined;
  const truth = input.mask ?? original!;

  let image = input.image;
  let stepTruth = truth;
  let prediction = original;
  if (!atIdentity) {
    const seed = { experiment: context.seed, series: series.index, input: found.entry };
    const step = transformStep(
      getTransform(series.transform),
      series.options,
      selection.value,
      input.image,
      truth,
      seed,
    );
    image = step.image;
    stepTruth = step.label ?? truth;
    [prediction] = await model.predict([image]);
  }

  // A whole volume is shown one slice at a time, along the model's slice axis.
  const sliceAxis = model.card.sliceAxis ?? 2;
  const isVolume = image.dims.length === 3;
  const slices = isVolume ? image.dims[sliceAxis] : undefined;
  const slice = slices === undefined ? undefined : Math.min(slices - 1, selection.slice ?? Math.floor(slices / 2));
  const imagePlane = planeOf(image, sliceAxis, slice);
  const pixels = Float32Array.from(imagePlane.data);
  let min = Infinity;
  let max = -Infinity;
  for (const v of pixels) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return {
    dims: [imagePlane.dims[0], imagePlane.dims[1]],
    image: pixels,
    range: Number.isFinite(min) ? [min, max] : [0, 0],
    truth: labelArray(planeOf(stepTruth, sliceAxis, slice)),
    prediction: labelArray(planeOf(prediction!, sliceAxis, slice)),
    pseudoTruth: !input.mask,
    ...(slices !== undefined ? { slices, slice: slice! } : {}),
  };
}

async function loadWhole(image: string, mask: string | undefined, frame: number | undefined): Promise<LoadedInput> {
  const [loaded] = await loadInput(
    { image, ...(mask ? { mask } : {}), ...(frame !== undefined ? { frame } : {}) },
    0,
    2,
  );
  return loaded;
}

/** Frames in the engine host: the model comes from the shared cache (runs and frames reuse one session). */
export class FrameService {
  /** The last input read from disk: scrubbing one series asks for the same input again and again. */
  private lastInput?: { key: string; input: Promise<LoadedInput> };

  constructor(
    private readonly models: ModelCache,
    private readonly warn: (message: string) => void,
  ) {}

  async frame(request: EngineFrameRequest): Promise<EngineFrame> {
    const context = await loadFrameContext(request.experimentFile, request.root, request.runDir);
    const modelPath = frameModelPath(context, request.model);
    const lease = await this.models.acquire(modelPath, request.settings, this.warn);
    try {
      const { series, input, value, slice, model } = request;
      const selection = {
        series,
        input,
        value,
        ...(slice !== undefined ? { slice } : {}),
        ...(model !== undefined ? { model } : {}),
      };
      return await computeFrame(context, lease.model, selection, (image, mask, frame) =>
        this.input(image, mask, frame),
      );
    } finally {
      lease.release();
    }
  }

  private async input(image: string, mask: string | undefined, frame?: number): Promise<LoadedInput> {
    // A file changed on disk misses (its modification time is part of the key).
    const stamps = await Promise.all(
      [image, mask].map((file) =>
        file
          ? stat(file).then(
              (info) => info.mtimeMs,
              () => 0,
            )
          : Promise.resolve(0),
      ),
    );
    const key = JSON.stringify([image, mask, frame, stamps]);
    if (this.lastInput?.key !== key) {
      const input = loadWhole(image, mask, frame);
      input.catch(() => {
        if (this.lastInput?.input === input) this.lastInput = undefined;
      });
      this.lastInput = { key, input };
    }
    return this.lastInput.input;
  }
}
