/**
 * The results of a run while it goes: the engine's runStarted event says everything results.json
 * will hold except rows, baselines and timing; the rows stream in batches. `results()` turns what
 * arrived so far into a RunResults with the engine's own assembly (summaries and aggregates of
 * the steps so far), so a results panel draws a running run exactly as it will draw the file.
 * Pure (no `vscode`): the unit tests check it in plain Node.
 */
import type { InputProblem } from '../../engine/dataset/types';
import type { ResultsRow, RunResults } from '../../engine/report/results';
import { assembleSeries } from '../../engine/report/assemble';
import type { EngineBaseline, EngineRow, EngineRunStart } from '../../protocol/engine';

export interface RowBatch {
  rows: readonly EngineRow[];
  baselines: readonly EngineBaseline[];
  problems: readonly InputProblem[];
}

export class LiveResults {
  private readonly rowsBySeries = new Map<string, ResultsRow[]>();
  private readonly baselines: EngineBaseline[] = [];
  private readonly laterProblems: InputProblem[] = [];
  rowCount = 0;

  constructor(readonly start: EngineRunStart) {}

  add(batch: RowBatch): void {
    for (const { series, ...row } of batch.rows) {
      let rows = this.rowsBySeries.get(series);
      if (!rows) this.rowsBySeries.set(series, (rows = []));
      rows.push(row);
    }
    this.rowCount += batch.rows.length;
    this.baselines.push(...batch.baselines);
    this.laterProblems.push(...batch.problems);
  }

  /** Inputs skipped (or run with pseudo-truth) so far: those known at the start and those that failed since. */
  get problems(): InputProblem[] {
    return [...this.start.problems, ...this.laterProblems];
  }

  /**
   * results.json as it would read if the run ended `now`, without file hashes. Its status says
   * "completed": a partial run is marked as live by the message that carries it, never in a file.
   */
  results(now: Date): RunResults {
    const { startedAt, series, problems: _problems, ...fixed } = this.start;
    const assembled = assembleSeries(
      {
        inputs: fixed.inputs,
        series,
        rowsBySeries: this.rowsBySeries,
        baselines: this.baselines,
        problems: this.problems,
      },
      {
        classes: fixed.classes,
        metrics: fixed.metrics,
        tau: fixed.tolerance,
        modelLabels: fixed.models.map((model) => model.label),
      },
    );
    const started = Date.parse(startedAt);
    return {
      ...fixed,
      status: 'completed',
      inputs: assembled.inputs,
      baselines: assembled.baselines,
      problems: assembled.problems,
      pseudoTruth: assembled.inputs.some((input) => input.pseudoTruth && !input.problem),
      timing: { startedAt, finishedAt: now.toISOString(), durationMs: Math.max(0, now.getTime() - started) },
      series: assembled.series,
      baselineChecks: assembled.baselineChecks,
    };
  }
}
