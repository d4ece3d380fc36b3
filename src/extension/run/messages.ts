/**
 * What the user is told about runs: a seam between the controller and vscode.window, so the
 * controller's decisions (e.g. refusing to run in Restricted Mode) can be checked in tests.
 * None of these wait for the user: a run never blocks on a notification.
 */
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';

export const UNTRUSTED_MESSAGE = 'misas runs models only in trusted workspaces.';

export interface RunNotifier {
  /** Restricted Mode: say why nothing runs and offer to manage trust. */
  refusedUntrusted(): void;
  failed(message: string, experimentFile: vscode.Uri): void;
  completed(summary: string, runDir: vscode.Uri): void;
  cancelled(summary: string): void;
}

const MANAGE_TRUST = 'Manage Workspace Trust';
const OPEN_EXPERIMENT = 'Open experiment file';
const SHOW_LOG = 'Show log';
const OPEN_RESULTS = 'Open Results';

export function createNotifier(log: vscode.LogOutputChannel): RunNotifier {
  const run = (command: string, ...args: unknown[]) =>
    vscode.commands
      .executeCommand(command, ...args)
      .then(undefined, (error: unknown) => log.error(`${command}: ${String(error)}`));
  return {
    refusedUntrusted() {
      void vscode.window.showWarningMessage(UNTRUSTED_MESSAGE, MANAGE_TRUST).then((choice) => {
        if (choice === MANAGE_TRUST) run('workbench.trust.manage');
      });
    },
    failed(message, experimentFile) {
      void vscode.window.showErrorMessage(`misas: ${message}`, OPEN_EXPERIMENT, SHOW_LOG).then((choice) => {
        if (choice === OPEN_EXPERIMENT) run('vscode.open', experimentFile);
        if (choice === SHOW_LOG) log.show(true);
      });
    },
    completed(summary, runDir) {
      void vscode.window.showInformationMessage(`misas: ${summary}`, OPEN_RESULTS, SHOW_LOG).then((choice) => {
        if (choice === OPEN_RESULTS) run(COMMANDS.openResults, runDir);
        if (choice === SHOW_LOG) log.show(true);
      });
    },
    cancelled(summary) {
      void vscode.window.showInformationMessage(`misas: ${summary}`);
    },
  };
}
