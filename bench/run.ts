/**
 * `npm run bench`: speed figures measured side by side in one run (never timed unit tests).
 *
 * 1. 2D sweep overhead: the example experiment's rotate series on its five slices, once through
 *    the runner (transforms + batching + metrics + rows) and once as pure batched inference of
 *    the very same transformed images. Their ratio is the runner's overhead (target ≤ 1.15).
 * 2. Rows per second for 2D (the sweep above) and for a 3D volume with the 2D model slice by
 *    slice (Colin27 181×217×181 from Debian's mricron-data when installed, otherwise the example
 *    slices stacked into a volume).
 * 3. The model's pre- and post-processing alone, per image: an example slice (181×217) to the
 *    model grid (128×128), and the model's real 4-class logits back to labels on the slice.
 * Each measurement alternates and repeats; the best of the repeats is reported, since on a shared
 * machine noise only ever adds time.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { readImage, readLabelMap } from '../src/engine/io';
import { loadModel, type SegmentationModel } from '../src/engine/model';
import { firstNonFinite, labelsOnGrid, sampleScores } from '../src/engine/model/postprocess';
import { itemInput, prepareImage } from '../src/engine/model/preprocess';
import { createRandom } from '../src/engine/random';
import { loadExperiment, type ResolvedExperiment } from '../src/engine/sweep/experiment';
import { runSweeps } from '../src/engine/sweep/runner';
import { defaultValuesFor, getTransform, resolveOptions } from '../src/engine/transforms/registry';
import type { Volume } from '../src/engine/volume';

const ROOT = join(import.meta.dirname, '..');
const EXPERIMENT = join(ROOT, 'examples', 'colin27', 'colin27.misas.json');
const COLIN_VOLUME = '/usr/share/mricron/templates/ch2bet.nii.gz';
const REPEATS = 3;

async function timeIt(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function consume(experiment: ResolvedExperiment, model: SegmentationModel, series: string[]): Promise<number> {
  let rows = 0;
  for await (const event of runSweeps(experiment, model, { seriesFilter: series })) if (event.type === 'row') rows++;
  return rows;
}

/** The transformed images the runner would feed the model, batched the way it batches them. */
async function transformedBatches(experiment: ResolvedExperiment, model: SegmentationModel, transform: string): Promise<Volume[][]> {
  const spec = getTransform(transform);
  const options = resolveOptions(spec, {});
  const batches: Volume[][] = [];
  for (const input of experiment.inputs) {
    const image = await readImage(input.image);
    const label = input.mask ? await readLabelMap(input.mask) : undefined;
    batches.push([image]);
    const steps = defaultValuesFor(spec, image.dims)
      .filter((v) => v !== spec.identity)
      .map((v) => spec.apply({ image, ...(label ? { label } : {}) }, v, options, { random: createRandom(1) }).image);
    for (let i = 0; i < steps.length; i += model.maxBatch) batches.push(steps.slice(i, i + model.maxBatch));
  }
  return batches;
}

async function stackedVolume(experiment: ResolvedExperiment, depth: number): Promise<Volume> {
  const slices = await Promise.all(experiment.inputs.filter((i) => i.image.endsWith('.nii.gz')).map((i) => readImage(i.image)));
  const [nx, ny] = slices[0].dims;
  const data = new Float32Array(nx * ny * depth);
  for (let z = 0; z < depth; z++) data.set(slices[z % slices.length].data, z * nx * ny);
  return { data, dims: [nx, ny, depth], spacing: [1, 1, 1], affine: slices[0].affine, channels: 1 };
}

/** Best time per call in ms over `rounds` rounds of `calls` calls. */
function bestMsPerCall(rounds: number, calls: number, work: () => void): number {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) work();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6 / calls);
  }
  return best;
}

/** Pre- and post-processing of one example slice without inference (the logits come from one real run). */
async function prePostAlone(experiment: ResolvedExperiment, model: SegmentationModel): Promise<{ pre: number; post: number }> {
  const card = model.card;
  const image = await readImage(experiment.inputs[1].image);
  const item = { image: 0, gridDims: image.dims, modelDims: card.geometry.size! };
  const input = itemInput(item, prepareImage(image, card), card, image.dims);
  const session = await ort.InferenceSession.create(experiment.modelPath, { intraOpNumThreads: 1 });
  const output = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 1, ...[...item.modelDims].reverse()]) });
  const logits = output[card.output.name].data as Float32Array;
  await session.release();
  const voxels = item.modelDims[0] * item.modelDims[1];
  const planes = logits.length / voxels;
  const pre = bestMsPerCall(5, 100, () => itemInput(item, prepareImage(image, card), card, image.dims));
  const post = bestMsPerCall(5, 100, () => {
    const sample = sampleScores(logits, 0, voxels, planes, false);
    firstNonFinite(sample.scores);
    labelsOnGrid(sample, card, item.modelDims, item.gridDims);
  });
  return { pre, post };
}

async function main(): Promise<void> {
  const threads = Number(process.env.MISAS_BENCH_THREADS ?? 2);
  const experiment = await loadExperiment(EXPERIMENT);
  const model = await loadModel(experiment.modelPath, { threads });
  console.log(`misas bench — onnxruntime-node CPU, ${threads} threads, batch ${model.maxBatch}, node ${process.version}`);

  // 1. 2D: runner vs pure batched inference of the same images.
  const batches = await transformedBatches(experiment, model, 'rotate');
  const images = batches.reduce((n, b) => n + b.length, 0);
  let sweep = Infinity, pure = Infinity, rows = 0;
  for (let r = 0; r < REPEATS; r++) {
    pure = Math.min(pure, await timeIt(async () => { for (const batch of batches) await model.predict(batch); }));
    sweep = Math.min(sweep, await timeIt(async () => { rows = await consume(experiment, model, ['rotate']); }));
  }
  console.log('\n2D sweep (rotate, default 73 values × 5 slices, example U-Net 128×128)');
  console.log(`  model inputs              ${images}`);
  console.log(`  pure batched inference    ${pure.toFixed(3)} s  (${((1000 * pure) / images).toFixed(2)} ms/image)`);
  console.log(`  sweep through the runner  ${sweep.toFixed(3)} s  (${rows} rows, ${(rows / sweep).toFixed(1)} rows/s)`);
  console.log(`  ratio sweep / inference   ${(sweep / pure).toFixed(3)}  (target ≤ 1.15)`);

  // 2. 3D: a volume with the 2D model slice by slice, a short rotate sweep.
  const real = existsSync(COLIN_VOLUME);
  const volume = real ? await readImage(COLIN_VOLUME) : await stackedVolume(experiment, 181);
  const spec = getTransform('rotate');
  const options = resolveOptions(spec, {});
  const values = [-20, -10, 0, 10, 20];
  let volumeSeconds = Infinity;
  for (let r = 0; r < 2; r++) {
    volumeSeconds = Math.min(volumeSeconds, await timeIt(async () => {
      for (const v of values) {
        const image = v === 0 ? volume : spec.apply({ image: volume }, v, options, { random: createRandom(1) }).image;
        await model.predict([image]);
      }
    }));
  }
  const source = real ? 'Colin27 ch2bet 181×217×181' : `example slices stacked to ${volume.dims.join('×')} (install mricron-data for the real volume)`;
  console.log(`\n3D volume, 2D model slice-wise (${source}), rotate × ${values.length}`);
  console.log(`  ${volumeSeconds.toFixed(2)} s, ${(values.length / volumeSeconds).toFixed(3)} volume rows/s, ${((values.length * volume.dims[2]) / volumeSeconds).toFixed(1)} slices/s`);

  // 3. Pre/post-processing alone.
  const { pre, post } = await prePostAlone(experiment, model);
  console.log(`\nModel pre/post-processing alone (${experiment.inputs[1].image.split('/').at(-1)}, 181×217 ↔ 128×128, best of 5 × 100)`);
  console.log(`  pre  (channels, normalisation, resize)        ${pre.toFixed(3)} ms/image`);
  console.log(`  post (logits → labels on the image grid)      ${post.toFixed(3)} ms/image`);
  await model.dispose();
}

await main();
