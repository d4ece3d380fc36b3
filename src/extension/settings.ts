/**
 * Every `misas.*` setting the extension reads, in one place (declared, with docs, in package.json;
 * defaults in settingDefaults.ts). A value of the wrong type or out of range reads as the
 * default, so a typo in settings.json never reaches the engine.
 */
import * as vscode from 'vscode';
import type { EngineRunSettings } from '../protocol/engine';
import { SETTING_DEFAULTS, type SettingName } from './settingDefaults';

const SECTION = 'misas';

function section(scope?: vscode.Uri): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION, scope);
}

/** Whether a configuration change touches this setting (e.g. to re-create file watchers). */
export function affectsSetting(event: vscode.ConfigurationChangeEvent, name: SettingName): boolean {
  return event.affectsConfiguration(`${SECTION}.${name}`);
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

function validTolerance(value: unknown): number | undefined {
  return typeof value === 'number' && value > 0 && value <= 1 ? value : undefined;
}

/** Transform names pre-ticked in the wizard and written by New Experiment. */
export function defaultSeries(scope?: vscode.Uri): string[] {
  const value = section(scope).get<unknown>('defaultSeries');
  return Array.isArray(value) && value.every((v) => typeof v === 'string')
    ? value
    : [...SETTING_DEFAULTS.defaultSeries];
}

/** Where runs are stored: relative to the experiment's folder unless absolute. */
export function runsFolder(scope?: vscode.Uri): string {
  const value = section(scope).get<unknown>('runsFolder');
  return typeof value === 'string' && value.trim() ? value.trim() : SETTING_DEFAULTS.runsFolder;
}

/** τ for experiment files that set none. */
export function tolerance(scope?: vscode.Uri): number {
  return validTolerance(section(scope).get<unknown>('tolerance')) ?? SETTING_DEFAULTS.tolerance;
}

/** misas.openResultsOnRun: open a run's results panel as soon as the run starts. */
export function openResultsOnRun(scope: vscode.Uri): boolean {
  return section(scope).get<unknown>('openResultsOnRun') !== false;
}

export interface RunSettings {
  engine: EngineRunSettings;
  /** Relative to the experiment's folder unless absolute. */
  runsFolder: string;
}

/** The run-related settings, read per experiment file. 0 and other non-positive numbers mean "let the engine decide" for threads, batch size and memory. */
export function readRunSettings(scope: vscode.Uri): RunSettings {
  const config = section(scope);
  const threads = positiveInteger(config.get('threads'));
  const workers = positiveInteger(config.get('workers'));
  const batchSize = positiveInteger(config.get('batchSize'));
  const maxMemoryMB = positiveInteger(config.get('maxMemoryMB'));
  const maxValuesPerSeries = positiveInteger(config.get('maxValuesPerSeries'));
  const maxTotalSteps = positiveInteger(config.get('maxTotalSteps'));
  const executionProvider = config.get('executionProvider') === 'cuda' ? 'cuda' : undefined;
  const tolerance = validTolerance(config.get('tolerance'));
  return {
    engine: {
      ...(threads ? { threads } : {}),
      ...(workers ? { workers } : {}),
      ...(batchSize ? { batchSize } : {}),
      ...(maxMemoryMB ? { maxMemoryMB } : {}),
      ...(maxValuesPerSeries ? { maxValuesPerSeries } : {}),
      ...(maxTotalSteps ? { maxTotalSteps } : {}),
      ...(executionProvider ? { executionProvider } : {}),
      // false leaves the choice to the experiment file's own keepPredictions.
      ...(config.get('keepPredictions') === true ? { keepPredictions: true } : {}),
      ...(tolerance !== undefined ? { tolerance } : {}),
    },
    runsFolder: runsFolder(scope),
  };
}

/**
 * misas.engineIdleMinutes in milliseconds: how long the engine process may sit idle (its models
 * loaded) before it is stopped; 0 = never. One engine serves every folder: a window setting.
 */
export function readEngineIdleMs(): number {
  const minutes = section().get<unknown>('engineIdleMinutes');
  const valid = typeof minutes === 'number' && Number.isFinite(minutes) && minutes >= 0;
  return (valid ? minutes : SETTING_DEFAULTS.engineIdleMinutes) * 60_000;
}
