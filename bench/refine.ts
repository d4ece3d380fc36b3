/**
 * Adaptive refinement against a dense sweep (issue 13; `npm run bench`,
 * `MISAS_BENCH_CASE=refine` runs this case alone): the example's rotate series on a coarse grid
 * refined to a resolution, and the same range swept densely at that resolution. Prints both
 * model-call counts and how far apart their tolerance intervals are (per input, per foreground
 * class, and for the mean curve). test/unit/sweep/refine-example.test.ts checks the same on
 * fewer slices and a narrower range.
 */
import { loadModel, type SegmentationModel } from '../src/engine/model';
import { foregroundClasses } from '../src/engine/sweep/analysis/classes';
import { summarizeSeries, type SeriesSummary } from '../src/engine/sweep/analysis/seriesSummary';
import type { ResolvedExperiment, ResolvedSeries } from '../src/engine/sweep/experiment/types';
import type { InputBaseline, RunRow } from '../src/engine/sweep/rows';
import { runSweeps } from '../src/engine/sweep/run/runner';
import { getTransform, resolveOptions } from '../src/engine/transforms/registry';

export interface RefinementComparison {
  denseCalls: number;
  refinedCalls: number;
  /** Per input ('mean' for the mean curve) and class: both runs' tolerance intervals of Dice. */
  intervals: Array<{
    input: number | 'mean';
    className: string;
    dense: [number, number] | null;
    refined: [number, number] | null;
  }>;
  /** The largest distance between corresponding interval edges (Infinity when one has an interval and the other not). */
  maxDifference: number;
}

function grid(from: number, to: number, step: number): number[] {
  return Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => from + i * step);
}

/** Rows, baselines and the summaries of one rotate series of `experiment`. */
async function sweep(experiment: ResolvedExperiment, model: SegmentationModel, series: ResolvedSeries) {
  const rows: RunRow[] = [];
  const baselines: InputBaseline[] = [];
  let classes: string[] = [];
  let identity: number[] = [];
  for await (const event of runSweeps({ ...experiment, series: [series] }, [model])) {
    if (event.type === 'start') {
      classes = event.classes;
      identity = event.series[0].identity;
    } else if (event.type === 'row') rows.push(event.row);
    else if (event.type === 'baseline') baselines.push(event.baseline);
  }
  const summaries = summarizeSeries({ name: 'rotate', unit: '°', scale: 'linear', identity }, rows, baselines, {
    classes,
    metrics: ['dice'],
    tau: experiment.tolerance,
    modelCount: 1,
    groupOf: () => undefined,
  });
  return { calls: rows.filter((row) => !row.baseline).length, summaries, classes };
}

/** Sweeps rotate over [-range, range] at `resolution` and on a `coarse` grid refined to `resolution`. */
export async function compareRefinement(
  experiment: ResolvedExperiment,
  model: SegmentationModel,
  options: { range: number; coarse: number; resolution: number },
): Promise<RefinementComparison> {
  const { range, coarse, resolution } = options;
  const rotate = { transform: 'rotate', options: resolveOptions(getTransform('rotate'), {}) };
  const dense = await sweep(experiment, model, { ...rotate, name: 'dense', values: grid(-range, range, resolution) });
  const refined = await sweep(experiment, model, {
    ...rotate,
    name: 'refined',
    values: grid(-range, range, coarse),
    refine: { resolution },
  });
  const key = (s: SeriesSummary) => `${s.input}/${s.className}`;
  const refinedByKey = new Map(refined.summaries.map((s) => [key(s), s]));
  const foreground = new Set(foregroundClasses(dense.classes));
  const intervals = dense.summaries
    .filter((s) => foreground.has(s.className))
    .map((s) => ({
      input: s.input,
      className: s.className,
      dense: s.tolerance,
      refined: refinedByKey.get(key(s))?.tolerance ?? null,
    }));
  const distance = ({ dense: a, refined: b }: RefinementComparison['intervals'][number]) =>
    a && b ? Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1])) : a || b ? Infinity : 0;
  return {
    denseCalls: dense.calls,
    refinedCalls: refined.calls,
    intervals,
    maxDifference: Math.max(0, ...intervals.map(distance)),
  };
}

/** The bench case: all five example slices, rotate −180…180°, 15° refined to 1° against 1°, with its own model. */
export async function refineBench(experiment: ResolvedExperiment): Promise<void> {
  const model = await loadModel(experiment.models[0].path, { threads: Number(process.env.MISAS_BENCH_THREADS ?? 2) });
  let result: RefinementComparison;
  try {
    result = await compareRefinement(experiment, model, { range: 180, coarse: 15, resolution: 1 });
  } finally {
    await model.dispose();
  }
  const share = (100 * result.refinedCalls) / result.denseCalls;
  console.log(
    `\nadaptive refinement: rotate −180…180° on ${experiment.inputs.length} inputs, 15° refined to 1° against a dense 1° sweep`,
  );
  console.log(
    `  model calls: dense ${result.denseCalls}, refined ${result.refinedCalls} (${share.toFixed(1)}%; target ≤ 40%)`,
  );
  const text = (t: [number, number] | null) => (t ? `${t[0]}…${t[1]}` : 'none');
  for (const row of result.intervals)
    console.log(
      `  ${String(row.input).padEnd(5)} ${row.className.padEnd(11)} dense ${text(row.dense).padEnd(12)} refined ${text(row.refined)}`,
    );
  console.log(`  largest difference of an interval edge: ${result.maxDifference}° (target ≤ 1°)`);
}
