/**
 * Modal questions (Delete Run's confirmations). The extension tests cannot click a modal dialog
 * from the extension host, so the testing API (src/extension/testing.ts, only in the extension
 * test host) may install an answerer; users always get the real modal.
 */
import * as vscode from 'vscode';

/** Gets the question and the actions offered; returns the action chosen, undefined for Cancel. */
export type ModalAnswerer = (question: { message: string; detail: string; actions: string[] }) => string | undefined;

let answerer: ModalAnswerer | undefined;

export function setModalAnswerer(next: ModalAnswerer | undefined): void {
  answerer = next;
}

/** A modal warning with `actions` (VS Code adds Cancel); resolves to the action chosen. */
export async function askModal(message: string, detail: string, ...actions: string[]): Promise<string | undefined> {
  if (answerer) return answerer({ message, detail, actions });
  return vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions);
}
