/**
 * Everything the user sees in the workbench except the run machinery: the Experiments tree and
 * its file watchers, the analyze wizard, new experiment, the example, and the commands on runs.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResultsPanels } from '../panel';
import type { RunController } from '../run/controller';
import { openExample } from './example';
import { ExperimentsTreeProvider, snapshotTree } from './experimentsTree';
import { newExperiment, type NewExperimentOptions } from './newExperiment';
import { compareRuns, deleteRun, openResults, revealFile, type DeleteRunOptions } from './runCommands';
import { pollRunFolders } from './runsPoller';
import { forgetExperimentFiles } from './runsOnDisk';
import { runsFolder } from './settings';
import { cardStepSnapshot } from './cardSteps';
import { editModelCard } from './editCardCommand';
import { analyzeWizard, type AnalyzeAnswers } from './wizard';

export { pickRunsToCompare } from './runCommands';

export const EXPERIMENTS_VIEW = 'misas.experiments';
/** Context key: true while a run is active (menus show Cancel). */
const RUNNING_CONTEXT = 'misas.running';

export function registerWorkspaceFeatures(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, runs: RunController, panels: ResultsPanels): void {
  const tree = new ExperimentsTreeProvider(runs);
  const view = vscode.window.createTreeView(EXPERIMENTS_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(tree, view, ...watchForChanges(tree), pollRunFolders(tree));

  // setContext crosses to the workbench: only when the answer changes, not on every progress tick.
  let running: boolean | undefined;
  const updateRunning = () => {
    const now = runs.active.length > 0;
    if (now === running) return;
    running = now;
    void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, now);
  };
  updateRunning();
  context.subscriptions.push(
    runs.onDidChange(() => {
      updateRunning();
      tree.scheduleProgressRefresh();
    }),
    runs.onDidFinish(() => tree.refresh()),
  );

  const deps = { runs, log };
  const register = (id: string, handler: (...args: never[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  register('misas.analyzeModel', (model?: vscode.Uri, answers?: AnalyzeAnswers) =>
    guarded(log, () => analyzeWizard(deps, { model: model instanceof vscode.Uri ? model : undefined }, answers)),
  );
  register('misas.analyzeImage', (image?: vscode.Uri, answers?: AnalyzeAnswers) => {
    const active = vscode.window.activeTextEditor?.document.uri;
    const start = image instanceof vscode.Uri ? image : active;
    return guarded(log, () => analyzeWizard(deps, { image: start }, answers));
  });
  // VS Code passes the clicked file and the selection; the card is edited for the clicked one.
  register('misas.editModelCard', (uri?: vscode.Uri) => guarded(log, () => editModelCard(deps, uri)));
  register('misas.newExperiment', (folder?: vscode.Uri, options?: NewExperimentOptions) => guarded(log, () => newExperiment(folder, options)));
  register('misas.openExample', (target?: vscode.Uri) => guarded(log, () => openExample(context.extensionUri, target instanceof vscode.Uri ? target : undefined)));
  register('misas.openResults', (arg?: unknown) => guarded(log, () => openResults(runs, panels, arg)));
  register('misas.compareRuns', (arg?: unknown) => guarded(log, () => compareRuns(runs, panels, log, arg)));
  register('misas.deleteRun', async (arg?: unknown, options?: DeleteRunOptions) => {
    const deleted = await guarded(log, () => deleteRun(runs, log, arg, options));
    if (deleted) tree.refresh();
    return deleted ?? false;
  });
  register('misas.revealFile', (arg?: unknown) => guarded(log, () => revealFile(arg)));
  register('misas.refreshExperiments', () => tree.refresh());
  // Not contributed: what the tree shows, as plain data, for the extension tests.
  register('misas._experimentsSnapshot', () => snapshotTree(tree));
  // Not contributed: the wizard's open model-card step as plain data, its text settable (tests cannot type).
  register('misas._cardStep', (change?: { value?: string }) => cardStepSnapshot(change));
}

/** Errors become one message with a way to the log, never an unhandled rejection. */
async function guarded<T>(log: vscode.LogOutputChannel, action: () => Promise<T>): Promise<T | undefined> {
  try {
    return await action();
  } catch (thrown) {
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    log.error(message);
    void vscode.window.showErrorMessage(`misas: ${message}`, 'Show Log').then((choice) => choice && log.show());
    return undefined;
  }
}

/**
 * Experiment files anywhere in the workspace, and run folders and results.json files under the
 * runs folder (wherever the setting puts it): the CLI's runs show up as well as the extension's.
 */
function watchForChanges(tree: ExperimentsTreeProvider): vscode.Disposable[] {
  const watchers: vscode.FileSystemWatcher[] = [];
  let runWatchers: vscode.FileSystemWatcher[] = [];
  const watch = (pattern: vscode.GlobPattern, onAddOrRemove?: () => void) => {
    const watcher = vscode.workspace.createFileSystemWatcher(pattern);
    watcher.onDidCreate(() => {
      onAddOrRemove?.();
      tree.scheduleRefresh();
    });
    watcher.onDidChange(() => tree.scheduleRefresh());
    watcher.onDidDelete(() => {
      onAddOrRemove?.();
      tree.scheduleRefresh();
    });
    return watcher;
  };
  const watchRuns = () => {
    for (const watcher of runWatchers) watcher.dispose();
    const folders = [...new Set([runsFolder(), '.misas/runs'])];
    runWatchers = folders.flatMap((folder) =>
      path.isAbsolute(folder)
        ? [watch(new vscode.RelativePattern(vscode.Uri.file(folder), '**'))]
        : // <experiment>/<runs>/<name>/<run>[/results.json]: the folder events catch deletions of whole runs.
          [watch(`**/${folder.replace(/\\/g, '/').replace(/^\.\/|\/$/g, '')}/*/*`), watch(`**/${folder.replace(/\\/g, '/').replace(/^\.\/|\/$/g, '')}/*/*/results.json`)],
    );
  };
  watchers.push(watch('**/*.misas.json', forgetExperimentFiles));
  watchRuns();
  const settings = vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration('misas.runsFolder')) {
      watchRuns();
      forgetExperimentFiles();
      tree.refresh();
    }
  });
  return [...watchers, settings, { dispose: () => runWatchers.forEach((watcher) => watcher.dispose()) }];
}
