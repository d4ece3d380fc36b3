/**
 * A safety net under the file watchers. VS Code's watcher can miss files inside a folder tree
 * that appears in one go (the first run of an experiment written by the CLI, a copied run
 * folder), so every few seconds the run folders on disk are fingerprinted — folder names and
 * whether each has its results.json, no file is parsed — and the tree refreshes when that changed.
 */
import * as vscode from 'vscode';
import { RESULTS_FILE } from '../../engine/report/runFolder';
import type { ExperimentsTreeProvider } from './experimentsTree';
import { findExperimentFiles, readExperimentHeader, runsRootsFor } from './runsOnDisk';

const POLL_INTERVAL_MS = 4000;

async function entries(folder: vscode.Uri): Promise<[string, vscode.FileType][]> {
  try {
    return await vscode.workspace.fs.readDirectory(folder);
  } catch {
    return [];
  }
}

async function runsFingerprint(): Promise<string> {
  const parts: string[] = [];
  for (const file of await findExperimentFiles()) {
    const header = await readExperimentHeader(file);
    if (!header.name) continue;
    for (const root of runsRootsFor(file, header.name)) {
      for (const [name, type] of await entries(root)) {
        if (type !== vscode.FileType.Directory) continue;
        const finished = (await entries(vscode.Uri.joinPath(root, name))).some(([child]) => child === RESULTS_FILE);
        parts.push(`${root.toString()}/${name}:${finished ? 1 : 0}`);
      }
    }
  }
  return parts.sort().join('\n');
}

export function pollRunFolders(tree: ExperimentsTreeProvider, intervalMs = POLL_INTERVAL_MS): vscode.Disposable {
  let last: string | undefined;
  let busy = false;
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      const now = await runsFingerprint();
      if (last !== undefined && now !== last) tree.refresh();
      last = now;
    } catch {
      // The workspace search failed (e.g. while folders change): the next tick looks again.
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void poll(), intervalMs);
  return { dispose: () => clearInterval(timer) };
}
