/**
 * What the extension asks the engine host besides runs: an overlay frame, a model's inspection,
 * an image's intensity facts, a fit check. Each is refused in Restricted Mode (no model opened,
 * no file read) and fails with a readable message.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { IntensityFacts } from '../../engine/io/intensityFacts';
import type { ModelCardFile } from '../../engine/model/cardTypes';
import type { FitReport } from '../../engine/model/fit/types';
import type { EngineEvent, EngineFrame, ModelInspectionInfo, TransformSummary } from '../../protocol/engine';
import { EngineRequestError, EngineStoppedError, type EngineConnection } from './engineClient';
import { UNTRUSTED_MESSAGE } from './messages';
import type { RunSettings } from '../settings';

/** An overlay frame of a finished run: a series, a loaded input (as in the rows), a value, a slice of a volume, a model. */
export interface FrameRequest {
  experimentFile: vscode.Uri;
  runDir: vscode.Uri;
  series: string;
  input: number;
  value: number;
  slice?: number;
  /** Index into the run's models (default 0). */
  model?: number;
}

export interface FitInput {
  image: vscode.Uri;
  mask?: vscode.Uri;
}

export interface FitCheckOptions {
  /** Also test the conventions the model's card states. */
  all?: boolean;
  /** Model calls done of those planned so far. */
  onProgress?: (done: number, total: number) => void;
  token?: vscode.CancellationToken;
}

export interface EngineQueryDeps {
  engine: EngineConnection;
  log: vscode.LogOutputChannel;
  /** vscode.workspace.isTrusted, replaceable in tests (the test runner disables trust). */
  isTrusted: () => boolean;
  settings: (experimentFile: vscode.Uri) => RunSettings;
}

export class EngineQueries {
  private counter = 0;
  /** Progress listeners of the fit checks in flight, by fit id. */
  private readonly fitListeners = new Map<string, (done: number, total: number) => void>();

  /** The engine's transform registry, once asked (see `transforms`). */
  private transformList: Promise<TransformSummary[]> | undefined;

  constructor(private readonly deps: EngineQueryDeps) {}

  /** The transform registry, asked of the engine host once; a stopped engine is asked again next time. */
  transforms(): Promise<TransformSummary[]> {
    this.transformList ??= this.deps.engine.request({ type: 'listTransforms' }).then(
      (answer) => answer.transforms,
      (thrown: unknown) => {
        this.transformList = undefined;
        throw new Error(thrown instanceof EngineStoppedError ? thrown.message : engineFailureMessage(thrown), {
          cause: thrown,
        });
      },
    );
    return this.transformList;
  }

  async frame(request: FrameRequest): Promise<EngineFrame> {
    if (!this.deps.isTrusted()) throw new Error(`No overlay frames in Restricted Mode: ${UNTRUSTED_MESSAGE}`);
    const { experimentFile, runDir, series, input, value, slice, model } = request;
    const root = vscode.workspace.getWorkspaceFolder(experimentFile)?.uri.fsPath ?? path.dirname(experimentFile.fsPath);
    try {
      const answer = await this.deps.engine.request({
        type: 'frame',
        experimentFile: experimentFile.fsPath,
        root,
        runDir: runDir.fsPath,
        series,
        input,
        value,
        ...(slice !== undefined ? { slice } : {}),
        ...(model !== undefined ? { model } : {}),
        settings: this.deps.settings(experimentFile).engine,
      });
      return answer.frame;
    } catch (thrown) {
      throw new Error(thrown instanceof EngineStoppedError ? thrown.message : engineFailureMessage(thrown), {
        cause: thrown,
      });
    }
  }

  async inspectModel(model: vscode.Uri, card?: ModelCardFile): Promise<ModelInspectionInfo> {
    if (!this.deps.isTrusted()) throw new Error(`Not inspecting ${model.fsPath}: ${UNTRUSTED_MESSAGE}`);
    try {
      return (
        await this.deps.engine.request({ type: 'inspectModel', modelPath: model.fsPath, ...(card ? { card } : {}) })
      ).inspection;
    } catch (thrown) {
      throw new Error(thrown instanceof EngineStoppedError ? thrown.message : engineFailureMessage(thrown), {
        cause: thrown,
      });
    }
  }

  async imageFacts(image: vscode.Uri): Promise<IntensityFacts> {
    if (!this.deps.isTrusted()) throw new Error(`Not reading ${image.fsPath}: ${UNTRUSTED_MESSAGE}`);
    try {
      return (await this.deps.engine.request({ type: 'imageFacts', imagePath: image.fsPath })).facts;
    } catch (thrown) {
      throw new Error(thrown instanceof EngineStoppedError ? thrown.message : engineFailureMessage(thrown), {
        cause: thrown,
      });
    }
  }

  async fitCheck(model: vscode.Uri, inputs: FitInput[], options: FitCheckOptions = {}): Promise<FitReport | undefined> {
    if (!this.deps.isTrusted()) throw new Error(`No fit check of ${model.fsPath}: ${UNTRUSTED_MESSAGE}`);
    const fitId = `fit-${Date.now().toString(36)}-${++this.counter}`;
    if (options.onProgress) this.fitListeners.set(fitId, options.onProgress);
    const cancelling = options.token?.onCancellationRequested(() => {
      this.deps.log.info(`${fitId}: cancel requested`);
      this.deps.engine
        .request({ type: 'cancel', runId: fitId })
        .catch((error: unknown) => this.deps.log.warn(`${fitId}: cancel: ${String(error)}`));
    });
    try {
      const answer = await this.deps.engine.request({
        type: 'fitCheck',
        fitId,
        modelPath: model.fsPath,
        inputs: inputs.map((input) => ({
          image: input.image.fsPath,
          ...(input.mask ? { mask: input.mask.fsPath } : {}),
        })),
        ...(options.all ? { all: true } : {}),
      });
      return answer.status === 'completed' ? answer.report : undefined;
    } catch (thrown) {
      throw new Error(thrown instanceof EngineStoppedError ? thrown.message : engineFailureMessage(thrown), {
        cause: thrown,
      });
    } finally {
      cancelling?.dispose();
      this.fitListeners.delete(fitId);
    }
  }

  /** A fit check's progress event, to its listener. */
  fitProgress(event: Extract<EngineEvent, { type: 'fitProgress' }>): void {
    this.fitListeners.get(event.fitId)?.(event.done, event.total);
  }
}

/** An engine request's failure as the user reads it. */
export function engineFailureMessage(thrown: unknown): string {
  if (thrown instanceof EngineStoppedError) return `${thrown.message}, run marked failed`;
  if (thrown instanceof EngineRequestError) {
    const { file, problem, message } = thrown.error;
    // Bad input names its file, relative to the workspace where possible.
    return file && problem ? `${vscode.workspace.asRelativePath(file)}: ${problem}` : message;
  }
  return thrown instanceof Error ? thrown.message : String(thrown);
}
