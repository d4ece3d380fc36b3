/**
 * The analyze wizard (misas.analyzeModel, misas.analyzeImage): model → images and masks → model
 * card (only what the inference could not tell, asked with the images' intensity facts in view,
 * see modelCard.ts) → series → name, then it
 * writes the card `<model>.onnx.misas.json` (if it asked) and `<name>.misas.json` next to the
 * model, opens the experiment and runs it. Every answer ends up in those files, so every choice
 * can be changed there afterwards.
 *
 * For tests, pre-made answers (`AnalyzeAnswers`) come through the testing API that activate()
 * returns in the extension test host (src/extension/testing.ts), never through a command's
 * arguments: then no picker opens and whatever is not given takes its default.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { forgetExperimentFiles } from './runsOnDisk';
import { safeSegment } from '../../engine/sweep/run/runPaths';
import type { RunController } from '../run/controller';
import { draftExperiment, experimentText } from './experimentDraft';
import { IMAGE_FILE_PATTERN, IMAGE_FILES_GLOB, looksLikeMask, matchMasks } from './masks';
import { modelCardStep, writePendingCard, type ModelCardMode } from './modelCard';
import { dicomSeriesFolders } from './seriesFolders';
import { defaultSeries } from '../settings';
import { exists } from '../fileExists';

export const SEARCH_EXCLUDE = '{**/node_modules/**,**/.misas/**,**/.git/**}';

/** Pre-made answers: paths are absolute file paths or Uris; masks align with images (null = no mask). */
export interface AnalyzeAnswers {
  model?: vscode.Uri | string;
  images?: Array<vscode.Uri | string>;
  /** Omitted: matched by name. */
  masks?: Array<vscode.Uri | string | null>;
  /** Transform names; omitted: misas.defaultSeries. */
  series?: string[];
  name?: string;
  /** Spell out each series' default range in the file (what "Customise ranges…" does). */
  explicitRanges?: boolean;
  /** Start the run after writing the file (default true). */
  run?: boolean;
  /** Replace an existing experiment file of that name without asking (default false: refuse). */
  overwrite?: boolean;
  /**
   * The model-card step (default 'skip' with pre-made answers): 'ask' shows its steps as the
   * wizard does; card properties answer them (unanswered ones keep the assumed value).
   */
  modelCard?: ModelCardMode;
}

export interface WizardStart {
  model?: vscode.Uri;
  /** Images selected in the Explorer: ticked in the images step. */
  images?: vscode.Uri[];
}

export interface WizardDeps {
  runs: RunController;
  log: vscode.LogOutputChannel;
}

const TITLE = 'Analyze Sensitivity';
const toUri = (value: vscode.Uri | string) => (typeof value === 'string' ? vscode.Uri.file(value) : value);

/** Runs the wizard; resolves to the experiment file written, or undefined when the user backed out. */
export async function analyzeWizard(
  deps: WizardDeps,
  start: WizardStart,
  answers?: AnalyzeAnswers,
): Promise<vscode.Uri | undefined> {
  const model = answers?.model ? toUri(answers.model) : (start.model ?? (await pickModel()));
  if (!model) return undefined;

  const files = await findImageFiles();
  const images = answers ? (answers.images ?? []).map(toUri) : await pickImages(files, model, start.images);
  if (!images || images.length === 0) {
    if (answers) throw new Error('misas.analyzeModel: the answers name no images');
    return undefined;
  }
  const masks = answers ? answerMasks(answers, images, files) : await pickMasks(images, files);
  if (!masks) return undefined;
  // After the images: the card questions show what the images hold and are checked against it.
  const card = await modelCardStep(deps, model, answers ? (answers.modelCard ?? 'skip') : 'ask', images, masks);
  if (card === undefined) return undefined;

  const seriesChoice = answers
    ? { series: answers.series ?? defaultSeries(model), explicitRanges: answers.explicitRanges ?? false }
    : await pickSeries(deps, model);
  if (!seriesChoice) return undefined;

  const modelFolder = vscode.Uri.joinPath(model, '..');
  const name = answers ? (answers.name ?? (await defaultName(model))) : await askName(model);
  if (!name) return undefined;
  const file = vscode.Uri.joinPath(modelFolder, `${safeSegment(name)}.misas.json`);
  if ((await exists(file)) && !answers?.overwrite && !(await confirmReplace(file, answers !== undefined)))
    return undefined;

  // Nothing is written before the last answer: Escape anywhere leaves no file behind.
  if (card) await writePendingCard(card, deps.log);
  const experiment = draftExperiment({
    file: file.fsPath,
    name,
    model: model.fsPath,
    inputs: images.map((image, i) => ({ image: image.fsPath, ...(masks[i] ? { mask: masks[i]!.fsPath } : {}) })),
    series: seriesChoice.series,
    ...(seriesChoice.explicitRanges ? { explicitRanges: await deps.runs.transforms() } : {}),
  });
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(experimentText(experiment)));
  forgetExperimentFiles(); // the tree lists it without waiting for the file watcher
  deps.log.info(
    `wrote ${file.fsPath}: ${images.length} input(s), ${masks.filter(Boolean).length} with a mask, series ${seriesChoice.series.join(', ')}`,
  );

  const editor = await vscode.window.showTextDocument(file, { preview: false });
  if (seriesChoice.explicitRanges) revealSeries(editor);
  const run = answers?.run ?? !seriesChoice.explicitRanges;
  if (run) {
    deps.runs
      .run(file)
      .catch((thrown: unknown) => deps.log.error(`run of ${file.fsPath} failed to start: ${String(thrown)}`));
  } else if (!answers && seriesChoice.explicitRanges) {
    void vscode.window.showInformationMessage(
      'Edit the ranges under "series", then run the experiment (▷ in the editor title).',
    );
  }
  return file;
}

async function confirmReplace(file: vscode.Uri, automated: boolean): Promise<boolean> {
  if (automated) throw new Error(`${file.fsPath} exists; pass overwrite: true to replace it`);
  const replace = 'Replace';
  const answer = await vscode.window.showWarningMessage(
    `${path.posix.basename(file.path)} exists. Replace it?`,
    { modal: true },
    replace,
  );
  return answer === replace;
}

function relative(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

export async function pickModel(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && /\.onnx$/i.test(active.path)) return active;
  const models = await vscode.workspace.findFiles('**/*.onnx', SEARCH_EXCLUDE, 500);
  if (models.length === 0) {
    void vscode.window.showErrorMessage(
      'misas: there is no .onnx model in this workspace. Add one, then right-click it → "Analyze Sensitivity…".',
    );
    return undefined;
  }
  if (models.length === 1) return models[0];
  const picked = await vscode.window.showQuickPick(
    models
      .sort((a, b) => a.path.localeCompare(b.path))
      .map((uri) => ({ label: path.posix.basename(uri.path), description: relative(uri), uri })),
    {
      title: `${TITLE}: model`,
      placeHolder: 'The ONNX segmentation model to analyze',
      ignoreFocusOut: true,
      matchOnDescription: true,
    },
  );
  return picked?.uri;
}

async function findImageFiles(): Promise<vscode.Uri[]> {
  const found = await vscode.workspace.findFiles(IMAGE_FILES_GLOB, SEARCH_EXCLUDE, 5000);
  return found.filter((uri) => IMAGE_FILE_PATTERN.test(uri.path)).sort((a, b) => a.path.localeCompare(b.path));
}

const isInside = (folder: vscode.Uri, uri: vscode.Uri) => uri.path.startsWith(folder.path.replace(/\/?$/, '/'));

type UriItem = vscode.QuickPickItem & { uri?: vscode.Uri };

async function pickImages(
  files: vscode.Uri[],
  model: vscode.Uri,
  preselected: vscode.Uri[] = [],
): Promise<vscode.Uri[] | undefined> {
  // A selected image the search does not return (files.exclude) is still offered, ticked.
  files = [...files, ...preselected.filter((chosen) => !files.some((uri) => uri.toString() === chosen.toString()))];
  if (files.length === 0) {
    void vscode.window.showErrorMessage(
      'misas: no images (.nii, .nii.gz, .nrrd, .nhdr, .mha, .mhd, .png, .dcm) in this workspace to analyze the model with.',
    );
    return undefined;
  }
  const modelFolder = vscode.Uri.joinPath(model, '..');
  const images = files.filter((uri) => !looksLikeMask(uri.path));
  const maskLike = files.filter((uri) => looksLikeMask(uri.path));
  // Ticked: the images selected in the Explorer, else the images (not label maps) next to the model.
  const isPicked = (uri: vscode.Uri) =>
    preselected.length > 0
      ? preselected.some((chosen) => chosen.toString() === uri.toString())
      : isInside(modelFolder, uri) && !looksLikeMask(uri.path);
  const item = (uri: vscode.Uri): UriItem => ({
    label: path.posix.basename(uri.path),
    description: relative(uri),
    picked: isPicked(uri),
    uri,
  });
  // A folder of .dcm files is one volume to the engine: offered as one item besides its files.
  const seriesFolders = dicomSeriesFolders(files.map((uri) => uri.path)).map(({ folder, files: count }): UriItem => {
    const uri = files[0].with({ path: folder });
    return {
      ...item(uri),
      label: `$(folder) ${path.posix.basename(folder)}`,
      detail: `DICOM series: ${count} .dcm files read as one volume`,
    };
  });
  const items: UriItem[] = [
    ...images.map(item),
    ...(seriesFolders.length
      ? [{ label: 'DICOM series folders', kind: vscode.QuickPickItemKind.Separator }, ...seriesFolders]
      : []),
    ...(maskLike.length
      ? [{ label: 'Named like label maps', kind: vscode.QuickPickItemKind.Separator }, ...maskLike.map(item)]
      : []),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `${TITLE} (1/3): images`,
    placeHolder: 'The images to sweep (their label maps come next)',
    canPickMany: true,
    ignoreFocusOut: true,
    matchOnDescription: true,
  });
  return picked?.flatMap((p) => (p.uri ? [p.uri] : []));
}

function answerMasks(
  answers: AnalyzeAnswers,
  images: vscode.Uri[],
  files: vscode.Uri[],
): Array<vscode.Uri | undefined> {
  if (answers.masks) return images.map((_, i) => (answers.masks![i] ? toUri(answers.masks![i]!) : undefined));
  return autoMasks(images, files);
}

function autoMasks(images: vscode.Uri[], files: vscode.Uri[]): Array<vscode.Uri | undefined> {
  const byPath = new Map(files.map((uri) => [uri.path, uri]));
  return matchMasks(
    images.map((uri) => uri.path),
    [...byPath.keys()],
  ).map((match) => (match ? byPath.get(match) : undefined));
}

/** One list: each image with the mask matched by name, ticked; untick for none, tick an unmatched one to choose. */
async function pickMasks(
  images: vscode.Uri[],
  files: vscode.Uri[],
): Promise<Array<vscode.Uri | undefined> | undefined> {
  const matched = autoMasks(images, files);
  const candidates = files.filter((uri) => !images.some((image) => image.toString() === uri.toString()));
  if (candidates.length === 0) return images.map(() => undefined);
  type MaskItem = vscode.QuickPickItem & { index: number };
  const items: MaskItem[] = images.map((image, index) => ({
    label: path.posix.basename(image.path),
    description: matched[index] ? `mask: ${relative(matched[index]!)}` : 'no mask found by name: tick to choose one',
    picked: matched[index] !== undefined,
    index,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `${TITLE} (2/3): label maps`,
    placeHolder:
      'Ticked images are scored against their label map; unticked ones against the prediction on the unchanged image',
    canPickMany: true,
    ignoreFocusOut: true,
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  const masks: Array<vscode.Uri | undefined> = images.map(() => undefined);
  for (const { index } of picked) {
    masks[index] = matched[index] ?? (await chooseMask(images[index], candidates));
  }
  return masks;
}

async function chooseMask(image: vscode.Uri, candidates: vscode.Uri[]): Promise<vscode.Uri | undefined> {
  const noMask: UriItem = {
    label: '$(circle-slash) No mask',
    description: 'score against the prediction on the unchanged image',
  };
  const likely = candidates.filter((uri) => looksLikeMask(uri.path));
  const others = candidates.filter((uri) => !looksLikeMask(uri.path));
  const item = (uri: vscode.Uri): UriItem => ({
    label: path.posix.basename(uri.path),
    description: relative(uri),
    uri,
  });
  const picked = await vscode.window.showQuickPick(
    [
      noMask,
      ...likely.map(item),
      ...(others.length
        ? [{ label: 'Other images', kind: vscode.QuickPickItemKind.Separator }, ...others.map(item)]
        : []),
    ],
    {
      title: `${TITLE}: label map of ${path.posix.basename(image.path)}`,
      ignoreFocusOut: true,
      matchOnDescription: true,
    },
  );
  return picked?.uri;
}

async function pickSeries(
  deps: WizardDeps,
  scope: vscode.Uri,
): Promise<{ series: string[]; explicitRanges: boolean } | undefined> {
  const defaults = new Set(defaultSeries(scope));
  type SeriesItem = vscode.QuickPickItem & { transform?: string };
  const customise: SeriesItem = {
    label: '$(edit) Customise ranges in the experiment file…',
    detail: 'Write each range explicitly and open the file to edit them before running',
    alwaysShow: true,
  };
  const items: SeriesItem[] = [
    ...(await deps.runs.transforms()).map((t) => ({
      label: t.name,
      description: `${t.title} · ${t.kind}`,
      detail: `${t.parameter}${t.unit ? ` (${t.unit})` : ''}: ${t.defaultSweep}`,
      picked: defaults.has(t.name),
      transform: t.name,
    })),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    customise,
  ];
  for (;;) {
    const picked = await vscode.window.showQuickPick(items, {
      title: `${TITLE} (3/3): series`,
      placeHolder: 'The transforms to sweep (defaults from the misas.defaultSeries setting)',
      canPickMany: true,
      ignoreFocusOut: true,
      matchOnDescription: true,
    });
    if (!picked) return undefined;
    const series = picked.flatMap((p) => (p.transform ? [p.transform] : []));
    if (series.length > 0) return { series, explicitRanges: picked.includes(customise) };
    void vscode.window.showWarningMessage('misas: pick at least one series.');
  }
}

async function defaultName(model: vscode.Uri): Promise<string> {
  const base = `${path.posix.basename(model.path).replace(/\.onnx$/i, '')}-sensitivity`;
  const folder = vscode.Uri.joinPath(model, '..');
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    if (!(await exists(vscode.Uri.joinPath(folder, `${safeSegment(name)}.misas.json`)))) return name;
  }
}

async function askName(model: vscode.Uri): Promise<string | undefined> {
  const name = await vscode.window.showInputBox({
    title: `${TITLE}: experiment name`,
    prompt: `Saved as <name>.misas.json next to ${path.posix.basename(model.path)}; runs are stored under this name`,
    value: await defaultName(model),
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : 'The experiment needs a name'),
  });
  return name?.trim() || undefined;
}

/** Puts the cursor on "series" so the ranges are in view. */
function revealSeries(editor: vscode.TextEditor): void {
  const offset = editor.document.getText().indexOf('"series"');
  if (offset < 0) return;
  const position = editor.document.positionAt(offset);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.AtTop);
}
