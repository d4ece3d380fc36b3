/**
 * The model-card questions. In the analyze wizard (after the images are picked): the engine host
 * inspects the model (onnxruntime stays out of this process) and reads the images' intensity
 * facts; when the model has no sidecar card and the inference had to assume something, the user
 * is asked about exactly those properties, and the answers become `<model>.onnx.misas.json` —
 * written at the end of the wizard. A model that has a card gets "Review the model card" (keep
 * it by default). Edit Model Card (editCardCommand.ts) asks every property again.
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { IntensityFacts } from '../../engine/io/intensityFacts';
import type { CardField, ModelCard, ModelCardFile } from '../../engine/model/cardTypes';
import type { FitReport } from '../../engine/model/fit/types';
import type { ModelInspectionInfo } from '../../protocol/engine';
import { sidecarPath, validateCardFile } from '../../engine/model/sidecar';
import type { RunController } from '../run/controller';
import type { FitInput } from '../run/engineQueries';
import {
  automatedAnswers,
  cardFromAnswers,
  cardSteps,
  editedCard,
  type AskedItem,
  type CardAnswers,
  type CardStep,
  type Origin,
} from './cardAnswers';
import type { ModelFacts } from './cardChoices';
import { askCardSteps, askOne } from './cardSteps';

/** 'ask': show the steps; an object: answers for them (automation); 'skip': no card step. */
export type ModelCardMode = 'ask' | 'skip' | Partial<ModelCardFile>;

/** A card to write once the wizard completes. */
export interface PendingCard {
  file: vscode.Uri;
  card: ModelCardFile;
  /** The properties asked about. */
  fields: string[];
  /** Replace the existing sidecar (a reviewed card); otherwise an existing one is never replaced. */
  replace?: boolean;
}

interface CardDeps {
  runs: RunController;
  log: vscode.LogOutputChannel;
}

const relative = (file: string) => vscode.workspace.asRelativePath(file, false);

/** Intensity facts are read for at most this many images (each is read whole in the engine host). */
export const FACTS_IMAGES = 8;

/**
 * Resolves to the card to write, null when there is nothing to ask (a sidecar exists, nothing is
 * unresolved, Restricted Mode), or undefined when the wizard must stop (Escape, or the model
 * cannot be inspected: the message is shown here).
 */
export async function modelCardStep(
  deps: CardDeps,
  model: vscode.Uri,
  mode: ModelCardMode,
  images: readonly vscode.Uri[] = [],
  masks: ReadonlyArray<vscode.Uri | undefined> = [],
): Promise<PendingCard | null | undefined> {
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
  if (inspection.problem !== undefined)
    return fail(`${relative(inspection.problemFile ?? model.fsPath)}: ${inspection.problem}`, automated);
  // With masks, a fit check can find the normalisation and orientation instead of the user guessing.
  const fitInputs = images.flatMap((image, i) => (masks[i] ? [{ image, mask: masks[i] }] : [])).slice(0, FACTS_IMAGES);
  const facts: ModelFacts = {
    spatialDims: (inspection.card as ModelCard).spatialDims,
    ...(await imageFacts(deps, images)),
    fitCheck: fitInputs.length > 0,
  };
  const fitCheck = fitInputs.length ? () => runFitCheck(deps, model, fitInputs) : undefined;
  if (inspection.sidecar !== undefined || !inspection.unresolved?.length) {
    if (automated) return null;
    // The model has a card (sidecar or metadata): keep it unless the user wants to see it again.
    const review = await askReview(name, inspection.sidecar);
    if (review !== true) return review === false ? null : undefined;
    return askWholeCard(deps, model, inspection, facts, fitCheck);
  }

  const steps = cardSteps(inspection.unresolved, facts);
  if (steps.length === 0) return null;
  deps.log.info(
    `${name}: asking about ${steps.map((s) => s.field).join(', ')} (no sidecar card; ${inspection.unresolved.map((u) => `${u.field}: ${u.reason}`).join('; ')})`,
  );
  const file = vscode.Uri.file(sidecarPath(model.fsPath));
  const card = await askUntilAccepted(
    deps,
    model,
    steps,
    automated ? (steps) => automatedAnswers(steps, mode) : undefined,
    (answers) => cardFromAnswers(answers),
    fitCheck,
  );
  return card && { file, card, fields: steps.map((s) => s.field) };
}

/** The images' intensity facts (the first FACTS_IMAGES of them); an image that cannot be read is named in the note, not fatal. */
async function imageFacts(deps: CardDeps, images: readonly vscode.Uri[]): Promise<Omit<ModelFacts, 'spatialDims'>> {
  if (images.length === 0) return {};
  const read: IntensityFacts[] = [];
  const problems: string[] = [];
  for (const image of images.slice(0, FACTS_IMAGES)) {
    try {
      read.push(await deps.runs.imageFacts(image));
    } catch (thrown) {
      const message = thrown instanceof Error ? thrown.message : String(thrown);
      deps.log.warn(`intensity facts of ${image.fsPath}: ${message}`);
      problems.push(message);
    }
  }
  const notes = [
    images.length > FACTS_IMAGES ? `(the first ${FACTS_IMAGES} of ${images.length} images)` : '',
    problems.length ? `Not read: ${problems.join('; ')}.` : '',
  ].filter(Boolean);
  return {
    images: read,
    ...(read.length === images.length ? { hasVolume: read.some((f) => f.dims.length === 3) } : {}),
    ...(notes.length ? { imagesNote: notes.join(' ') } : {}),
  };
}

/**
 * The fit check from the wizard: the engine host scores the conventions at identity against the
 * masks, with a progress notification and Cancel; undefined when cancelled or failed (said here).
 */
async function runFitCheck(deps: CardDeps, model: vscode.Uri, inputs: FitInput[]): Promise<FitReport | undefined> {
  const name = path.posix.basename(model.path);
  try {
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `misas: fit check of ${name}`, cancellable: true },
      (progress, token) =>
        deps.runs.fitCheck(model, inputs, {
          token,
          onProgress: (done, total) => progress.report({ message: `${done} of ${total} model calls` }),
        }),
    );
    if (report)
      deps.log.info(
        `fit check of ${name} (wizard): ${report.candidates[0]?.label ?? 'no candidate'} first; ${report.timing.modelCalls} model calls in ${report.timing.milliseconds} ms`,
      );
    return report;
  } catch (thrown) {
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    deps.log.warn(`fit check of ${name}: ${message}`);
    void vscode.window.showErrorMessage(`misas: the fit check of ${name} failed: ${message}. Choose without it.`);
    return undefined;
  }
}

/** "Keep" (false, the default), "Review" (true), or undefined for Escape. */
function askReview(name: string, sidecar: string | undefined): Promise<boolean | undefined> {
  const where = sidecar ? path.basename(sidecar) : `${name}'s metadata`;
  return askOne(`misas: Model card of ${name}`, `${name} has a card (${where}): keep it, or review its answers`, [
    { label: 'Keep the model card', description: where, value: false },
    { label: 'Review the model card…', description: 'every question again, the current answers selected', value: true },
  ]);
}

const ORIGIN: Record<string, Origin> = {
  sidecar: 'card',
  metadata: 'metadata',
  'monai-bundle': 'bundle',
  default: 'inferred',
};
/** Every property a card can state that the model's shapes leave open (spatialDims and channelMode always follow). */
const EDITABLE: CardField[] = [
  'layout',
  'channels',
  'geometry',
  'normalization',
  'output',
  'classes',
  'sliceAxis',
  'orientation',
];

/** Every card property the shapes do not fix, with its current value and where it comes from. */
export function editItems(inspection: ModelInspectionInfo): AskedItem[] {
  const card = inspection.card as ModelCard & Record<string, unknown>;
  const sidecar = (inspection.sidecarCard ?? {}) as Record<string, unknown>;
  const metadata = (inspection.metadataCard ?? {}) as Record<string, unknown>;
  const sidecarName = inspection.sidecar ? path.basename(inspection.sidecar) : 'the card';
  return EDITABLE.flatMap((field): AskedItem[] => {
    const source = inspection.sources?.[field];
    if (source === undefined || source === 'model' || card[field] === undefined) return [];
    const unresolved = inspection.unresolved?.find((u) => u.field === field);
    const origin = ORIGIN[source];
    const reason =
      origin === 'card'
        ? `${sidecarName} says so`
        : origin === 'metadata'
          ? "the model's metadata_props say so"
          : origin === 'bundle'
            ? "the MONAI bundle's metadata says so"
            : `inferred: ${unresolved?.reason ?? "from the model's shapes"}`;
    return [
      { field, current: sidecar[field] ?? metadata[field] ?? unresolved?.assumed ?? card[field], reason, origin },
    ];
  });
}

/**
 * Edit Model Card's questions on an inspected model: every property again; resolves to the sidecar
 * to write, null when the shapes fix everything (said here), undefined on Escape.
 */
export async function askWholeCard(
  deps: CardDeps,
  model: vscode.Uri,
  inspection: ModelInspectionInfo,
  facts: ModelFacts,
  fitCheck?: () => Promise<FitReport | undefined>,
): Promise<PendingCard | null | undefined> {
  const steps = cardSteps(editItems(inspection), facts);
  if (steps.length === 0) {
    void vscode.window.showInformationMessage(
      `misas: ${path.posix.basename(model.path)}'s shapes state everything a card could: nothing to edit.`,
    );
    return null;
  }
  deps.log.info(`${path.posix.basename(model.path)}: reviewing ${steps.map((s) => s.field).join(', ')}`);
  const card = await askUntilAccepted(
    deps,
    model,
    steps,
    undefined,
    (answers) => editedCard(inspection.sidecarCard, answers, inspection.metadataCard),
    fitCheck,
  );
  return (
    card && { file: vscode.Uri.file(sidecarPath(model.fsPath)), card, fields: steps.map((s) => s.field), replace: true }
  );
}

/** Asks (or takes automated answers) until the engine accepts the card they make; undefined on Escape or a refused automated card. */
async function askUntilAccepted(
  deps: CardDeps,
  model: vscode.Uri,
  steps: CardStep[],
  automated: ((steps: CardStep[]) => CardAnswers) | undefined,
  toCard: (answers: CardAnswers) => ModelCardFile,
  fitCheck?: () => Promise<FitReport | undefined>,
): Promise<ModelCardFile | undefined> {
  const name = path.posix.basename(model.path);
  const file = sidecarPath(model.fsPath);
  let previous: CardAnswers | undefined;
  for (;;) {
    const answers = automated ? automated(steps) : await askCardSteps(steps, name, previous, { fitCheck });
    if (!answers) return undefined;
    const card = validateCardFile(toCard(answers), file);
    // The engine has the last word: the answers must fit the model's shapes (e.g. one class name per output channel).
    const check = await inspect(deps, model, automated !== undefined, card);
    if (!check) return undefined;
    if (check.problem === undefined) return card;
    // The engine speaks of the card file, which does not exist yet: say "the answers" instead.
    const problem = check.problem.replace(/^its card .+? says /, '');
    if (automated) return fail(`the model card answers do not fit ${name}: ${problem}`, true);
    void vscode.window.showErrorMessage(
      `misas: these answers do not fit ${name}: ${problem}. Change them and try again.`,
    );
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
    await writeFile(pending.file.fsPath, `${JSON.stringify(pending.card, null, 2)}\n`, {
      flag: pending.replace ? 'w' : 'wx',
    });
    log.info(`wrote ${pending.file.fsPath}: ${pending.fields.join(', ')}`);
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code !== 'EEXIST') throw thrown;
    log.warn(`${pending.file.fsPath} appeared while the wizard was open: kept it, the answers were not written`);
    void vscode.window.showWarningMessage(
      `misas: ${path.basename(pending.file.fsPath)} exists; it was kept and your model-card answers were not written.`,
    );
  }
}
