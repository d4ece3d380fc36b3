/**
 * onnxruntime session options chosen by measurement (`MISAS_BENCH_CASE=session-options npm run
 * bench`): raw `session.run` on the example sweep's own feeds (captured once through the
 * bench-only `onSessionRun` observer, as the yardstick does), in fresh sessions that differ from
 * misas's options (`sessionOptions` in src/engine/model/session.ts) in one option each, warmed
 * with one call, at 1 and 2 intra-op threads. Rounds alternate between the variants and the best
 * of REPEATS is kept (noise only ever adds time); ratios to misas's options are printed.
 */
import * as ort from 'onnxruntime-node';
import { loadModel, sessionOptions } from '../src/engine/model';
import type { ResolvedExperiment } from '../src/engine/sweep/experiment/types';
import { runSweeps } from '../src/engine/sweep/run/runner';
import { timeIt } from './timing';

const REPEATS = Number(process.env.MISAS_BENCH_REPEATS ?? 3);

/** Each variant changes one option of misas's own. */
const VARIANTS: Array<{ name: string; change: ort.InferenceSession.SessionOptions }> = [
  { name: "misas's options (graph 'all', memory pattern on, arena on, no spinning)", change: {} },
  { name: "graphOptimizationLevel 'basic'", change: { graphOptimizationLevel: 'basic' } },
  { name: "graphOptimizationLevel 'disabled'", change: { graphOptimizationLevel: 'disabled' } },
  { name: 'enableMemPattern false', change: { enableMemPattern: false } },
  { name: 'enableCpuMemArena false', change: { enableCpuMemArena: false } },
];

export async function sessionOptionsBench(experiment: ResolvedExperiment): Promise<void> {
  const path = experiment.models[0].path;
  const feeds: ort.Tensor[] = [];
  const model = await loadModel(path, { threads: 1, workers: 0, onSessionRun: (feed) => feeds.push(feed) });
  for await (const event of runSweeps(experiment, [model])) void event;
  await model.dispose();
  const outputName = model.card.output.name;
  const images = feeds.reduce((n, feed) => n + feed.dims[0], 0);
  console.log(
    `\nSession options: raw session.run on the example sweep's ${feeds.length} feeds (${images} images), best of ${REPEATS} alternating rounds`,
  );
  for (const threads of [1, 2]) {
    const sessions = [];
    for (const variant of VARIANTS)
      sessions.push(await ort.InferenceSession.create(path, { ...sessionOptions('cpu', threads), ...variant.change }));
    const runAll = (session: ort.InferenceSession) =>
      timeIt(async () => {
        for (const feed of feeds) await session.run({ [session.inputNames[0]]: feed }, [outputName]);
      });
    for (const session of sessions) await session.run({ [session.inputNames[0]]: feeds[0] }, [outputName]); // warm-up
    const best = sessions.map(() => Infinity);
    for (let r = 0; r < REPEATS; r++)
      for (const [i, session] of sessions.entries()) best[i] = Math.min(best[i], await runAll(session));
    console.log(`  ${threads} thread${threads === 1 ? '' : 's'}`);
    VARIANTS.forEach((variant, i) =>
      console.log(`    ${variant.name.padEnd(72)} ${best[i].toFixed(3)} s  ×${(best[i] / best[0]).toFixed(3)}`),
    );
    for (const session of sessions) await session.release();
  }
}
