/**
 * The benchmark metrics of severity series as `misas run` prints them after the summaries:
 * ROOD-MRI's Overall and Degradation per series, class and model (first metric of the run), and
 * with a reference model the corruption errors (docs/ALGORITHMS.md, "Severity levels and
 * benchmark metrics").
 */
import { METRICS } from '../engine/metrics/types';
import type { RunResults } from '../engine/report/results';

function fixed(value: number | string | null): string {
  if (value === null) return 'undefined';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const text = value.toFixed(3);
  return text === '-0.000' ? '0.000' : text;
}

/** Lines to print; none when the run has no severity series. */
export function benchmarkLines(results: RunResults): string[] {
  const benchmark = results.benchmark;
  if (!benchmark) return [];
  const metric = results.metrics[0];
  const label = (model: number) => results.models[model]?.label ?? String(model);
  const several = results.models.length > 1;
  const scores = benchmark.robustness.filter((r) => r.metric === metric);
  const lines = [
    '',
    `ROOD-MRI robustness (${METRICS[metric].label}, weights (2/3)^severity; Degradation > 0 is worse than the unchanged input):`,
  ];
  for (const score of scores) {
    const levels = score.levels.map((l) => l.severity).join(',');
    lines.push(
      `  ${score.series} · ${score.className}${several ? ` (${label(score.model)})` : ''}: Overall ${fixed(score.overall)}, Degradation ${fixed(score.degradation)} (levels ${levels})`,
    );
  }
  if (benchmark.referenceModel !== undefined && benchmark.meanCorruptionErrors) {
    lines.push(
      '',
      `corruption error against ${label(benchmark.referenceModel)} (E = 1 − Dice; 1 = as the reference, < 1 better):`,
    );
    for (const mean of benchmark.meanCorruptionErrors) {
      if (mean.model === benchmark.referenceModel) continue;
      const perSeries = (benchmark.corruptionErrors ?? [])
        .filter((c) => c.model === mean.model && c.className === mean.className)
        .map((c) => `${c.series} ${fixed(c.ce)}`)
        .join(', ');
      lines.push(
        `  ${label(mean.model)} · ${mean.className}: mCE ${fixed(mean.mce)}, relative mCE ${fixed(mean.relativeMce)} (CE: ${perSeries})`,
      );
    }
  }
  return lines;
}
