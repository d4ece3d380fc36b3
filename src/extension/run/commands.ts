/**
 * The run-related commands. Command arguments come from menus (a Uri), from the experiments
 * tree (an item carrying a Uri or a run id) or from nowhere (the palette); each command works
 * out its file from the argument, the active editor, or a quick pick, in that order.
 */
import * as vscode from 'vscode';
import type { EngineRunController, RunOutcome } from './controller';
import type { EngineConnection } from './engineClient';
import type { InspectReports } from './inspectDocument';
import { UNTRUSTED_MESSAGE, type RunNotifier } from './messages';
import { isExperimentFile } from './runFolder';
import { explorerSelection } from '../commandArgs';
import { COMMANDS } from '../commandIds';

export interface RunCommandDeps {
  runs: EngineRunController;
  engine: EngineConnection;
  log: vscode.LogOutputChannel;
  reports: InspectReports;
  notify: RunNotifier;
  isTrusted: () => boolean;
}

export function registerRunCommands(deps: RunCommandDeps): vscode.Disposable[] {
  const { runs, log } = deps;
  return [
    // Explorer (clicked, selected[]): every selected experiment file, one after another; a tree
    // item or an editor (uri, {…}): that one; the palette: the active file or a pick.
    vscode.commands.registerCommand(
      COMMANDS.runExperiment,
      async (arg?: unknown, selected?: unknown): Promise<RunOutcome | RunOutcome[] | undefined> => {
        const chosen = explorerSelection(arg, selected);
        if (chosen.length > 1) return runInTurn(deps, chosen);
        const file =
          uriFrom(arg) ??
          activeFile(isExperimentFile) ??
          (await pickWorkspaceFile('**/*.misas.json', isExperimentFile, 'Run which experiment?'));
        return file ? runs.run(file) : undefined;
      },
    ),
    vscode.commands.registerCommand(COMMANDS.rerunLast, async (): Promise<RunOutcome | undefined> => {
      const last = runs.lastExperiment;
      if (last) return runs.run(last);
      void vscode.window.showInformationMessage('misas: no experiment has been run in this workspace yet.');
      return undefined;
    }),
    vscode.commands.registerCommand(COMMANDS.cancelRun, (arg?: unknown) => {
      if (runs.active.length === 0) {
        void vscode.window.showInformationMessage('misas: no run is active.');
        return;
      }
      const runId = runIdFrom(arg, runs);
      runs.cancel(runId); // no id: every active run
    }),
    // Several models selected in the Explorer: the right-clicked one (its report opens as a document).
    vscode.commands.registerCommand(COMMANDS.inspectModel, async (arg?: unknown) => {
      const model =
        uriFrom(arg) ??
        activeFile((p) => p.endsWith('.onnx')) ??
        (await pickWorkspaceFile('**/*.onnx', () => true, 'Inspect which model?'));
      if (!model) return undefined;
      // Opening a model runs native code on the file: the same rule as a run.
      if (!deps.isTrusted()) {
        log.warn(`not inspecting ${model.fsPath}: ${UNTRUSTED_MESSAGE}`);
        deps.notify.refusedUntrusted();
        return undefined;
      }
      try {
        const { inspection } = await deps.engine.request({ type: 'inspectModel', modelPath: model.fsPath });
        log.info(`inspected ${model.fsPath}:\n${inspection.report}`);
        await deps.reports.show(model, inspection.report);
        return inspection;
      } catch (thrown) {
        const message = thrown instanceof Error ? thrown.message : String(thrown);
        log.error(`inspect ${model.fsPath}: ${message}`);
        void vscode.window.showErrorMessage(`misas: ${message}`, 'Show log').then((choice) => choice && log.show(true));
        return undefined;
      }
    }),
    // The engine host lists its registry: the transforms' code never loads in the extension host.
    vscode.commands.registerCommand(COMMANDS.showTransforms, async () => {
      try {
        for (const t of await runs.transforms()) {
          log.info(
            `${t.name} (${t.kind}): ${t.parameter} ${t.unit}, identity ${t.identity ?? 'the input size'}, default ${t.defaultSweep}`,
          );
        }
        log.show(true);
      } catch (thrown) {
        const message = thrown instanceof Error ? thrown.message : String(thrown);
        log.error(`show transforms: ${message}`);
        void vscode.window
          .showErrorMessage(`misas: cannot list the transforms: ${message}`, 'Show log')
          .then((choice) => choice && log.show(true));
      }
    }),
    vscode.commands.registerCommand(COMMANDS.openLog, () => log.show()),
  ];
}

/** Runs the selected experiment files one after another; says which selected files are not experiments. */
async function runInTurn(deps: RunCommandDeps, selection: vscode.Uri[]): Promise<RunOutcome[]> {
  const experiments = selection.filter((uri) => isExperimentFile(uri.fsPath));
  const others = selection.filter((uri) => !isExperimentFile(uri.fsPath));
  if (others.length > 0) {
    const message = `misas: not experiments, not run: ${others.map((uri) => vscode.workspace.asRelativePath(uri, false)).join(', ')}.`;
    deps.log.info(message);
    void vscode.window.showInformationMessage(message);
  }
  const outcomes: RunOutcome[] = [];
  for (const file of experiments) {
    const outcome = await deps.runs.run(file);
    outcomes.push(outcome);
    if (outcome.status === 'cancelled') break; // Cancel means stop, not skip to the next one
  }
  return outcomes;
}

/** A Uri from a menu (the Uri itself) or a tree item (its `experimentFile`, else `resourceUri` or `uri`). */
function uriFrom(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg) return arg.includes('://') ? vscode.Uri.parse(arg) : vscode.Uri.file(arg);
  if (arg && typeof arg === 'object') {
    for (const key of ['experimentFile', 'resourceUri', 'uri']) {
      const value = (arg as Record<string, unknown>)[key];
      if (value instanceof vscode.Uri) return value;
    }
  }
  return undefined;
}

/** A run id from a string or a tree item (`runId`, `id` or `run.id` naming an active run). */
function runIdFrom(arg: unknown, runs: EngineRunController): string | undefined {
  const known = (value: unknown) =>
    typeof value === 'string' && runs.active.some((run) => run.id === value) ? value : undefined;
  if (typeof arg === 'string') return known(arg);
  if (arg && typeof arg === 'object') {
    const record = arg as Record<string, unknown>;
    const nested =
      record.run && typeof record.run === 'object' ? (record.run as Record<string, unknown>).id : undefined;
    const byId = known(record.runId) ?? known(record.id) ?? known(nested);
    if (byId) return byId;
    // An experiment item: its run, when exactly one is active.
    const file = uriFrom(arg)?.toString();
    const matching = runs.active.filter((run) => run.experimentFile.toString() === file);
    if (matching.length === 1) return matching[0].id;
  }
  return undefined;
}

function activeFile(accept: (fsPath: string) => boolean): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const uri =
    input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom
      ? input.uri
      : vscode.window.activeTextEditor?.document.uri;
  return uri && uri.scheme === 'file' && accept(uri.fsPath) ? uri : undefined;
}

async function pickWorkspaceFile(
  glob: string,
  accept: (fsPath: string) => boolean,
  title: string,
): Promise<vscode.Uri | undefined> {
  const found = (await vscode.workspace.findFiles(glob, '**/{node_modules,.misas}/**', 200)).filter((uri) =>
    accept(uri.fsPath),
  );
  if (found.length === 0) {
    void vscode.window.showInformationMessage(`misas: no ${glob.replace('**/', '')} file in the workspace.`);
    return undefined;
  }
  if (found.length === 1) return found[0];
  const items = found
    .map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return (await vscode.window.showQuickPick(items, { title, matchOnDescription: true }))?.uri;
}
