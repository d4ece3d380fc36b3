/**
 * Turns the engine's run events into protocol events for one run: rows are batched and
 * progress is throttled, so a fast model does not flood the IPC channel (and the
 * notification) with thousands of messages; the last step is always sent.
 */
import { basename, dirname, relative } from 'node:path';
import type { InputProblem } from '../engine/dataset/types';
import { RESULTS_FORMAT, RESULTS_FORMAT_VERSION, type ResultsModel } from '../engine/report/results';
import type { ResolvedExperiment } from '../engine/sweep/experiment/types';
import type { RunEvent } from '../engine/sweep/rows';
import type { EngineBaseline, EngineEvent, EngineRow, EngineRunStart } from '../protocol/engine';

export const PROGRESS_INTERVAL_MS = 200;

export type StartEvent = Extract<RunEvent, { type: 'start' }>;

/** What the start event does not say but results.json will: the experiment, the loaded models, the start time. */
export interface RunStartContext {
  experiment: ResolvedExperiment;
  models: ReadonlyArray<{ classNames: readonly string[]; card: unknown }>;
  startedAt: Date;
  engineVersion: string;
}

/** The run as results.json will describe it, minus rows and hashes: paths relative to the experiment's folder. */
export function describeRunStart(event: StartEvent, context: RunStartContext): EngineRunStart {
  const { experiment } = context;
  const base = dirname(experiment.file);
  const models: ResultsModel[] = event.models.map((model) => ({
    index: model.index,
    label: model.label,
    path: relative(base, model.path),
    sha256: '',
    classNames: [...(context.models[model.index]?.classNames ?? [])],
    card: context.models[model.index]?.card ?? null,
  }));
  return {
    format: RESULTS_FORMAT,
    formatVersion: RESULTS_FORMAT_VERSION,
    engineVersion: context.engineVersion,
    experiment: { file: basename(experiment.file), content: experiment.experiment },
    models,
    inputs: event.inputs.map((input) => ({
      ...input,
      imagePath: relative(base, input.imagePath),
      ...(input.maskPath ? { maskPath: relative(base, input.maskPath) } : {}),
    })),
    problems: event.problems,
    classes: event.classes,
    metrics: [...experiment.metrics],
    seed: experiment.seed,
    tolerance: experiment.tolerance,
    startedAt: context.startedAt.toISOString(),
    series: event.series,
  };
}

export class RunEventStream {
  private rows: EngineRow[] = [];
  private baselines: EngineBaseline[] = [];
  private problems: InputProblem[] = [];
  private progress: Extract<RunEvent, { type: 'progress' }> | undefined;
  private inputLabels: string[] = [];
  private lastSent = 0;
  rowCount = 0;

  constructor(
    private readonly runId: string,
    private readonly send: (event: EngineEvent) => void,
    private readonly describeStart: (event: StartEvent) => EngineRunStart,
    private readonly now: () => number = Date.now,
  ) {}

  readonly accept = (event: RunEvent): void => {
    switch (event.type) {
      case 'start':
        this.inputLabels = event.inputs.map((input) => input.label);
        this.send({ type: 'runStarted', runId: this.runId, total: event.total, run: this.describeStart(event) });
        break;
      case 'row': {
        // Per-slice metrics stay in results.json: they would multiply what crosses the IPC channel.
        const { slices: _slices, ...row } = event.row;
        this.rows.push(row);
        this.rowCount++;
        break;
      }
      case 'baseline': {
        const { slices: _slices, ...baseline } = event.baseline;
        this.baselines.push(baseline);
        break;
      }
      case 'problem':
        this.problems.push(event.problem);
        break;
      case 'progress':
        this.progress = event;
        if (event.done >= event.total || this.now() - this.lastSent >= PROGRESS_INTERVAL_MS) this.flush();
        break;
    }
  };

  /** Sends what is pending: rows first, so a progress count never runs ahead of the rows. */
  flush(): void {
    if (this.rows.length || this.baselines.length || this.problems.length) {
      this.send({
        type: 'runRows',
        runId: this.runId,
        rows: this.rows,
        baselines: this.baselines,
        problems: this.problems,
      });
      this.rows = [];
      this.baselines = [];
      this.problems = [];
    }
    if (this.progress) {
      const { done, total, series, input, reading } = this.progress;
      this.send({
        type: 'runProgress',
        runId: this.runId,
        done,
        total,
        series,
        input: this.inputLabels[input] ?? String(input),
        ...(reading ? { reading } : {}),
      });
      this.progress = undefined;
    }
    this.lastSent = this.now();
  }
}
