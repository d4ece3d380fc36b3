/**
 * Everything the user sees in the workbench except the run machinery: the Experiments tree and
 * its file watchers, the analyze wizard, new experiment, the example, and the commands on runs.
 */
import * as vscode from 'vscode';
import type { ResultsPanels } from '../panel';
import type { RunController } from '../run/controller';
import { openExample } from './example';
import { ExperimentsTreeProvider, snapshotTree } from './experimentsTree';
import type { MisasTestingApi } from '../testing';
import { explorerSelection, uriArg } from '../commandArgs';
import { setModalAnswerer } from './modal';
import { newExperiment } from './newExperiment';
import { compareRuns, deleteRun, openResults, revealFile } from './runCommands';
import { pollRunFolders } from './runsPoller';
import { DEFAULT_RUNS_FOLDER } from '../../engine/defaults';
import { affectsSetting, runsFolder } from '../settings';
import { forgetExperimentFiles, runFolderWatchPatterns } from './runsOnDisk';
import { cardStepSnapshot } from './cardSteps';
import { editModelCard } from './editCardCommand';
import { analyzeWizard, type WizardDeps } from './wizard';
import { startFromSelection } from './wizardStart';
import { COMMANDS, INTERNAL_COMMANDS, type CommandId } from '../commandIds';

export { pickRunsToCompare } from './runCommands';

export const EXPERIMENTS_VIEW = 'misas.experiments';
/** Context key: true while a run is active (menus show Cancel). */
const RUNNING_CONTEXT = 'misas.running';

/** Returns the extension tests' seam onto these features (activate() hands it out only in the test host). */
export function registerWorkspaceFeatures(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  runs: RunController,
  panels: ResultsPanels,
): MisasTestingApi {
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
  const register = (id: CommandId, handler: (...args: never[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  // Each command takes exactly what its menus pass (src/extension/commandArgs.ts); nothing else.
  register(COMMANDS.analyzeModel, (clicked?: unknown, selected?: unknown) =>
    guarded(log, () => analyzeSelection(deps, uriArg(clicked), explorerSelection(clicked, selected))),
  );
  register(COMMANDS.analyzeImage, (clicked?: unknown, selected?: unknown) => {
    // From the palette: the active image (the command is offered there only while one is active).
    const active = vscode.window.activeTextEditor?.document.uri;
    const selection = explorerSelection(clicked, selected);
    return guarded(log, () =>
      analyzeSelection(deps, uriArg(clicked), selection.length ? selection : active ? [active] : []),
    );
  });
  // VS Code passes the clicked file and the selection; the card is edited for the clicked one.
  register(COMMANDS.editModelCard, (clicked?: unknown) => guarded(log, () => editModelCard(deps, uriArg(clicked))));
  // Several folders selected: the file goes into the right-clicked one.
  register(COMMANDS.newExperiment, (clicked?: unknown) => guarded(log, () => newExperiment(uriArg(clicked))));
  register(COMMANDS.openExample, () => guarded(log, () => openExample(context.extensionUri)));
  register(COMMANDS.openResults, (node?: unknown) => guarded(log, () => openResults(runs, panels, node)));
  register(COMMANDS.compareRuns, (node?: unknown) => guarded(log, () => compareRuns(runs, panels, log, node)));
  register(COMMANDS.deleteRun, async (node?: unknown) => {
    const deleted = await guarded(log, () => deleteRun(runs, log, node));
    if (deleted) tree.refresh();
    return deleted ?? false;
  });
  register(COMMANDS.revealFile, (arg?: unknown) => guarded(log, () => revealFile(arg)));
  register(COMMANDS.refreshExperiments, () => tree.refresh());
  // Not contributed: what the tree shows, as plain data, for the extension tests.
  register(INTERNAL_COMMANDS.experimentsSnapshot, () => snapshotTree(tree));
  // Not contributed: the wizard's open model-card step as plain data, its text settable (tests cannot type).
  register(INTERNAL_COMMANDS.cardStep, (change?: { value?: string }) => cardStepSnapshot(change));

  return {
    analyze: (start, answers) => guarded(log, () => analyzeWizard(deps, start, answers)),
    newExperiment: (folder, name) => guarded(log, () => newExperiment(folder, { name })),
    openExample: (target) => guarded(log, () => openExample(context.extensionUri, target)),
    answerModals: setModalAnswerer,
  };
}

/** The wizard from an Explorer selection: its model and images, and a word about what it leaves out. */
async function analyzeSelection(
  deps: WizardDeps,
  clicked: vscode.Uri | undefined,
  selection: vscode.Uri[],
): Promise<vscode.Uri | undefined> {
  const { start, note } = startFromSelection(clicked, selection);
  if (note) {
    deps.log.info(note);
    void vscode.window.showInformationMessage(note);
  }
  return analyzeWizard(deps, start);
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
    const folders = [...new Set([runsFolder(), DEFAULT_RUNS_FOLDER])];
    runWatchers = folders.flatMap((folder) => runFolderWatchPatterns(folder).map((pattern) => watch(pattern)));
  };
  watchers.push(watch('**/*.misas.json', forgetExperimentFiles));
  watchRuns();
  const settings = vscode.workspace.onDidChangeConfiguration((event) => {
    if (affectsSetting(event, 'runsFolder')) {
      watchRuns();
      forgetExperimentFiles();
      tree.refresh();
    }
  });
  return [...watchers, settings, { dispose: () => runWatchers.forEach((watcher) => watcher.dispose()) }];
}
