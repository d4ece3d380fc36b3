/**
 * What the fit check runs on, from what VS Code passed the command (the clicked Uri and the
 * explorer selection) or, when that holds no image, from two quick picks: images (those next
 * to the model ticked) and their label maps (matched by name, ticked).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { IMAGE_FILE_PATTERN, IMAGE_FILES_GLOB, looksLikeMask, matchMasks } from '../workspace/masks';
import { SEARCH_EXCLUDE } from '../workspace/wizard';
import type { FitInput } from '../run/engineQueries';

const TITLE = 'Fit Check';
const relative = (uri: vscode.Uri) => vscode.workspace.asRelativePath(uri, false);
const isModel = (uri: vscode.Uri) => /\.onnx$/i.test(uri.path);
const isImageFile = (uri: vscode.Uri) => IMAGE_FILE_PATTERN.test(uri.path);

/** The model: the clicked or first selected .onnx, the active editor's, or one picked from the workspace. */
export async function pickFitModel(
  clicked: vscode.Uri | undefined,
  selection: readonly vscode.Uri[],
): Promise<vscode.Uri | undefined> {
  const given = [clicked, ...selection].find((uri): uri is vscode.Uri => uri instanceof vscode.Uri && isModel(uri));
  if (given) return given;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && isModel(active)) return active;
  const models = (await vscode.workspace.findFiles('**/*.onnx', SEARCH_EXCLUDE, 500)).sort((a, b) =>
    a.path.localeCompare(b.path),
  );
  if (models.length === 0) {
    void vscode.window.showErrorMessage('misas: there is no .onnx model in this workspace to check.');
    return undefined;
  }
  if (models.length === 1) return models[0];
  const picked = await vscode.window.showQuickPick(
    models.map((uri) => ({ label: path.posix.basename(uri.path), description: relative(uri), uri })),
    {
      title: `${TITLE}: model`,
      placeHolder: 'The ONNX segmentation model whose input conventions to find',
      ignoreFocusOut: true,
      matchOnDescription: true,
    },
  );
  return picked?.uri;
}

function pairUp(images: vscode.Uri[], masks: vscode.Uri[]): FitInput[] {
  const byPath = new Map(masks.map((uri) => [uri.path, uri]));
  const matched = matchMasks(
    images.map((uri) => uri.path),
    [...byPath.keys()],
  );
  return images.map((image, i) => ({ image, ...(matched[i] ? { mask: byPath.get(matched[i]!)! } : {}) }));
}

/**
 * Images and masks: those in the selection (masks paired by name), else picked. Undefined when
 * the user cancels a pick or the workspace holds no image.
 */
export async function pickFitInputs(
  model: vscode.Uri,
  selection: readonly vscode.Uri[],
): Promise<FitInput[] | undefined> {
  const selectedImages = selection.filter((uri) => isImageFile(uri) && !looksLikeMask(uri.path));
  if (selectedImages.length)
    return pairUp(
      selectedImages,
      selection.filter((uri) => isImageFile(uri) && looksLikeMask(uri.path)),
    );

  const files = (await vscode.workspace.findFiles(IMAGE_FILES_GLOB, SEARCH_EXCLUDE, 5000))
    .filter(isImageFile)
    .sort((a, b) => a.path.localeCompare(b.path));
  const images = files.filter((uri) => !looksLikeMask(uri.path));
  if (images.length === 0) {
    void vscode.window.showErrorMessage(
      'misas: no images (.nii, .nii.gz, .nrrd, .nhdr, .mha, .mhd, .png, .dcm) in this workspace to check the model with.',
    );
    return undefined;
  }
  const modelFolder = path.posix.dirname(model.path);
  type UriItem = vscode.QuickPickItem & { uri: vscode.Uri };
  const pickedImages = await vscode.window.showQuickPick(
    images.map((uri): UriItem => ({
      label: path.posix.basename(uri.path),
      description: relative(uri),
      uri,
      picked: path.posix.dirname(uri.path) === modelFolder,
    })),
    {
      title: `${TITLE} (1/2): images`,
      placeHolder: 'Images the model should segment well as they are (a few slices are enough)',
      canPickMany: true,
      ignoreFocusOut: true,
      matchOnDescription: true,
    },
  );
  if (!pickedImages?.length) return undefined;
  const inputs = pairUp(
    pickedImages.map((p) => p.uri),
    files.filter((uri) => looksLikeMask(uri.path)),
  );

  type MaskItem = vscode.QuickPickItem & { index: number };
  const matched = inputs.map((input, index): MaskItem => ({
    label: path.posix.basename(input.image.path),
    description: input.mask ? `mask: ${relative(input.mask)}` : 'no mask found by name',
    picked: input.mask !== undefined,
    index,
  }));
  if (!matched.some((item) => item.picked)) return inputs; // nothing to choose: ranked without masks
  const kept = await vscode.window.showQuickPick(matched, {
    title: `${TITLE} (2/2): label maps`,
    placeHolder: 'Ticked images are ranked by Dice against their label map; with none ticked, by a label-free score',
    canPickMany: true,
    ignoreFocusOut: true,
    matchOnDescription: true,
  });
  if (!kept) return undefined;
  const keep = new Set(kept.map((item) => item.index));
  return inputs.map((input, index) => (keep.has(index) ? input : { image: input.image }));
}
