/** The runs of the engine host: each one loads its experiment, leases its models and executes, cancellably. */
import { rmdir } from 'node:fs/promises';
import type { RunLimits } from '../engine/limits';
import { executeRun } from '../engine/sweep/run/execute';
import { loadExperiment } from '../engine/sweep/experiment/load';
import { ENGINE_VERSION } from '../engine/version';
import type { EngineEvent, EngineResponseFor, EngineRunRequest, EngineRunSettings } from '../protocol/engine';
import { isAbortError, toEngineError } from './errors';
import { settleFailedRun } from '../engine/report/failedRun';
import type { ModelCache } from './modelCache';
import { describeRunStart, RunEventStream } from './runEvents';

const MIB = 1024 * 1024;

/** The setting in MiB as the engine's byte budget; absent (the engine's default) unless positive. */
export function memoryBudgetBytes(settings: EngineRunSettings): number | undefined {
  const mb = settings.maxMemoryMB;
  return typeof mb === 'number' && Number.isFinite(mb) && mb > 0 ? mb * MIB : undefined;
}

/** The settings' limits on a run's size; absent ones are the engine's defaults. */
export function runLimits(settings: EngineRunSettings): Partial<RunLimits> {
  const { maxValuesPerSeries, maxTotalSteps } = settings;
  return { ...(maxValuesPerSeries ? { maxValuesPerSeries } : {}), ...(maxTotalSteps ? { maxTotalSteps } : {}) };
}

export class RunManager {
  private readonly active = new Map<string, AbortController>();

  constructor(
    private readonly models: ModelCache,
    private readonly send: (event: EngineEvent) => void,
  ) {}

  get activeCount(): number {
    return this.active.size;
  }

  async run(request: EngineRunRequest): Promise<EngineResponseFor<'run'>> {
    const { id, runId, settings } = request;
    if (this.active.has(runId)) throw new Error(`a run with id ${runId} is already running`);
    const abort = new AbortController();
    this.active.set(runId, abort);
    let events: RunEventStream | undefined;
    const answer = (
      status: 'completed' | 'cancelled',
      runDir: string,
      resultsWritten: boolean,
    ): EngineResponseFor<'run'> => ({
      type: 'run',
      id,
      runId,
      status,
      runDir,
      rows: events?.rowCount ?? 0,
      resultsWritten,
    });
    try {
      const limits = runLimits(settings);
      const loaded = await loadExperiment(request.experimentFile, request.root, limits);
      // The experiment file's own tolerance wins over the user's default.
      const experiment =
        loaded.experiment.tolerance === undefined && settings.tolerance !== undefined
          ? { ...loaded, tolerance: settings.tolerance }
          : loaded;
      abort.signal.throwIfAborted();
      const warn = (message: string) => this.send({ type: 'log', level: 'warn', message, runId });
      // A run compares its models input by input: all of them are loaded for its whole length.
      const lease = await this.models.acquireAll(
        experiment.models.map((model) => model.path),
        settings,
        warn,
      );
      try {
        abort.signal.throwIfAborted();
        // executeRun asks the clock first for its start time: the live view shows the same one.
        let startedAt: Date | undefined;
        const now = () => {
          const date = new Date();
          startedAt ??= date;
          return date;
        };
        events = new RunEventStream(runId, this.send, (start) =>
          describeRunStart(start, {
            experiment,
            models: lease.models,
            startedAt: startedAt ?? new Date(),
            engineVersion: ENGINE_VERSION,
          }),
        );
        const budget = memoryBudgetBytes(settings);
        const { runDir, results } = await executeRun(experiment, lease.models, {
          outDir: request.outDir,
          // The extension names a fresh timestamp folder for every run: what is in it is this run's.
          overwrite: true,
          limits,
          signal: abort.signal,
          onEvent: events.accept,
          now,
          ...(request.seriesFilter?.length ? { seriesFilter: request.seriesFilter } : {}),
          ...(settings.keepPredictions ? { keepPredictions: true } : {}),
          ...(budget ? { memoryBudgetBytes: budget } : {}),
        });
        events.flush();
        return answer(results.status, runDir, true);
      } finally {
        lease.release();
      }
    } catch (thrown) {
      if (!(abort.signal.aborted && isAbortError(thrown))) {
        await this.settleFailedFolder(request, thrown);
        throw thrown;
      }
      // Cancelled before the first step: nothing worth keeping; drop the folder if it is empty.
      events?.flush();
      await rmdir(request.outDir).catch(() => {});
      return answer('cancelled', request.outDir, false);
    } finally {
      this.active.delete(runId);
    }
  }

  /** A failed run leaves no empty folder behind, and a kept one says why it has no results. */
  private async settleFailedFolder(request: EngineRunRequest, thrown: unknown): Promise<void> {
    const { message, file } = toEngineError(thrown);
    try {
      await settleFailedRun(request.outDir, { message, ...(file ? { file } : {}) });
    } catch (problem) {
      // The run's own error is what the user must see; this one only goes to the log.
      this.send({
        type: 'log',
        level: 'warn',
        message: `cannot tidy up ${request.outDir}: ${toEngineError(problem).message}`,
        runId: request.runId,
      });
    }
  }

  /** Asks a run to stop; it answers its own request with status "cancelled". */
  cancel(runId: string): boolean {
    const abort = this.active.get(runId);
    abort?.abort();
    return abort !== undefined;
  }

  cancelAll(): void {
    for (const abort of this.active.values()) abort.abort();
  }
}
