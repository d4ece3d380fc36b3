/**
 * Commands on finished runs: open results, compare runs, delete a run, reveal a file.
 * Arguments come from the tree (nodes with `runDir` / `resourceUri`), from the explorer (a Uri),
 * or not at all (then a quick pick asks).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_RUNS_FOLDER } from '../../engine/defaults';
import { RESULTS_CSV_FILE, RESULTS_FILE } from '../../engine/report/runFolder';
import type { ResultsPanels } from '../panel';
import type { RunController } from '../run/controller';
import { modelLabels, problemsSummary } from '../runLabels';
import { formatDuration, formatLocalTime } from './format';
import { askModal } from './modal';
import {
  experimentOfRunFolder,
  findExperimentFiles,
  listRuns,
  readExperimentHeader,
  sameUri,
  type RunInfo,
} from './runsOnDisk';

/** Tree nodes, Uris of run folders or results.json files: the run folder they stand for. */
export function runDirFromArg(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return /\/results\.(json|csv)$/i.test(arg.path) ? vscode.Uri.joinPath(arg, '..') : arg;
  const runDir = (arg as { runDir?: unknown } | undefined)?.runDir;
  return runDir instanceof vscode.Uri ? runDir : undefined;
}

function experimentFileFromArg(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return /\.misas\.json$/i.test(arg.path) ? arg : undefined;
  const file = (arg as { experimentFile?: unknown } | undefined)?.experimentFile;
  return file instanceof vscode.Uri ? file : undefined;
}

/** Every run of every experiment in the workspace, newest first. */
async function allRuns(
  runs: RunController,
  experimentFile?: vscode.Uri,
): Promise<Array<RunInfo & { experimentName: string }>> {
  const files = experimentFile ? [experimentFile] : await findExperimentFiles();
  const perExperiment = await Promise.all(
    files.map(async (file) => {
      const header = await readExperimentHeader(file);
      const name = header.name ?? path.posix.basename(file.path).replace(/\.misas\.json$/i, '');
      return (await listRuns(file, name, runs.active)).map((run) => ({ ...run, experimentName: name }));
    }),
  );
  return perExperiment.flat().sort((a, b) => (b.startedAt?.getTime() ?? 0) - (a.startedAt?.getTime() ?? 0));
}

type RunItem = vscode.QuickPickItem & { run: RunInfo };

function runItem(run: RunInfo & { experimentName: string }, picked = false): RunItem {
  const when = run.startedAt ? formatLocalTime(run.startedAt) : run.folderName;
  const duration = run.durationMs !== undefined ? ` · ${formatDuration(run.durationMs)}` : '';
  const results = run.results;
  const problems = results ? problemsSummary(results.problems) : '';
  const detail = results
    ? `${modelLabels(results.models)} · ${results.series.length} series · ${results.inputs.length} input(s)${problems ? ` (${problems})` : ''}`
    : '';
  return { label: when, description: `${run.experimentName} · ${run.status}${duration}`, detail, picked, run };
}

export async function openResults(runs: RunController, panels: ResultsPanels, arg?: unknown): Promise<void> {
  let runDir = runDirFromArg(arg);
  if (!runDir) {
    const finished = (await allRuns(runs, experimentFileFromArg(arg))).filter((run) => run.results);
    if (finished.length === 0) {
      void vscode.window.showInformationMessage('misas: no finished runs yet. Run an experiment first.');
      return;
    }
    const picked = await vscode.window.showQuickPick(
      finished.map((run) => runItem(run)),
      { title: 'Open Results', placeHolder: 'Which run?', matchOnDescription: true },
    );
    runDir = picked?.run.runDir;
  }
  if (!runDir) return;
  // The panel says itself when the run has no results.json (yet), and updates when it appears.
  await panels.open(runDir);
}

/**
 * Asks which runs of one experiment to compare (at least two). The results panel uses this too.
 * `from` may be a tree node or a Uri of an experiment or a run; without it the user picks the experiment.
 */
export async function pickRunsToCompare(runs: RunController, from?: unknown): Promise<vscode.Uri[] | undefined> {
  const preselect = runDirFromArg(from);
  let experimentFile = experimentFileFromArg(from);
  if (!experimentFile) {
    const withRuns = (await allRuns(runs)).filter((run) => run.results);
    const experiments = [...new Map(withRuns.map((run) => [run.experimentFile.toString(), run])).values()];
    if (experiments.length > 1) {
      const picked = await vscode.window.showQuickPick(
        experiments.map((run) => ({
          label: run.experimentName,
          description: vscode.workspace.asRelativePath(run.experimentFile, false),
          file: run.experimentFile,
        })),
        { title: 'Compare Runs: experiment', placeHolder: 'Runs of which experiment?' },
      );
      if (!picked) return undefined;
      experimentFile = picked.file;
    } else {
      experimentFile = experiments[0]?.experimentFile;
    }
  }
  const candidates = experimentFile ? (await allRuns(runs, experimentFile)).filter((run) => run.results) : [];
  if (candidates.length < 2) {
    void vscode.window.showInformationMessage(
      'misas: comparing needs at least two finished runs of the same experiment.',
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((run) => runItem(run, preselect !== undefined && sameUri(run.runDir, preselect))),
    { title: 'Compare Runs', placeHolder: 'Tick two or more runs', canPickMany: true, matchOnDescription: true },
  );
  if (!picked) return undefined;
  if (picked.length < 2) {
    void vscode.window.showInformationMessage('misas: tick at least two runs to compare.');
    return undefined;
  }
  return picked.map((item) => item.run.runDir);
}

/** The first chosen run in the results panel with the others overlaid on its charts. */
export async function compareRuns(
  runs: RunController,
  panels: ResultsPanels,
  log: vscode.LogOutputChannel,
  arg?: unknown,
): Promise<void> {
  const runDirs = await pickRunsToCompare(runs, arg);
  if (!runDirs) return;
  log.info(`compare ${runDirs.map((dir) => dir.fsPath).join(' ↔ ')}`);
  await panels.open(runDirs[0], { compare: runDirs.slice(1) });
}

/**
 * Delete Run: only a run folder of an experiment in the workspace (see experimentOfRunFolder),
 * never one that is still running, always after a modal confirmation, to the trash. Where the
 * file system has no trash (VS Code's server, e.g. code-server, has none) a second modal says
 * so and offers permanent deletion. Resolves to whether it deleted.
 */
export async function deleteRun(runs: RunController, log: vscode.LogOutputChannel, arg: unknown): Promise<boolean> {
  const runDir = runDirFromArg(arg);
  if (!runDir) {
    void vscode.window.showInformationMessage('misas: choose a run to delete in the Experiments view.');
    return false;
  }
  const where = vscode.workspace.asRelativePath(runDir, false);
  if (runs.active.some((run) => sameUri(run.runDir, runDir))) {
    void vscode.window.showWarningMessage('misas: this run is still running. Cancel it first, then delete it.');
    return false;
  }
  if (!(await isFolder(runDir)) || !(await experimentOfRunFolder(runDir))) {
    const message = `misas: ${where} is not a run folder, so it is not deleted. Delete Run takes a run of an experiment in this workspace: a timestamp folder in <experiment folder>/${DEFAULT_RUNS_FOLDER}/<experiment>/ (or under misas.runsFolder).`;
    log.warn(message);
    void vscode.window.showErrorMessage(message);
    return false;
  }
  const remove = 'Move to Trash';
  if (
    (await askModal(
      `Delete the run ${where}?`,
      `Its folder, with ${RESULTS_FILE} and ${RESULTS_CSV_FILE}, moves to the trash.`,
      remove,
    )) !== remove
  )
    return false;
  try {
    await vscode.workspace.fs.delete(runDir, { recursive: true, useTrash: true });
    log.info(`moved run ${runDir.fsPath} to the trash`);
    return true;
  } catch (thrown) {
    const reason = thrown instanceof Error ? thrown.message : String(thrown);
    log.warn(`run ${runDir.fsPath} could not be moved to the trash: ${reason}`);
    const permanently = 'Delete Permanently';
    const answer = await askModal(
      `The run ${where} cannot be moved to the trash.`,
      `${reason}\n\nDelete it permanently? This cannot be undone.`,
      permanently,
    );
    if (answer !== permanently) return false;
  }
  await vscode.workspace.fs.delete(runDir, { recursive: true, useTrash: false });
  log.info(`deleted run ${runDir.fsPath} permanently`);
  return true;
}

async function isFolder(uri: vscode.Uri): Promise<boolean> {
  try {
    return ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) !== 0;
  } catch {
    return false;
  }
}

/** Shows a tree node's file (experiment file, run folder) or a given Uri in the Explorer. */
export async function revealFile(arg?: unknown): Promise<void> {
  const uri =
    arg instanceof vscode.Uri
      ? arg
      : ((arg as { resourceUri?: vscode.Uri } | undefined)?.resourceUri ??
        runDirFromArg(arg) ??
        vscode.window.activeTextEditor?.document.uri);
  if (uri) await vscode.commands.executeCommand('revealInExplorer', uri);
}
