/**
 * `misas merge`: combines the run folders of all shards of one run (`misas run --shard i/N`)
 * into the results a single run would have written. Every shard carries the whole plan (inputs,
 * series, values), so only rows, baselines, problems and input hashes are combined; summaries and
 * aggregates are recomputed by the same code as a single run's.
 */
import { MisasInputError } from '../errors';
import { readRunResults } from './runFolder';
import { RESULTS_FORMAT_VERSION, type ResultsRow, type RunResults } from './results';
import { assembleSeries } from './assemble';

async function readShard(dir: string): Promise<{ file: string; results: RunResults }> {
  const shard = await readRunResults(dir);
  if (!shard.results.shard) throw new MisasInputError(shard.file, 'is not a shard (it was not run with --shard i/N)');
  return shard;
}

/** What every shard of one run must share; the first difference is named. */
function sameRun(a: RunResults, b: RunResults): string | undefined {
  const checks: Array<[string, unknown, unknown]> = [
    ['the shard count', a.shard?.count, b.shard?.count],
    ['the experiment', a.experiment, b.experiment],
    ['the models', a.models.map((m) => m.sha256), b.models.map((m) => m.sha256)],
    ['the engine version', a.engineVersion, b.engineVersion],
    [
      'the inputs',
      a.inputs.map((i) => [i.imagePath, i.maskPath, i.slice]),
      b.inputs.map((i) => [i.imagePath, i.maskPath, i.slice]),
    ],
    ['the series', a.series.map((s) => [s.name, s.values]), b.series.map((s) => [s.name, s.values])],
    ['seed, tolerance or metrics', [a.seed, a.tolerance, a.metrics], [b.seed, b.tolerance, b.metrics]],
  ];
  return checks.find(([, x, y]) => JSON.stringify(x) !== JSON.stringify(y))?.[0];
}

export async function mergeShards(dirs: readonly string[]): Promise<RunResults> {
  if (dirs.length === 0) throw new MisasInputError('merge', 'give the shard folders to merge');
  const shards = await Promise.all(dirs.map(readShard));
  const first = shards[0];
  const count = first.results.shard!.count;
  for (const shard of shards.slice(1)) {
    const difference = sameRun(first.results, shard.results);
    if (difference)
      throw new MisasInputError(shard.file, `is a shard of a different run than ${first.file} (${difference} differ)`);
  }
  const byIndex = new Map<number, string>();
  for (const { file, results } of shards) {
    const previous = byIndex.get(results.shard!.index);
    if (previous) throw new MisasInputError(file, `is shard ${results.shard!.index}/${count} again (also ${previous})`);
    byIndex.set(results.shard!.index, file);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !byIndex.has(index));
  if (missing.length)
    throw new MisasInputError(
      first.file,
      `shards ${missing.map((i) => `${i}/${count}`).join(', ')} are missing; merge needs all ${count}`,
    );

  const all = shards.map((shard) => shard.results);
  const inputs = first.results.inputs.map((input, i) => {
    const hashed = all.map((r) => r.inputs[i]).find((candidate) => candidate.imageSha256);
    const { imageSha256: _image, maskSha256: _mask, problem: _problem, ...plan } = input;
    return {
      ...plan,
      ...(hashed?.imageSha256 ? { imageSha256: hashed.imageSha256 } : {}),
      ...(hashed?.maskSha256 ? { maskSha256: hashed.maskSha256 } : {}),
    };
  });
  const rowsBySeries = new Map<string, ResultsRow[]>(
    first.results.series.map((s) => [s.name, all.flatMap((r) => r.series.find((x) => x.name === s.name)?.rows ?? [])]),
  );
  const seriesInfo = first.results.series.map(
    ({ rows: _rows, summaries: _summaries, aggregates: _aggregates, ...info }) => info,
  );
  const assembled = assembleSeries(
    {
      inputs,
      series: seriesInfo,
      rowsBySeries,
      baselines: all.flatMap((r) => r.baselines),
      problems: all.flatMap((r) => r.problems),
    },
    {
      classes: first.results.classes,
      metrics: first.results.metrics,
      tau: first.results.tolerance,
      modelLabels: first.results.models.map((m) => m.label),
      referenceModel: first.results.benchmark?.referenceModel,
    },
  );
  const startedAt = all.map((r) => r.timing.startedAt).sort()[0];
  const finishedAt = all
    .map((r) => r.timing.finishedAt)
    .sort()
    .at(-1)!;
  const { shard: _shard, benchmark: _benchmark, ...common } = first.results;
  return {
    ...common,
    formatVersion: RESULTS_FORMAT_VERSION,
    status: all.every((r) => r.status === 'completed') ? 'completed' : 'cancelled',
    inputs: assembled.inputs,
    baselines: assembled.baselines,
    problems: assembled.problems,
    pseudoTruth: assembled.inputs.some((input) => input.pseudoTruth && !input.problem),
    timing: { startedAt, finishedAt, durationMs: Date.parse(finishedAt) - Date.parse(startedAt) },
    series: assembled.series,
    baselineChecks: assembled.baselineChecks,
    ...(assembled.benchmark ? { benchmark: assembled.benchmark } : {}),
  };
}
