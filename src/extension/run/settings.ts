/** The run-related settings (declared in package.json under `misas.*`), read per experiment file. */
import * as vscode from 'vscode';
import type { EngineRunSettings } from '../../protocol/engine';

export const DEFAULT_RUNS_FOLDER = '.misas/runs';
export const DEFAULT_ENGINE_IDLE_MINUTES = 10;

export interface RunSettings {
  engine: EngineRunSettings;
  /** Relative to the experiment's folder unless absolute. */
  runsFolder: string;
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** 0 and other non-positive numbers mean "let the engine decide" for threads, batch size and memory. */
export function readRunSettings(scope: vscode.Uri): RunSettings {
  const config = vscode.workspace.getConfiguration('misas', scope);
  const threads = positiveInteger(config.get('threads'));
  const batchSize = positiveInteger(config.get('batchSize'));
  const maxMemoryMB = positiveInteger(config.get('maxMemoryMB'));
  const maxValuesPerSeries = positiveInteger(config.get('maxValuesPerSeries'));
  const maxTotalSteps = positiveInteger(config.get('maxTotalSteps'));
  const executionProvider = config.get('executionProvider') === 'cuda' ? 'cuda' : undefined;
  const runsFolder = config.get<string>('runsFolder')?.trim() || DEFAULT_RUNS_FOLDER;
  const tolerance = config.get<number>('tolerance');
  return {
    engine: {
      ...(threads ? { threads } : {}),
      ...(batchSize ? { batchSize } : {}),
      ...(maxMemoryMB ? { maxMemoryMB } : {}),
      ...(maxValuesPerSeries ? { maxValuesPerSeries } : {}),
      ...(maxTotalSteps ? { maxTotalSteps } : {}),
      ...(executionProvider ? { executionProvider } : {}),
      // false leaves the choice to the experiment file's own keepPredictions.
      ...(config.get('keepPredictions') === true ? { keepPredictions: true } : {}),
      ...(typeof tolerance === 'number' && tolerance > 0 && tolerance <= 1 ? { tolerance } : {}),
    },
    runsFolder,
  };
}

/**
 * misas.engineIdleMinutes in milliseconds: how long the engine process may sit idle (its models
 * loaded) before it is stopped; 0 = never. One engine serves every folder: a window setting.
 */
export function readEngineIdleMs(): number {
  const minutes = vscode.workspace.getConfiguration('misas').get<unknown>('engineIdleMinutes');
  const valid = typeof minutes === 'number' && Number.isFinite(minutes) && minutes >= 0;
  return (valid ? minutes : DEFAULT_ENGINE_IDLE_MINUTES) * 60_000;
}
