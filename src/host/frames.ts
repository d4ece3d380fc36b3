/**
 * Overlay frames for the results panel: one input of a finished run at one sweep value, with its
 * truth and the model's prediction, computed exactly as the runner computed that step (the run's
 * own experiment content, series order, options and seed; the shared `transformStep`).
 * Only pixels travel: one 2D slice per frame, fetched when the viewer asks for it.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MisasInputError } from '../engine/errors';
import type { SegmentationModel } from '../engine/model';
import { resultsFromJson, type RunResults } from '../engine/report/results';
import { resolveExperiment, type ResolvedExperiment } from '../engine/sweep/experiment';
import { extractSlice, loadInput, type LoadedInput } from '../engine/sweep/inputs';
import { transformStep } from '../engine/sweep/stepTransform';
import { getTransform } from '../engine/transforms/registry';
import type { TransformOptions } from '../engine/transforms/types';
import { voxelCount, type Volume } from '../engine/volume';
import type { EngineFrame, EngineFrameRequest } from '../protocol/engine';
import type { ModelCache } from './modelCache';

/** What the viewer asks for: a series of the run, a loaded input (as in the rows), a value, a slice of a volume. */
export interface FrameSelection {
  series: string;
  input: number;
  value: number;
  slice?: number;
}

/** A run's series as the runner saw it: its position (which seeds its random draw) and options. */
interface RunSeries {
  index: number;
  transform: string;
  options: TransformOptions;
}

/** The run's experiment (as it was when the run started) resolved at its file, and the run's series. */
export interface FrameContext {
  experiment: ResolvedExperiment;
  seed: number;
  series: ReadonlyMap<string, RunSeries>;
}

/** Reads `<runDir>/results.json` and resolves the experiment content it recorded at `experimentFile`. */
export async function loadFrameContext(experimentFile: string, root: string, runDir: string): Promise<FrameContext> {
  const resultsFile = join(runDir, 'results.json');
  let results: RunResults;
  try {
    results = resultsFromJson(await readFile(resultsFile, 'utf8'));
  } catch (thrown) {
    throw new MisasInputError(resultsFile, `cannot be read: ${(thrown as Error).message}`);
  }
  const experiment = resolveExperiment(results.experiment.content, experimentFile, root);
  // The runner seeds each series by its index among the series it ran (a filtered run ran fewer).
  const series = new Map(results.series.map((s, index): [string, RunSeries] => [s.name, { index, transform: s.transform, options: s.options }]));
  return { experiment, seed: results.seed, series };
}

/** Which experiment input (and which of its picked slices) the run's loaded input `input` is. */
function locateInput(experiment: ResolvedExperiment, input: number): { entryIndex: number; sliceIndex: number } {
  let loaded = 0;
  for (const [entryIndex, entry] of experiment.inputs.entries()) {
    const count = entry.slices?.length ?? 1;
    if (input < loaded + count) return { entryIndex, sliceIndex: input - loaded };
    loaded += count;
  }
  throw new MisasInputError(experiment.file, `the run has no input ${input} (it has ${loaded})`);
}

/** The identity value of a transform for an input of these dims. */
function identityOf(transform: string, dims: readonly number[]): { value: number; changesInput: boolean } {
  const spec = getTransform(transform);
  return { value: spec.identityFor ? spec.identityFor(dims) : spec.identity, changesInput: spec.identityChangesInput === true };
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

/**
 * The frame of `selection`: the runner's step transform of the input (and, for spatial
 * transforms, its truth) at the value, and the model's prediction on the transformed image. At
 * the identity value the runner uses the untransformed image and its prediction; so does this.
 * Without a mask the truth is the prediction on the untransformed image (pseudo-truth).
 */
export async function computeFrame(context: FrameContext, model: SegmentationModel, selection: FrameSelection, loadedInputs: (entryIndex: number, sliceAxis: number) => Promise<LoadedInput[]> = defaultLoader(context)): Promise<EngineFrame> {
  const series = context.series.get(selection.series);
  if (!series) throw new MisasInputError(context.experiment.file, `the run has no series named "${selection.series}"`);
  const { entryIndex, sliceIndex } = locateInput(context.experiment, selection.input);
  const sliceAxis = model.card.sliceAxis ?? 2;
  const input = (await loadedInputs(entryIndex, sliceAxis))[sliceIndex];
  const identity = identityOf(series.transform, input.image.dims);
  const atIdentity = selection.value === identity.value && !identity.changesInput;
  const needsOriginal = atIdentity || !input.mask;
  const original = needsOriginal ? (await model.predict([input.image]))[0] : undefined;
  const truth = input.mask ?? original!;

  let image = input.image;
  let stepTruth = truth;
  let prediction = original;
  if (!atIdentity) {
    const seed = { experiment: context.seed, series: series.index, input: input.index };
    const step = transformStep(getTransform(series.transform), series.options, selection.value, input.image, truth, seed);
    image = step.image;
    stepTruth = step.label ?? truth;
    [prediction] = await model.predict([image]);
  }

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

function defaultLoader(context: FrameContext) {
  return (entryIndex: number, sliceAxis: number) => loadInput(context.experiment.inputs[entryIndex], entryIndex, sliceAxis);
}

/** Frames in the engine host: the model comes from the shared cache (runs and frames reuse one session). */
export class FrameService {
  /** The last input read from disk: scrubbing one series asks for the same input again and again. */
  private lastInput?: { key: string; inputs: Promise<LoadedInput[]> };

  constructor(private readonly models: ModelCache, private readonly warn: (message: string) => void) {}

  async frame(request: EngineFrameRequest): Promise<EngineFrame> {
    const context = await loadFrameContext(request.experimentFile, request.root, request.runDir);
    const lease = await this.models.acquire(context.experiment.modelPath, request.settings, this.warn);
    try {
      const { series, input, value, slice } = request;
      return await computeFrame(context, lease.model, { series, input, value, ...(slice !== undefined ? { slice } : {}) }, (entryIndex, sliceAxis) => this.inputs(context, entryIndex, sliceAxis));
    } finally {
      lease.release();
    }
  }

  private async inputs(context: FrameContext, entryIndex: number, sliceAxis: number): Promise<LoadedInput[]> {
    const entry = context.experiment.inputs[entryIndex];
    // A file changed on disk misses (its modification time is part of the key).
    const stamps = await Promise.all([entry.image, entry.mask].map((file) => (file ? stat(file).then((info) => info.mtimeMs, () => 0) : 0)));
    const key = JSON.stringify([entry, entryIndex, sliceAxis, stamps]);
    if (this.lastInput?.key !== key) {
      const inputs = loadInput(entry, entryIndex, sliceAxis);
      inputs.catch(() => {
        if (this.lastInput?.inputs === inputs) this.lastInput = undefined;
      });
      this.lastInput = { key, inputs };
    }
    return this.lastInput.inputs;
  }
}
