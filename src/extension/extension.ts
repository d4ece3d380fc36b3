import * as vscode from 'vscode';
import { summarizeTransforms } from '../engine/transforms/summary';

/** Entry point loaded by VS Code. Commands grow with the extension issue; the engine never runs here. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('misas', { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('misas.showTransforms', () => {
      for (const t of summarizeTransforms()) {
        log.info(`${t.name} (${t.kind}): ${t.parameter} ${t.unit}, identity ${t.identity ?? 'the input size'}, default ${t.defaultSweep}`);
      }
      log.show(true);
    }),
  );
}

export function deactivate(): void {}
