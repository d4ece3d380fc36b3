/**
 * What the results panels need from the runs going on in this window: their results so far, and
 * when they start, produce rows and end. The run controller provides it.
 */
import * as vscode from 'vscode';
import type { RunController } from '../run/controller';

export type LiveRuns = Pick<RunController, 'liveResults' | 'onDidStartRun' | 'onDidProduceRows' | 'onDidFinish'>;

/** The setting misas.openResultsOnRun: open a run's results panel as soon as the run starts. */
export function openResultsOnRun(scope: vscode.Uri): boolean {
  return vscode.workspace.getConfiguration('misas', scope).get<boolean>('openResultsOnRun') !== false;
}
