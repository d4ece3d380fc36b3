/**
 * A run folder's results.json as the panel needs it: the text (sent to the webview as is, so
 * infinities survive) checked by parsing it once, and the other runs of the same experiment
 * (siblings in the experiment's runs folder) for the compare picker.
 */
import * as vscode from 'vscode';
import { MisasInputError } from '../../engine/errors';
import type { RunResults } from '../../engine/report/results';
import { parseRunResults, RESULTS_FILE } from '../../engine/report/runFolder';

export { RESULTS_FILE };

export type RunLoad =
  { ok: true; text: string; results: RunResults } | { ok: false; missing: boolean; problem: string };

export function resultsFileOf(runDir: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(runDir, RESULTS_FILE);
}

/** Where a file is, for messages: workspace-relative when inside the workspace. */
export function displayPath(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, true);
}

export async function loadRun(runDir: vscode.Uri): Promise<RunLoad> {
  const file = resultsFileOf(runDir);
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
  } catch {
    return {
      ok: false,
      missing: true,
      problem: `${displayPath(file)} does not exist (yet): the run is still going, failed or was stopped. This panel updates when the file appears.`,
    };
  }
  try {
    return { ok: true, text, results: parseRunResults(text, displayPath(file)) };
  } catch (thrown) {
    const why =
      thrown instanceof MisasInputError ? thrown.problem : thrown instanceof Error ? thrown.message : String(thrown);
    return { ok: false, missing: false, problem: `${displayPath(file)} cannot be read: ${why}` };
  }
}

export interface SiblingRun {
  runDir: vscode.Uri;
  text: string;
  results: RunResults;
}

/**
 * Finished runs next to `runDir` (same parent: the experiment's runs folder) whose results name
 * the same experiment, newest first. Unreadable ones are skipped; `onSkip` hears why.
 */
export async function siblingRuns(
  runDir: vscode.Uri,
  experimentName: string,
  onSkip: (runDir: vscode.Uri, problem: string) => void,
): Promise<SiblingRun[]> {
  const parent = vscode.Uri.joinPath(runDir, '..');
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(parent);
  } catch {
    return [];
  }
  const folders = entries
    .filter(([name, type]) => type & vscode.FileType.Directory && !name.startsWith('.'))
    .map(([name]) => vscode.Uri.joinPath(parent, name))
    .filter((folder) => !sameFolder(folder, runDir));
  const loaded = await Promise.all(folders.map(async (folder) => ({ folder, load: await loadRun(folder) })));
  const runs: SiblingRun[] = [];
  for (const { folder, load } of loaded) {
    if (!load.ok) {
      if (!load.missing) onSkip(folder, load.problem);
    } else if (load.results.experiment.content.name === experimentName) {
      runs.push({ runDir: folder, text: load.text, results: load.results });
    }
  }
  return runs.sort((a, b) => b.results.timing.startedAt.localeCompare(a.results.timing.startedAt));
}

/** Folder identity for the panel registry: the URI without a trailing slash. */
export function folderKey(folder: vscode.Uri): string {
  return folder.with({ path: folder.path.replace(/\/+$/, '') || '/' }).toString();
}

export function sameFolder(a: vscode.Uri, b: vscode.Uri): boolean {
  return folderKey(a) === folderKey(b);
}
