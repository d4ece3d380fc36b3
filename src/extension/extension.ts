/**
 * Entry point loaded by VS Code. The engine never runs here: runs go to the engine host
 * process (src/host) through the run feature; the results panel shows run folders; the
 * workspace feature owns the tree, the wizard and the files.
 */
import * as vscode from 'vscode';
import { registerFitCheck } from './fit';
import { registerResultsPanel, type ResultsPanels } from './panel';
import { registerRunFeatures } from './run';
import type { RunController } from './run/controller';
import { registerWorkspaceFeatures } from './workspace';

/** What activate() returns: used by the extension tests, and by other extensions if they like. */
export interface MisasApi {
  runs: RunController;
  panels: ResultsPanels;
}

export function activate(context: vscode.ExtensionContext): MisasApi {
  const log = vscode.window.createOutputChannel('misas', { log: true });
  context.subscriptions.push(log);
  const runs = registerRunFeatures(context, log);
  const panels = registerResultsPanel(context, log, (request) => runs.frame(request), runs);
  registerWorkspaceFeatures(context, log, runs, panels);
  registerFitCheck(context, log, runs);
  return { runs, panels };
}

export function deactivate(): void {}
