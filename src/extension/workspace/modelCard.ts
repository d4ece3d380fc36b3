/**
 * The analyze wizard's model-card step: the engine host inspects the model (onnxruntime stays
 * out of this process); when the model has no sidecar card and the inference had to assume
 * something, the user is asked about exactly those properties, and the answers become
 * `<model>.onnx.misas.json` — written at the end of the wizard, never over an existing card.
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelCard, ModelCardFile } from '../../engine/model/cardTypes';
import { sidecarPath, validateCardFile } from '../../engine/model/sidecar';
import type { RunController } from '../run/controller';
import { automatedAnswers, cardFromAnswers, cardSteps, type CardAnswers } from './cardAnswers';
import { askCardSteps } from './cardSteps';

/** 'ask': show the steps; an object: answers for them (automation); 'skip': no card step. */
export type ModelCardMode = 'ask' | 'skip' | Partial<ModelCardFile>;

/** A card to write once the wizard completes. */
export interface PendingCard {
  file: vscode.Uri;
  card: ModelCardFile;
  /** The properties asked about. */
  fields: string[];
}

interface CardDeps {
  runs: RunController;
  log: vscode.LogOutputChannel;
}

const relative = (file: string) => vscode.workspace.asRelativePath(file, false);

/**
 * Resolves to the card to write, null when there is nothing to ask (a sidecar exists, nothing is
 * unresolved, Restricted Mode), or undefined when the wizard must stop (Escape, or the model
 * cannot be inspected: the message is shown here).
 */
export async function modelCardStep(deps: CardDeps, model: vscode.Uri, mode: ModelCardMode): Promise<PendingCard | null | undefined> {
  if (mode === 'skip') return null;
  const automated = mode !== 'ask';
  if (!vscode.workspace.isTrusted) {
    // No model is opened in Restricted Mode; the run is refused there anyway.
    deps.log.info(`model card of ${model.fsPath} not checked: the workspace is not trusted`);
    return null;
  }
  const name = path.posix.basename(model.path);
  const inspection = await inspect(deps, model, automated);
  if (!inspection) return undefined;
  if (inspection.problem !== undefined) return fail(`${relative(inspection.problemFile ?? model.fsPath)}: ${inspection.problem}`, automated);
  if (inspection.sidecar !== undefined || !inspection.unresolved?.length) return null;

  const facts = { spatialDims: (inspection.card as ModelCard).spatialDims };
  const steps = cardSteps(inspection.unresolved, facts);
  if (steps.length === 0) return null;
  deps.log.info(`${name}: asking about ${steps.map((s) => s.field).join(', ')} (no sidecar card; ${inspection.unresolved.map((u) => `${u.field}: ${u.reason}`).join('; ')})`);

  const file = vscode.Uri.file(sidecarPath(model.fsPath));
  let previous: CardAnswers | undefined;
  for (;;) {
    const answers = automated ? automatedAnswers(steps, mode) : await askCardSteps(steps, name, previous);
    if (!answers) return undefined;
    const card = validateCardFile(cardFromAnswers(answers), file.fsPath);
    // The engine has the last word: the answers must fit the model's shapes (e.g. one class name per output channel).
    const check = await inspect(deps, model, automated, card);
    if (!check) return undefined;
    if (check.problem === undefined) return { file, card, fields: steps.map((s) => s.field) };
    // The engine speaks of the card file, which does not exist yet: say "the answers" instead.
    const problem = check.problem.replace(/^its card .+? says /, '');
    if (automated) return fail(`the model card answers do not fit ${name}: ${problem}`, true);
    void vscode.window.showErrorMessage(`misas: these answers do not fit ${name}: ${problem}. Change them and try again.`);
    previous = answers;
  }
}

async function inspect(deps: CardDeps, model: vscode.Uri, automated: boolean, card?: ModelCardFile) {
  try {
    return await deps.runs.inspectModel(model, card);
  } catch (thrown) {
    return fail(thrown instanceof Error ? thrown.message : String(thrown), automated);
  }
}

/** Shows (or, for automation, throws) a message and stops the wizard. */
function fail(message: string, automated: boolean): undefined {
  if (automated) throw new Error(message);
  void vscode.window.showErrorMessage(`misas: ${message}`);
  return undefined;
}

/** Writes the card unless a sidecar has appeared meanwhile: an existing card is never replaced. */
export async function writePendingCard(pending: PendingCard, log: vscode.LogOutputChannel): Promise<void> {
  try {
    await writeFile(pending.file.fsPath, `${JSON.stringify(pending.card, null, 2)}\n`, { flag: 'wx' });
    log.info(`wrote ${pending.file.fsPath}: ${pending.fields.join(', ')}`);
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code !== 'EEXIST') throw thrown;
    log.warn(`${pending.file.fsPath} appeared while the wizard was open: kept it, the answers were not written`);
    void vscode.window.showWarningMessage(`misas: ${path.basename(pending.file.fsPath)} exists; it was kept and your model-card answers were not written.`);
  }
}
