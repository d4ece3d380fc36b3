/** The misas.* settings this feature reads (declared, with docs, in package.json). */
import * as vscode from 'vscode';

/** The misas series: what the wizard ticks when the user has not chosen otherwise. */
export const MISAS_DEFAULT_SERIES = ['rotate', 'crop', 'zoom', 'dihedral', 'resize', 'brightness', 'contrast', 'spike', 'ghosting', 'bias-field'];
export const DEFAULT_RUNS_FOLDER_SETTING = '.misas/runs';

function section(scope?: vscode.Uri): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('misas', scope);
}

/** Transform names pre-ticked in the wizard and written by New Experiment. */
export function defaultSeries(scope?: vscode.Uri): string[] {
  const value = section(scope).get<unknown>('defaultSeries');
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : MISAS_DEFAULT_SERIES;
}

/** Where runs are stored: relative to the experiment's folder unless absolute. */
export function runsFolder(scope?: vscode.Uri): string {
  const value = section(scope).get<string>('runsFolder');
  return typeof value === 'string' && value.trim() ? value.trim() : DEFAULT_RUNS_FOLDER_SETTING;
}

/** τ for experiment files that set none. */
export function tolerance(scope?: vscode.Uri): number {
  const value = section(scope).get<unknown>('tolerance');
  return typeof value === 'number' && value > 0 && value <= 1 ? value : 0.9;
}
