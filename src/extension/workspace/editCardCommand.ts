/**
 * misas: Edit Model Card… — asks every card question again (the current answers selected, marked
 * by where they come from: the card, the model's metadata, or inferred), with Back and Escape as
 * in the wizard, then writes `<model>.onnx.misas.json` (keeping what it did not ask) and opens it.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelCard } from '../../engine/model/cardTypes';
import type { RunController } from '../run/controller';
import { askWholeCard, writePendingCard } from './modelCard';
import { pickModel } from './wizard';

interface EditDeps {
  runs: RunController;
  log: vscode.LogOutputChannel;
}

const CARD_SUFFIX = /\.misas\.json$/i;

/** The model a clicked file stands for: the `.onnx` itself, or the model of a `<model>.onnx.misas.json`. */
export function modelOfResource(uri: vscode.Uri): vscode.Uri | undefined {
  if (/\.onnx$/i.test(uri.path)) return uri;
  if (/\.onnx\.misas\.json$/i.test(uri.path)) return uri.with({ path: uri.path.replace(CARD_SUFFIX, '') });
  return undefined;
}

/** The command: `uri` is the clicked file (VS Code passes it from menus); without one the active file or a pick. */
export async function editModelCard(deps: EditDeps, uri?: unknown): Promise<vscode.Uri | undefined> {
  const given = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
  const model = (given && modelOfResource(given)) ?? (await pickModel());
  if (!model) return undefined;
  const name = path.posix.basename(model.path);
  const inspection = await deps.runs.inspectModel(model);
  if (inspection.problem !== undefined) {
    throw new Error(
      `${vscode.workspace.asRelativePath(inspection.problemFile ?? model.fsPath, false)}: ${inspection.problem}`,
    );
  }
  const pending = await askWholeCard(deps, model, inspection, {
    spatialDims: (inspection.card as ModelCard).spatialDims,
  });
  if (!pending) {
    if (pending === undefined) deps.log.info(`Edit Model Card of ${name}: cancelled, nothing written`);
    return undefined;
  }
  await writePendingCard(pending, deps.log);
  await vscode.window.showTextDocument(pending.file, { preview: false });
  return pending.file;
}
