/**
 * The results panel inside VS Code: `registerResultsPanel` wires the panel registry, the
 * serializer that brings panels back after a window reload, and two internal commands for tests
 * and automation (not contributed in package.json, so not in the Command Palette):
 *
 * - `misas.internal.openResultsPanel(runDir, compare?)`: runDir is a Uri, a URI string or an
 *   absolute path (keybinding `args` are JSON); resolves to the panel's snapshot;
 * - `misas.internal.resultsPanels()`: snapshots of every open panel.
 */
import * as vscode from 'vscode';
import { ExportSaver } from './exportSaver';
import type { FrameProvider } from './frames';
import { INTERNAL_COMMANDS } from '../commandIds';
import { openResultsOnRun } from '../settings';
import type { LiveRuns } from './live';
import { ResultsPanelRegistry, toFolderUri, type ResultsPanels } from './registry';
import { RESULTS_VIEW_TYPE } from './resultsPanel';
import type { ResultsPanelSnapshot } from './snapshot';
import { folderKey } from './runFiles';

export { RESULTS_VIEW_TYPE } from './resultsPanel';
export type { ResultsPanelSnapshot } from './snapshot';
export type { OpenOptions, ResultsPanels } from './registry';

function folderArg(arg: unknown): vscode.Uri {
  const uri = arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? toFolderUri(arg) : undefined;
  if (!uri)
    throw new Error(
      `${INTERNAL_COMMANDS.openResultsPanel}: expected a run folder (Uri, URI string or absolute path), got ${JSON.stringify(arg)}`,
    );
  return uri;
}

/**
 * `frames` computes overlay frames (the run controller's `frame`); without it the viewer says
 * frames are unavailable. `live` (the run controller) lets panels show runs while they go, and
 * opens a run's panel when it starts (setting misas.openResultsOnRun).
 */
export function registerResultsPanel(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  frames?: FrameProvider,
  live?: LiveRuns,
): ResultsPanels {
  const registry = new ResultsPanelRegistry(
    context.extensionUri,
    log,
    new ExportSaver(context.workspaceState, log),
    frames,
    live,
  );
  if (live) {
    context.subscriptions.push(
      live.onDidStartRun((run) => {
        if (!openResultsOnRun(run.experimentFile)) return;
        registry
          .open(run.runDir, { beside: true })
          .catch((thrown: unknown) => log.error(`results panel: opening ${run.runDir.fsPath}: ${String(thrown)}`));
      }),
    );
  }
  context.subscriptions.push(
    registry,
    vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state: unknown) => registry.restore(panel, state),
    }),
    vscode.commands.registerCommand(
      INTERNAL_COMMANDS.openResultsPanel,
      async (runDir: unknown, compare?: unknown): Promise<ResultsPanelSnapshot | undefined> => {
        const folder = folderArg(runDir);
        await registry.open(folder, Array.isArray(compare) ? { compare: compare.map(folderArg) } : {});
        return registry.snapshot().find((panel) => panel.runDir === folderKey(folder));
      },
    ),
    vscode.commands.registerCommand(INTERNAL_COMMANDS.resultsPanels, () => registry.snapshot()),
  );
  return registry;
}
