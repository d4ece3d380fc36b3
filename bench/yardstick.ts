/**
 * The yardstick (issue 12, `npm run bench` case 6; `MISAS_BENCH_CASE=yardstick` runs it alone):
 * the example experiment's misas-default sweep (all its series) through the runner, against
 * raw `session.run` on the exact tensors the runner fed (captured once through the bench-only
 * `onSessionRun` observer), in the same batches, in a fresh warmed session with the runner's
 * session options, at 1 and 2 onnxruntime threads in total. The sweep runs in each way misas
 * can share those threads: one session on the main thread (workers 0), or sessions in worker
 * threads (workers 1, and 2 × 1 thread), so that the default can be chosen by measurement.
 * Raw inference at 2 threads is also timed as 2 single-threaded sessions side by side, and each
 * sweep is held to the faster raw way of spending its threads.
 * Rounds alternate; the best of REPEATS is kept, since noise only ever adds time.
 */
import { basename } from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadModel, sessionOptions, type SegmentationModel } from '../src/engine/model';
import { InferencePool } from '../src/engine/model/inference/pool';
import type { ResolvedExperiment } from '../src/engine/sweep/experiment/types';
import { runSweeps } from '../src/engine/sweep/run/runner';
import { timeIt } from './timing';

const REPEATS = Number(process.env.MISAS_BENCH_REPEATS ?? 3);

/** How the sweep shares its threads: `workers` sessions in worker threads (0: on the main thread). */
interface Config {
  threads: number;
  workers: number;
}
const CONFIGS: Config[] = [
  { threads: 1, workers: 0 },
  { threads: 1, workers: 1 },
  { threads: 2, workers: 0 },
  { threads: 2, workers: 1 },
  { threads: 2, workers: 2 },
];

/** Model calls of one sweep: the tensors fed (in order) and the seconds spent inside session.run. */
interface Capture {
  feeds: ort.Tensor[];
  seconds: number;
}

/** Images in the feeds: the batch axis of each tensor summed. */
function imagesIn(feeds: readonly ort.Tensor[]): number {
  return feeds.reduce((n, feed) => n + feed.dims[0], 0);
}

function describe(config: Config): string {
  if (config.workers === 0) return `main thread, ${config.threads} thread${config.threads === 1 ? '' : 's'}`;
  const each = Math.max(1, Math.floor(config.threads / config.workers));
  return `${config.workers} worker${config.workers === 1 ? '' : 's'} × ${each} thread${each === 1 ? '' : 's'}`;
}

export async function yardstick(experiment: ResolvedExperiment): Promise<void> {
  const path = experiment.models[0].path;
  let capture: Capture = { feeds: [], seconds: 0 };
  // With workers the observer makes the pool copy each feed instead of moving it (a few ms per sweep).
  const onSessionRun = (feed: ort.Tensor, seconds: number) => {
    capture.feeds.push(feed);
    capture.seconds += seconds;
  };
  const sweepOnce = async (model: SegmentationModel) => {
    capture = { feeds: [], seconds: 0 };
    let rows = 0,
      predicted = 0;
    const seconds = await timeIt(async () => {
      for await (const event of runSweeps(experiment, [model])) {
        if (event.type === 'row') {
          rows++;
          if (!event.row.baseline) predicted++; // baseline rows reuse the input's one unaltered prediction
        } else if (event.type === 'baseline') predicted++;
      }
    });
    return { seconds, rows, predicted, capture };
  };

  const models: SegmentationModel[] = [];
  for (const { threads, workers } of CONFIGS) models.push(await loadModel(path, { threads, workers, onSessionRun }));
  // The first sweep warms its session and captures the feeds; every sweep feeds the same tensors.
  const first = await sweepOnce(models[0]);
  const feeds = first.capture.feeds;
  const images = imagesIn(feeds);
  if (images !== first.predicted) {
    throw new Error(`captured ${images} images, but the sweep's rows need ${first.predicted} model inputs`);
  }
  const batchSizes = new Map<number, number>();
  for (const feed of feeds) batchSizes.set(feed.dims[0], (batchSizes.get(feed.dims[0]) ?? 0) + 1);
  for (const model of models.slice(1)) await sweepOnce(model); // warm-up

  const threadCounts = [...new Set(CONFIGS.map((config) => config.threads))];
  const outputName = models[0].card.output.name;
  const raws = await Promise.all(
    threadCounts.map((threads) => ort.InferenceSession.create(path, sessionOptions('cpu', threads))),
  );
  const rawOnce = (session: ort.InferenceSession) =>
    timeIt(async () => {
      for (const feed of feeds) await session.run({ [session.inputNames[0]]: feed }, [outputName]);
    });
  for (const session of raws) await session.run({ [session.inputNames[0]]: feeds[0] }, [outputName]); // warm-up

  // The other way to spend 2 threads on raw inference: 2 single-threaded sessions side by side
  // (in worker threads, fed all at once). The sweep at 2 threads is held to the faster of the two.
  const rawPool = await InferencePool.open({
    workers: 2,
    modelPath: path,
    sessionOptions: sessionOptions('cpu', 1),
    inputName: raws[0].inputNames[0],
    outputName,
    describe: (problem) => new Error(problem),
  });
  const rawPoolOnce = async () => {
    // Copies made before timing: the pool moves each feed's buffer to its worker.
    const copies = feeds.map((feed) => new ort.Tensor('float32', (feed.data as Float32Array).slice(), feed.dims));
    return timeIt(() => Promise.all(copies.map((copy) => rawPool.run(copy))));
  };
  await rawPoolOnce(); // warm-up
  let rawTwoSessions = Infinity;

  const raw = threadCounts.map(() => Infinity);
  const best = CONFIGS.map(() => ({ sweep: Infinity, inRun: Infinity }));
  for (let r = 0; r < REPEATS; r++) {
    for (const [t, session] of raws.entries()) raw[t] = Math.min(raw[t], await rawOnce(session));
    rawTwoSessions = Math.min(rawTwoSessions, await rawPoolOnce());
    for (const [i, model] of models.entries()) {
      const sweep = await sweepOnce(model);
      if (imagesIn(sweep.capture.feeds) !== images) throw new Error('a sweep fed other images than the captured ones');
      best[i].sweep = Math.min(best[i].sweep, sweep.seconds);
      best[i].inRun = Math.min(best[i].inRun, sweep.capture.seconds);
    }
  }
  capture = { feeds: [], seconds: 0 };
  for (const session of raws) await session.release();
  await rawPool.release();
  for (const model of models) await model.dispose();

  const sizes = [...batchSizes].map(([size, count]) => `${count}×${size}`).join(' + ');
  console.log(
    `\nYardstick: ${basename(experiment.file)}, all ${experiment.series.length} series (misas default), best of ${REPEATS} alternating rounds`,
  );
  console.log(
    `  ${first.rows} rows; ${images} model inputs = the runner's captured feeds (${feeds.length} session.run calls: ${sizes})`,
  );
  threadCounts.forEach((threads, t) => {
    console.log(`  ${threads} thread${threads === 1 ? '' : 's'} in total`);
    console.log(
      `    raw session.run on the runner's feeds, 1 session × ${threads} thread${threads === 1 ? ' ' : 's'}  ${raw[t].toFixed(3)} s  (${((1000 * raw[t]) / images).toFixed(2)} ms/image)`,
    );
    if (threads === 2) {
      console.log(
        `    raw session.run, 2 sessions × 1 thread side by side  ${rawTwoSessions.toFixed(3)} s  (${((1000 * rawTwoSessions) / images).toFixed(2)} ms/image)`,
      );
      raw[t] = Math.min(raw[t], rawTwoSessions); // the limit is the faster way
    }
    CONFIGS.forEach((config, i) => {
      if (config.threads !== threads) return;
      const { sweep, inRun } = best[i];
      console.log(
        `    sweep, ${describe(config).padEnd(26)} ${sweep.toFixed(3)} s  sweep/fastest raw ${(sweep / raw[t]).toFixed(3)} (target ≤ 1.10)  session.run inside ${inRun.toFixed(3)} s`,
      );
    });
  });
}
