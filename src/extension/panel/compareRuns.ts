/** The runs a panel draws next to its own: their texts, and the quick pick that chooses them. */
import * as vscode from 'vscode';
import type { RunResults } from '../../engine/report/results';
import { localTime, runDescription } from './naming';
import { displayPath, loadRun, sameFolder, siblingRuns } from './runFiles';

/** The compared runs' results.json texts; a run that cannot be read is left out (and logged). */
export async function compareTexts(compare: readonly vscode.Uri[], log: vscode.LogOutputChannel): Promise<string[]> {
  const loads = await Promise.all(compare.map(loadRun));
  return loads.flatMap((load, i) => {
    if (load.ok) return [load.text];
    log.warn(`results panel: not comparing with ${displayPath(compare[i])}: ${load.problem}`);
    return [];
  });
}

/** Quick pick of the other finished runs of this experiment: the runs to compare, or undefined when nothing changes. */
export async function pickCompareRuns(
  runDir: vscode.Uri,
  results: RunResults,
  compare: readonly vscode.Uri[],
  log: vscode.LogOutputChannel,
): Promise<vscode.Uri[] | undefined> {
  const name = results.experiment.content.name;
  const others = await siblingRuns(runDir, name, (dir, problem) =>
    log.warn(`results panel: skipped ${displayPath(dir)}: ${problem}`),
  );
  if (others.length === 0) {
    void vscode.window.showInformationMessage(
      `misas: no other finished runs of "${name}" next to this one (${displayPath(vscode.Uri.joinPath(runDir, '..'))}).`,
    );
    return undefined;
  }
  const items = others.map((run) => ({
    label: localTime(new Date(run.results.timing.startedAt)),
    description: runDescription(run.results),
    picked: compare.some((dir) => sameFolder(dir, run.runDir)),
    runDir: run.runDir,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: `Compare with other runs of ${name}`,
    placeHolder: 'Tick the runs to draw on the same axes (dashed lines)',
    matchOnDescription: true,
  });
  return picked?.map((item) => item.runDir);
}
