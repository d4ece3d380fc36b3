/**
 * Turns the engine's run events into protocol events for one run: rows are batched and
 * progress is throttled, so a fast model does not flood the IPC channel (and the
 * notification) with thousands of messages; the last step is always sent.
 */
import type { RunEvent } from '../engine/sweep/runner';
import type { EngineEvent, EngineRow } from '../protocol/engine';

export const PROGRESS_INTERVAL_MS = 200;

export class RunEventStream {
  private rows: EngineRow[] = [];
  private progress: Extract<RunEvent, { type: 'progress' }> | undefined;
  private inputLabels: string[] = [];
  private lastSent = 0;
  rowCount = 0;

  constructor(
    private readonly runId: string,
    private readonly send: (event: EngineEvent) => void,
    private readonly now: () => number = Date.now,
  ) {}

  readonly accept = (event: RunEvent): void => {
    switch (event.type) {
      case 'start':
        this.inputLabels = event.inputs.map((input) => input.label);
        this.send({
          type: 'runStarted',
          runId: this.runId,
          total: event.total,
          classes: event.classes,
          inputs: this.inputLabels,
          series: event.series.map((series) => series.name),
        });
        break;
      case 'row':
        this.rows.push(event.row);
        this.rowCount++;
        break;
      case 'progress':
        this.progress = event;
        if (event.done >= event.total || this.now() - this.lastSent >= PROGRESS_INTERVAL_MS) this.flush();
        break;
      case 'baseline':
        break; // the identity rows carry the same numbers
    }
  };

  /** Sends what is pending: rows first, so a progress count never runs ahead of the rows. */
  flush(): void {
    if (this.rows.length) {
      this.send({ type: 'runRows', runId: this.runId, rows: this.rows });
      this.rows = [];
    }
    if (this.progress) {
      const { done, total, series, input } = this.progress;
      this.send({ type: 'runProgress', runId: this.runId, done, total, series, input: this.inputLabels[input] ?? String(input) });
      this.progress = undefined;
    }
    this.lastSent = this.now();
  }
}
