/**
 * "Inputs, worst first": the engine's ranking of a model's inputs (rankInputs: mean per-input
 * nAUC over every series and foreground class, least robust first) with what the list shows.
 */
import { METRICS, type MetricName } from '../../src/engine/metrics/types';
import type { RunResults } from '../../src/engine/report/results';
import { rankInputs } from '../../src/engine/sweep/analysis/aggregate';

export interface RankedInput {
  input: number;
  label: string;
  group?: string;
  /** Mean nAUC (relative to the input's own baseline); null when no series defines one. */
  score: number | null;
  scoreText: string;
}

/** The model's inputs, worst first, narrowed to one group when `group` is set. */
export function rankedInputs(
  results: RunResults,
  options: { model: number; metric: MetricName; group: string | null },
): RankedInput[] {
  const ranks = rankInputs(
    results.series.map((s) => s.summaries),
    { model: options.model, metric: options.metric, classes: results.classes },
  );
  return ranks
    .map(({ input, score }): RankedInput => {
      const info = results.inputs[input];
      return {
        input,
        label: info?.label ?? `input ${input}`,
        ...(info?.group !== undefined ? { group: info.group } : {}),
        score,
        scoreText: score === null ? 'no score' : Number.isFinite(score) ? score.toFixed(3) : '∞',
      };
    })
    .filter((ranked) => options.group === null || ranked.group === options.group);
}

/** What the score means for this metric, for the list's caption. */
export function scoreCaption(metric: MetricName): string {
  const higher = METRICS[metric].higherIsBetter;
  return `Score: mean nAUC of ${METRICS[metric].label} over every series and foreground class, relative to the input’s own unchanged value (1 = unaffected; ${higher ? 'lower' : 'higher'} is worse).`;
}
