/**
 * The extension tests' seam: what activate() returns under `testing` only when VS Code runs the
 * extension for its tests (ExtensionMode.Test). Public commands take only what VS Code's menus
 * and the palette pass them (src/extension/commandArgs.ts); pre-made answers for the wizard,
 * New Experiment's name, the example's target folder and the answers to Delete Run's modals come
 * through here instead.
 */
import type * as vscode from 'vscode';
import type { ModalAnswerer } from './workspace/modal';
import type { AnalyzeAnswers, WizardStart } from './workspace/wizard';

export interface MisasTestingApi {
  /** The analyze wizard with pre-made answers (no picker opens; see AnalyzeAnswers). Errors show as messages and resolve to undefined, as in the commands. */
  analyze(start: WizardStart, answers: AnalyzeAnswers): Promise<vscode.Uri | undefined>;
  /** New Experiment in `folder` named `name`, without the name prompt. */
  newExperiment(folder: vscode.Uri, name: string): Promise<vscode.Uri | undefined>;
  /** Open the Example into `target` instead of `<workspace>/colin27`. */
  openExample(target: vscode.Uri): Promise<vscode.Uri | undefined>;
  /** Answers Delete Run's modal questions from now on; undefined: the real modals again. */
  answerModals(answerer: ModalAnswerer | undefined): void;
}
