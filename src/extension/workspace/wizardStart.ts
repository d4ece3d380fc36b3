/**
 * Where the analyze wizard starts when a menu invokes it: the model and the images of the
 * Explorer's selection. Whatever the selection holds that the wizard cannot take is named in a
 * message, never dropped silently.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { IMAGE_FILE_PATTERN } from './masks';
import type { WizardStart } from './wizard';

const isModel = (uri: vscode.Uri) => /\.onnx$/i.test(uri.path);
const isImage = (uri: vscode.Uri) => IMAGE_FILE_PATTERN.test(uri.path);
const names = (uris: vscode.Uri[]) => uris.map((uri) => path.posix.basename(uri.path)).join(', ');

export interface SelectionStart {
  start: WizardStart;
  /** What the wizard leaves out of the selection, said to the user (undefined: nothing). */
  note?: string;
}

/**
 * `clicked` is the right-clicked file (first in `selection` when both are given). The model is
 * the clicked `.onnx`, else the first selected one; the wizard takes one model, so further
 * models are named in the note. Selected images are ticked in the images step.
 */
export function startFromSelection(clicked: vscode.Uri | undefined, selection: vscode.Uri[]): SelectionStart {
  const models = selection.filter(isModel);
  const model = clicked && isModel(clicked) ? clicked : models[0];
  const otherModels = models.filter((uri) => uri.toString() !== model?.toString());
  const images = selection.filter(isImage);
  const others = selection.filter((uri) => !isModel(uri) && !isImage(uri));
  const notes: string[] = [];
  if (model && otherModels.length > 0) {
    notes.push(
      `the wizard analyzes one model, ${names([model])}; also selected: ${names(otherModels)} (list several under "models" in the experiment file to compare them)`,
    );
  }
  if (others.length > 0) notes.push(`left out of the selection (not a model or an image): ${names(others)}`);
  return {
    start: { ...(model ? { model } : {}), ...(images.length ? { images } : {}) },
    ...(notes.length ? { note: `misas: ${notes.join('; ')}.` } : {}),
  };
}
