/** A status-bar item while runs are active: progress at a glance; click to cancel or see the log. */
import * as vscode from 'vscode';
import { INTERNAL_COMMANDS } from '../commandIds';
import type { RunController } from './controller';

export function createRunStatusBar(runs: RunController, log: vscode.LogOutputChannel): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('misas.runs', vscode.StatusBarAlignment.Left, 10);
  item.name = 'misas runs';
  item.command = INTERNAL_COMMANDS.runStatusMenu;
  const update = () => {
    const active = runs.active;
    if (active.length === 0) {
      item.hide();
      return;
    }
    const done = active.reduce((sum, run) => sum + run.done, 0);
    const total = active.reduce((sum, run) => sum + run.total, 0);
    const percent = total > 0 ? ` ${Math.floor((100 * done) / total)}%` : '';
    item.text = `$(loading~spin) misas${active.length > 1 ? ` ${active.length} runs` : ''}${percent}`;
    item.tooltip = `${active.map((run) => `${vscode.workspace.asRelativePath(run.experimentFile)}: ${run.series ?? 'starting'} ${run.done}/${run.total}`).join('\n')}\nClick to cancel or show the log.`;
    item.show();
  };
  const menu = vscode.commands.registerCommand(INTERNAL_COMMANDS.runStatusMenu, async () => {
    type Choice = vscode.QuickPickItem & { runId?: string; showLog?: true };
    const choices: Choice[] = [
      ...runs.active.map((run) => ({
        label: `$(debug-stop) Cancel ${vscode.workspace.asRelativePath(run.experimentFile)}`,
        description: `${run.done}/${run.total}`,
        runId: run.id,
      })),
      { label: '$(output) Show log', showLog: true as const },
    ];
    const choice = await vscode.window.showQuickPick(choices, { title: 'misas runs' });
    if (choice?.runId) runs.cancel(choice.runId);
    if (choice?.showLog) log.show(true);
  });
  update();
  return vscode.Disposable.from(item, menu, runs.onDidChange(update));
}
