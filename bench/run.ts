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
 * 4. A dataset run (issue 6): 20 inputs (the five example slices under four names each) × 3
 *    series through executeRun (dataset glob, rows, summaries, aggregates, files written).
 * 5. A volume run: Colin27 181×217×181 through executeRun with the 2D model slice-wise, 25
 *    rotation steps (pseudo-truth: the template has no labels).
 * For 4 and 5 the wall time, rows/s and the peak resident memory during the case are printed.
 * 6. The yardstick (issue 12, bench/yardstick.ts): the example's misas-default sweep against raw
 *    `session.run` on the very tensors it fed, at 1 and 2 threads, on the main thread and in
 *    inference workers. `MISAS_BENCH_CASE=yardstick npm run bench` runs this case alone.
 * 7. Full-volume speed (bench/volume.ts, issue 16): Gibbs, spike, ghosting and motion per step on
 *    Colin27 181×217×181, and Dice+HD95+ASSD per step on its labels; `MISAS_BENCH_CASE=volume`.
 * 8. Adaptive refinement (issue 13, bench/refine.ts): rotate 15° refined to 1° against a dense 1°
 *    sweep, model calls and interval agreement; `MISAS_BENCH_CASE=refine` runs it alone.
 * 9. Memory at clinical size (bench/memory.ts, issue 16): ch2better and a synthetic 512×512×400
 *    volume, 2D slice-wise and 3D sliding windows, peak RSS against the header-time estimate, each
 *    case in a child process; `MISAS_BENCH_CASE=memory` runs it alone (`npm run bench` does not:
 *    it takes minutes).
 * 10. onnxruntime session options (bench/sessionOptions.ts): raw `session.run` on the example
 *    sweep's feeds with misas's options and with one option changed at a time;
 *    `MISAS_BENCH_CASE=session-options` runs it alone (not part of the full bench).
 * Each measurement alternates and repeats; the best of the repeats is reported, since on a shared
 * machine noise only ever adds time.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { readImage, readLabelMap } from '../src/engine/io';
import { loadModel, type SegmentationModel } from '../src/engine/model';
import { argmaxPass } from '../src/engine/model/argmaxPass';
import { labelsOnGrid, sampleScores } from '../src/engine/model/postprocess';
import { itemInput, planItems, prepareImage } from '../src/engine/model/preprocess';
import { createRandom } from '../src/engine/random';
import { executeRun } from '../src/engine/sweep/run/execute';
import type { Experiment, ResolvedExperiment } from '../src/engine/sweep/experiment/types';
import { loadExperiment } from '../src/engine/sweep/experiment/load';
import { runSweeps } from '../src/engine/sweep/run/runner';
import { yardstick } from './yardstick';
import { sessionOptionsBench } from './sessionOptions';
import { timeIt } from './timing';
import { refineBench } from './refine';
import { defaultValuesFor, getTransform, resolveOptions } from '../src/engine/transforms/registry';
import type { Volume } from '../src/engine/volume';
import { volumeSpeed } from './volume';
import { memoryBench } from './memory';

const ROOT = join(import.meta.dirname, '..');
const EXPERIMENT = join(ROOT, 'examples', 'colin27', 'colin27.misas.json');
const COLIN_VOLUME = '/usr/share/mricron/templates/ch2bet.nii.gz';
const REPEATS = 3;

async function consume(experiment: ResolvedExperiment, model: SegmentationModel, series: string[]): Promise<number> {
  let rows = 0;
  for await (const event of runSweeps(experiment, [model], { seriesFilter: series })) if (event.type === 'row') rows++;
  return rows;
}

/** The transformed images the runner would feed the model, batched the way it batches them. */
async function transformedBatches(
  experiment: ResolvedExperiment,
  model: SegmentationModel,
  transform: string,
): Promise<Volume[][]> {
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
  const slices = await Promise.all(
    experiment.inputs.filter((i) => i.image.endsWith('.nii.gz')).map((i) => readImage(i.image)),
  );
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
async function prePostAlone(
  experiment: ResolvedExperiment,
  model: SegmentationModel,
): Promise<{ pre: number; post: number }> {
  const card = model.card;
  const image = await readImage(experiment.inputs[1].image);
  const [item] = planItems([image], card, experiment.models[0].path);
  const input = itemInput(item, prepareImage(image, card), card, image.dims);
  const session = await ort.InferenceSession.create(experiment.models[0].path, { intraOpNumThreads: 1 });
  const output = await session.run({
    [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 1, ...[...item.modelDims].reverse()]),
  });
  const logits = output[card.output.name].data as Float32Array;
  await session.release();
  const voxels = item.modelDims[0] * item.modelDims[1];
  const planes = logits.length / voxels;
  const pre = bestMsPerCall(5, 100, () => itemInput(item, prepareImage(image, card), card, image.dims));
  const post = bestMsPerCall(5, 100, () => {
    // As the model's sampleOf does it: the finite check is the argmax pass's.
    const sample = sampleScores(logits, 0, voxels, planes, false);
    sample.argmax = argmaxPass(sample.scores, planes, voxels);
    labelsOnGrid(sample, card, item.modelDims, item.gridDims);
  });
  return { pre, post };
}

async function main(): Promise<void> {
  const threads = Number(process.env.MISAS_BENCH_THREADS ?? 2);
  const experiment = await loadExperiment(EXPERIMENT);
  // MISAS_BENCH_CASE=yardstick runs case 6 alone (it sets its own thread counts).
  if (process.env.MISAS_BENCH_CASE === 'yardstick') return yardstick(experiment);
  if (process.env.MISAS_BENCH_CASE === 'volume') return volumeSpeed();
  if (process.env.MISAS_BENCH_CASE === 'refine') return refineBench(experiment);
  if (process.env.MISAS_BENCH_CASE === 'memory') return memoryBench();
  if (process.env.MISAS_BENCH_CASE === 'session-options') return sessionOptionsBench(experiment);
  const model = await loadModel(experiment.models[0].path, { threads });
  console.log(
    `misas bench — onnxruntime-node CPU, ${threads} threads, batch ${model.maxBatch}, node ${process.version}`,
  );

  // 1. 2D: runner vs pure batched inference of the same images.
  const batches = await transformedBatches(experiment, model, 'rotate');
  const images = batches.reduce((n, b) => n + b.length, 0);
  let sweep = Infinity,
    pure = Infinity,
    rows = 0;
  for (let r = 0; r < REPEATS; r++) {
    pure = Math.min(
      pure,
      await timeIt(async () => {
        for (const batch of batches) await model.predict(batch);
      }),
    );
    sweep = Math.min(
      sweep,
      await timeIt(async () => {
        rows = await consume(experiment, model, ['rotate']);
      }),
    );
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
    volumeSeconds = Math.min(
      volumeSeconds,
      await timeIt(async () => {
        for (const v of values) {
          const image = v === 0 ? volume : spec.apply({ image: volume }, v, options, { random: createRandom(1) }).image;
          await model.predict([image]);
        }
      }),
    );
  }
  const source = real
    ? 'Colin27 ch2bet 181×217×181'
    : `example slices stacked to ${volume.dims.join('×')} (install mricron-data for the real volume)`;
  console.log(`\n3D volume, 2D model slice-wise (${source}), rotate × ${values.length}`);
  console.log(
    `  ${volumeSeconds.toFixed(2)} s, ${(values.length / volumeSeconds).toFixed(3)} volume rows/s, ${((values.length * volume.dims[2]) / volumeSeconds).toFixed(1)} slices/s`,
  );

  // 3. Pre/post-processing alone.
  const { pre, post } = await prePostAlone(experiment, model);
  console.log(
    `\nModel pre/post-processing alone (${experiment.inputs[1].image.split('/').at(-1)}, 181×217 ↔ 128×128, best of 5 × 100)`,
  );
  console.log(`  pre  (channels, normalisation, resize)        ${pre.toFixed(3)} ms/image`);
  console.log(`  post (logits → labels on the image grid)      ${post.toFixed(3)} ms/image`);

  // 4 and 5: whole runs through executeRun.
  const work = await mkdtemp(join(tmpdir(), 'misas-bench-'));
  try {
    await copyFile(experiment.models[0].path, join(work, 'model.onnx'));
    await copyFile(`${experiment.models[0].path}.misas.json`, join(work, 'model.onnx.misas.json'));
    await mkdir(join(work, 'data'));
    const niftiInputs = experiment.inputs.filter((input) => input.image.endsWith('.nii.gz'));
    for (let copy = 0; copy < 20; copy++) {
      const input = niftiInputs[copy % niftiInputs.length];
      await copyFile(input.image, join(work, 'data', `s${String(copy).padStart(2, '0')}_img.nii.gz`));
      await copyFile(input.mask!, join(work, 'data', `s${String(copy).padStart(2, '0')}_seg.nii.gz`));
    }
    const dataset = await runCase(work, model, 'dataset', {
      inputs: { images: 'data/*_img.nii.gz', masks: 'data/{id}_seg.nii.gz' },
      series: [
        { transform: 'rotate', start: -90, stop: 90, step: 10 },
        { transform: 'brightness' },
        { transform: 'gaussian-noise' },
      ],
    });
    console.log(
      `\nDataset run: 20 inputs × 3 series (rotate 19 values, brightness, gaussian-noise defaults) through executeRun`,
    );
    console.log(
      `  ${dataset.seconds.toFixed(2)} s, ${dataset.rows} rows, ${(dataset.rows / dataset.seconds).toFixed(1)} rows/s, peak RSS ${dataset.peakMiB.toFixed(0)} MiB`,
    );

    if (real) {
      await copyFile(COLIN_VOLUME, join(work, 'colin27.nii.gz'));
      const volumeRun = await runCase(work, model, 'volume', {
        inputs: [{ image: 'colin27.nii.gz' }],
        series: [{ transform: 'rotate', start: -60, stop: 60, steps: 25, scale: 'linear' }],
      });
      console.log(
        `\nVolume run: Colin27 181×217×181, 2D model slice-wise, rotate × 25 through executeRun (pseudo-truth)`,
      );
      console.log(
        `  ${volumeRun.seconds.toFixed(2)} s, ${volumeRun.rows} volume rows, ${(volumeRun.rows / volumeRun.seconds).toFixed(3)} rows/s, ${((volumeRun.rows * 181) / volumeRun.seconds).toFixed(1)} slices/s, peak RSS ${volumeRun.peakMiB.toFixed(0)} MiB`,
      );
    } else {
      console.log(`\nVolume run skipped: ${COLIN_VOLUME} not installed (apt-get install mricron-data)`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  await model.dispose();

  // 6. The yardstick, with its own models (1 and 2 threads) once the others are released.
  await yardstick(experiment);
  await volumeSpeed();
  // 8. Adaptive refinement against a dense sweep (bench/refine.ts).
  await refineBench(experiment);
}

/** One whole run of an experiment written into `dir`, with the peak resident memory sampled during it. */
async function runCase(
  dir: string,
  model: SegmentationModel,
  name: string,
  parts: Pick<Experiment, 'inputs' | 'series'>,
): Promise<{ seconds: number; rows: number; peakMiB: number }> {
  const file = join(dir, `${name}.misas.json`);
  await writeFile(file, JSON.stringify({ name, model: 'model.onnx', ...parts }));
  const resolved = await loadExperiment(file);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  let rows = 0;
  try {
    const seconds = await timeIt(async () => {
      const { results } = await executeRun(resolved, [model], { outDir: join(dir, 'runs', basename(name)) });
      rows = results.series.reduce((n, series) => n + series.rows.length, 0);
    });
    peak = Math.max(peak, process.memoryUsage().rss);
    return { seconds, rows, peakMiB: peak / 2 ** 20 };
  } finally {
    clearInterval(sampler);
  }
}

await main();
