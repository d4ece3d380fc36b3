/**
 * Runs experiments in the engine host process and keeps VS Code informed: a cancellable
 * progress notification per run, events for the status bar and the experiments tree, the
 * outcome as one clear message. The extension host itself never runs a model.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunResults } from '../../engine/report/results';
import type { ModelCardFile } from '../../engine/model/cardTypes';
import type { IntensityFacts } from '../../engine/io/intensityFacts';
import type { FitReport } from '../../engine/model/fit/types';
import { settleFailedRun } from '../../engine/report/failedRun';
import type { EngineEvent, EngineFrame, EngineRow, ModelInspectionInfo, TransformSummary } from '../../protocol/engine';
import { folderKey } from '../panel/runFiles';
import { problemsSummary } from '../runLabels';
import { EngineStoppedError, type EngineConnection } from './engineClient';
import {
  EngineQueries,
  engineFailureMessage,
  type FitCheckOptions,
  type FitInput,
  type FrameRequest,
} from './engineQueries';
import { LiveResults } from './liveResults';
import { UNTRUSTED_MESSAGE, type RunNotifier } from './messages';
import { experimentNameFrom, runFolderFor } from './runFolder';
import type { RunSettings } from '../settings';

export interface ActiveRun {
  /** Unique per run. */
  id: string;
  experimentFile: vscode.Uri;
  /** The run folder being written. */
  runDir: vscode.Uri;
  /** Date.now() at the start. */
  startedAt: number;
  done: number;
  total: number;
  /** The series being run. */
  series?: string;
}

export interface RunOutcome {
  status: 'completed' | 'cancelled' | 'failed';
  runDir?: vscode.Uri;
  message?: string;
}

/** An active run's results so far (see LiveResults) and its progress in steps. */
export interface LiveRunResults {
  results: RunResults;
  rows: number;
  done: number;
  total: number;
}

/** Rows of an active run as the engine produced them. */
export interface ProducedRows {
  runId: string;
  runDir: vscode.Uri;
  rows: EngineRow[];
}

export interface RunController extends vscode.Disposable {
  readonly active: readonly ActiveRun[];
  /** Fired on start, progress (throttled by the engine) and end. */
  readonly onDidChange: vscode.Event<void>;
  readonly onDidFinish: vscode.Event<RunOutcome & { experimentFile: vscode.Uri }>;
  /** The engine started a run: its inputs and series are known, rows follow. */
  readonly onDidStartRun: vscode.Event<ActiveRun>;
  /** Rows as the engine produces them (for views that fill in while a run is going). */
  readonly onDidProduceRows: vscode.Event<ProducedRows>;
  /**
   * The results so far of the active run that writes `runDir`, assembled as results.json will be
   * (summaries of the steps so far); undefined when no active, started run writes that folder.
   */
  liveResults(runDir: vscode.Uri): LiveRunResults | undefined;
  /** Runs an experiment file in the engine host process with withProgress + Cancel. */
  run(experimentFile: vscode.Uri, options?: { series?: string[] }): Promise<RunOutcome>;
  /** Cancels the run with this id, or every active run. */
  cancel(runId?: string): void;
  readonly lastExperiment: vscode.Uri | undefined;
  /**
   * Computes one overlay frame in the engine host (the results panel's viewer). Rejects with a
   * readable message, also in Restricted Mode, where no model runs.
   */
  frame(request: FrameRequest): Promise<EngineFrame>;
  /**
   * Inspects a model in the engine host (the analyze wizard's model-card step); `card` stands in
   * for its sidecar. Rejects with a readable message, also in Restricted Mode, where no model is opened.
   */
  /** The transform registry as the engine host lists it (asked once). */
  transforms(): Promise<TransformSummary[]>;
  inspectModel(model: vscode.Uri, card?: ModelCardFile): Promise<ModelInspectionInfo>;
  /** An image's intensity facts, read in the engine host; rejects with a readable message (naming the file for bad input). */
  imageFacts(image: vscode.Uri): Promise<IntensityFacts>;
  /**
   * Runs a fit check in the engine host: which orientation, normalisation and output reading the
   * model expects, ranked on the images (by Dice against the masks, when given). Resolves
   * undefined when `token` cancels it; rejects with a readable message (also in Restricted Mode).
   */
  fitCheck(model: vscode.Uri, inputs: FitInput[], options?: FitCheckOptions): Promise<FitReport | undefined>;
}

export interface RunControllerDeps {
  engine: EngineConnection;
  log: vscode.LogOutputChannel;
  /** Where lastExperiment is kept (the extension's workspaceState). */
  state: vscode.Memento;
  notify: RunNotifier;
  /** vscode.workspace.isTrusted, replaceable in tests (the test runner disables trust). */
  isTrusted: () => boolean;
  settings: (experimentFile: vscode.Uri) => RunSettings;
}

const LAST_EXPERIMENT_KEY = 'misas.lastExperiment';

interface RunState extends ActiveRun {
  name: string;
  rows: number;
  cancelRequested: boolean;
  report?: (message: string, increment: number) => void;
  /** From the engine's runStarted on: what the run has produced so far. */
  live?: LiveResults;
}

export class EngineRunController implements RunController {
  private readonly runs = new Map<string, RunState>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly finished = new vscode.EventEmitter<RunOutcome & { experimentFile: vscode.Uri }>();
  private readonly rowsProduced = new vscode.EventEmitter<ProducedRows>();
  private readonly runStarted = new vscode.EventEmitter<ActiveRun>();
  private readonly subscriptions: vscode.Disposable[];
  private counter = 0;
  private readonly queries: EngineQueries;

  readonly onDidChange = this.changed.event;
  readonly onDidFinish = this.finished.event;
  readonly onDidStartRun = this.runStarted.event;
  readonly onDidProduceRows = this.rowsProduced.event;

  constructor(private readonly deps: RunControllerDeps) {
    this.queries = new EngineQueries(deps);
    this.subscriptions = [
      this.changed,
      this.finished,
      this.rowsProduced,
      this.runStarted,
      deps.engine.onEvent((event) => this.onEngineEvent(event)),
    ];
  }

  get active(): readonly ActiveRun[] {
    return [...this.runs.values()].map(activeRunOf);
  }

  liveResults(runDir: vscode.Uri): LiveRunResults | undefined {
    const key = folderKey(runDir);
    const run = [...this.runs.values()].find((candidate) => folderKey(candidate.runDir) === key);
    if (!run?.live) return undefined;
    return { results: run.live.results(new Date()), rows: run.live.rowCount, done: run.done, total: run.total };
  }

  get lastExperiment(): vscode.Uri | undefined {
    const stored = this.deps.state.get<string>(LAST_EXPERIMENT_KEY);
    return stored ? vscode.Uri.parse(stored) : undefined;
  }

  /** The engine process id while one runs: lets the tests kill it to check crash recovery. */
  get enginePid(): number | undefined {
    return this.deps.engine.pid;
  }

  async run(experimentFile: vscode.Uri, options: { series?: string[] } = {}): Promise<RunOutcome> {
    if (!this.deps.isTrusted()) {
      this.deps.log.warn(`not running ${experimentFile.fsPath}: ${UNTRUSTED_MESSAGE}`);
      this.deps.notify.refusedUntrusted();
      return { status: 'failed', message: UNTRUSTED_MESSAGE };
    }
    await this.deps.state.update(LAST_EXPERIMENT_KEY, experimentFile.toString());
    // The engine reads the file from disk: run what the user sees in the editor.
    await vscode.workspace.textDocuments
      .find((doc) => doc.uri.toString() === experimentFile.toString() && doc.isDirty)
      ?.save();
    const run = await this.startRun(experimentFile);
    this.deps.log.info(`run ${run.id}: ${run.name} started → ${run.runDir.fsPath}`);
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `misas: ${run.name}`, cancellable: true },
      async (progress, token) => {
        const cancelling = token.onCancellationRequested(() => this.cancel(run.id));
        run.report = (message, increment) => progress.report({ message, increment });
        try {
          return await this.execute(run, options.series);
        } finally {
          cancelling.dispose();
        }
      },
    );
    this.endRun(run, outcome);
    return outcome;
  }

  cancel(runId?: string): void {
    const targets = [...this.runs.values()].filter((run) => runId === undefined || run.id === runId);
    for (const run of targets) {
      if (run.cancelRequested) continue;
      run.cancelRequested = true;
      this.deps.log.info(`run ${run.id}: cancel requested`);
      this.deps.engine
        .request({ type: 'cancel', runId: run.id })
        .catch((error: unknown) => this.deps.log.warn(`run ${run.id}: cancel: ${String(error)}`));
    }
  }

  frame(request: FrameRequest): Promise<EngineFrame> {
    return this.queries.frame(request);
  }

  /**
   * The engine's transform registry (names, titles, default sweeps), asked of the engine host once:
   * the registry's code stays out of the extension. Reads no workspace file, so also in Restricted Mode.
   */
  transforms(): Promise<TransformSummary[]> {
    return this.queries.transforms();
  }

  inspectModel(model: vscode.Uri, card?: ModelCardFile): Promise<ModelInspectionInfo> {
    return this.queries.inspectModel(model, card);
  }

  imageFacts(image: vscode.Uri): Promise<IntensityFacts> {
    return this.queries.imageFacts(image);
  }

  fitCheck(model: vscode.Uri, inputs: FitInput[], options: FitCheckOptions = {}): Promise<FitReport | undefined> {
    return this.queries.fitCheck(model, inputs, options);
  }

  dispose(): void {
    this.cancel();
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private async startRun(experimentFile: vscode.Uri): Promise<RunState> {
    const settings = this.deps.settings(experimentFile);
    const name = experimentNameFrom(await readText(experimentFile), experimentFile.fsPath);
    const startedAt = Date.now();
    const runDir = vscode.Uri.file(runFolderFor(experimentFile.fsPath, name, settings.runsFolder, new Date(startedAt)));
    const run: RunState = {
      id: `run-${startedAt.toString(36)}-${++this.counter}`,
      experimentFile,
      runDir,
      startedAt,
      name,
      done: 0,
      total: 0,
      rows: 0,
      cancelRequested: false,
    };
    this.runs.set(run.id, run);
    this.changed.fire();
    return run;
  }

  private async execute(run: RunState, series: string[] | undefined): Promise<RunOutcome> {
    const settings = this.deps.settings(run.experimentFile);
    const root =
      vscode.workspace.getWorkspaceFolder(run.experimentFile)?.uri.fsPath ?? path.dirname(run.experimentFile.fsPath);
    try {
      const answer = await this.deps.engine.request({
        type: 'run',
        runId: run.id,
        experimentFile: run.experimentFile.fsPath,
        root,
        outDir: run.runDir.fsPath,
        settings: settings.engine,
        ...(series?.length ? { seriesFilter: series } : {}),
      });
      const problems = problemsSummary(run.live?.problems);
      const rows = `${answer.rows} row${answer.rows === 1 ? '' : 's'}${problems ? `; ${problems} (see the log)` : ''}`;
      if (answer.status === 'completed')
        return { status: 'completed', runDir: run.runDir, message: `${run.name} finished: ${rows}` };
      return {
        status: 'cancelled',
        ...(answer.resultsWritten ? { runDir: run.runDir } : {}),
        message: answer.resultsWritten
          ? `${run.name} cancelled; ${rows} kept`
          : `${run.name} cancelled before the first step`,
      };
    } catch (thrown) {
      const message = engineFailureMessage(thrown);
      // The engine settles the folder of a run that failed in it; a dead engine cannot.
      if (thrown instanceof EngineStoppedError && thrown.processExited) await this.settleFolder(run, thrown.message);
      return { status: 'failed', runDir: run.runDir, message };
    }
  }

  /** Removes the folder of a run that died with the engine if nothing of value is in it, or writes its failed.json. */
  private async settleFolder(run: RunState, message: string): Promise<void> {
    try {
      await settleFailedRun(run.runDir.fsPath, { message });
    } catch (thrown) {
      this.deps.log.warn(
        `run ${run.id}: cannot tidy up ${run.runDir.fsPath}: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
      );
    }
  }

  private endRun(run: RunState, outcome: RunOutcome): void {
    this.runs.delete(run.id);
    const seconds = ((Date.now() - run.startedAt) / 1000).toFixed(1);
    const message = outcome.message ?? outcome.status;
    if (outcome.status === 'failed') {
      this.deps.log.error(`run ${run.id}: ${run.name} failed after ${seconds} s: ${message}`);
      this.deps.notify.failed(message, run.experimentFile);
    } else {
      this.deps.log.info(`run ${run.id}: ${message} in ${seconds} s (${run.runDir.fsPath})`);
      if (outcome.status === 'completed') this.deps.notify.completed(message, run.runDir);
      else this.deps.notify.cancelled(message);
    }
    this.changed.fire();
    this.finished.fire({ ...outcome, experimentFile: run.experimentFile });
  }

  private onEngineEvent(event: EngineEvent): void {
    if (event.type === 'log') {
      const line = event.runId ? `run ${event.runId}: ${event.message}` : `engine: ${event.message}`;
      if (event.level === 'error') this.deps.log.error(line);
      else if (event.level === 'warn') this.deps.log.warn(line);
      else this.deps.log.info(line);
      return;
    }
    if (event.type === 'fitProgress') {
      this.queries.fitProgress(event);
      return;
    }
    const run = this.runs.get(event.runId);
    if (!run) return;
    switch (event.type) {
      case 'runStarted': {
        run.total = event.total;
        run.live = new LiveResults(event.run);
        const { series, inputs, models, problems } = event.run;
        const skipped = problems.length
          ? `; ${problems.length} input problem(s): ${problems.map((p) => `${p.file}: ${p.problem} (${p.action})`).join('; ')}`
          : '';
        this.deps.log.info(
          `run ${run.id}: ${event.total} steps: ${series.map((s) => s.name).join(', ')} on ${inputs.length} input(s) with ${models.map((m) => m.label).join(', ')}${skipped}`,
        );
        this.runStarted.fire(activeRunOf(run));
        break;
      }
      case 'runProgress': {
        const increment = run.total > 0 ? ((event.done - run.done) / run.total) * 100 : 0;
        run.done = event.done;
        run.total = event.total;
        run.series = event.series;
        const reading = event.reading
          ? `reading ${event.input}: ${event.reading.done} of ${event.reading.total} files`
          : undefined;
        run.report?.(reading ?? `${event.series} · ${event.input} (${event.done}/${event.total})`, increment);
        break;
      }
      case 'runRows':
        run.rows += event.rows.length;
        run.live?.add(event);
        for (const problem of event.problems)
          this.deps.log.warn(`run ${run.id}: ${problem.file}: ${problem.problem} (${problem.action})`);
        this.rowsProduced.fire({ runId: run.id, runDir: run.runDir, rows: event.rows });
        return; // progress follows right after; one change event per batch is enough
    }
    this.changed.fire();
  }
}

function activeRunOf({ id, experimentFile, runDir, startedAt, done, total, series }: RunState): ActiveRun {
  return { id, experimentFile, runDir, startedAt, done, total, ...(series ? { series } : {}) };
}

async function readText(uri: vscode.Uri): Promise<string> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return ''; // the engine reports the missing file properly
  }
}
