/**
 * misas.fitCheck — "Fit Check…" on a model: which orientation, normalisation and output
 * reading it expects, found in the engine host (onnxruntime never loads here) with a progress
 * notification and Cancel, shown in a panel that can write the winner into the model card.
 */
import * as vscode from 'vscode';
import type { FitReport } from '../../engine/model/fit/types';
import type { RunController } from '../run/controller';
import type { FitPanelMessage } from '../../protocol/fitPanel';
import { FitPanels } from './panel';
import { pickFitInputs, pickFitModel } from './pick';
import { COMMANDS, INTERNAL_COMMANDS } from '../commandIds';

export function registerFitCheck(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  runs: RunController,
): void {
  const panels = new FitPanels(context.extensionUri, log);
  context.subscriptions.push(
    panels,
    // VS Code passes the clicked file and, from the explorer, the whole selection.
    vscode.commands.registerCommand(COMMANDS.fitCheck, async (clicked?: unknown, selected?: unknown) => {
      const uris = Array.isArray(selected)
        ? selected.filter((uri): uri is vscode.Uri => uri instanceof vscode.Uri)
        : [];
      try {
        return await fitCheck(runs, panels, log, clicked instanceof vscode.Uri ? clicked : undefined, uris);
      } catch (thrown) {
        const message = thrown instanceof Error ? thrown.message : String(thrown);
        log.error(`fit check: ${message}`);
        void vscode.window.showErrorMessage(`misas: ${message}`, 'Show Log').then((choice) => choice && log.show());
        return undefined;
      }
    }),
    // Not contributed: the open fit panels as plain data, and a page message delivered as if clicked (extension tests).
    vscode.commands.registerCommand(INTERNAL_COMMANDS.fitPanels, () => panels.snapshots()),
    vscode.commands.registerCommand(INTERNAL_COMMANDS.fitPanelMessage, (model: string, message: FitPanelMessage) =>
      panels.deliver(model, message),
    ),
  );
}

async function fitCheck(
  runs: RunController,
  panels: FitPanels,
  log: vscode.LogOutputChannel,
  clicked: vscode.Uri | undefined,
  selection: vscode.Uri[],
): Promise<FitReport | undefined> {
  const model = await pickFitModel(clicked, selection);
  if (!model) return undefined;
  const inputs = await pickFitInputs(model, selection);
  if (!inputs) return undefined;
  const name = vscode.workspace.asRelativePath(model, false);
  log.info(
    `fit check of ${name} on ${inputs.map((i) => `${vscode.workspace.asRelativePath(i.image, false)}${i.mask ? ` + ${vscode.workspace.asRelativePath(i.mask, false)}` : ''}`).join(', ')}`,
  );
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `misas: fit check of ${name}`, cancellable: true },
    (progress, token) => {
      let reported = 0;
      return runs.fitCheck(model, inputs, {
        token,
        onProgress: (done, total) => {
          const percent = total > 0 ? (done / total) * 100 : 0;
          progress.report({ message: `${done} of ${total} model calls`, increment: Math.max(0, percent - reported) });
          reported = Math.max(reported, percent);
        },
      });
    },
  );
  if (!report) {
    log.info(`fit check of ${name} cancelled`);
    return undefined;
  }
  log.info(
    `fit check of ${name}: ${report.candidates[0].label} first (score ${report.candidates[0].score.toFixed(3)}, ${report.ranking}); ${report.timing.modelCalls} model calls in ${report.timing.milliseconds} ms`,
  );
  panels.show(report);
  return report;
}
