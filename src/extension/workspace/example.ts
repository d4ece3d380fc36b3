/**
 * misas.openExample: copies the bundled Colin27 example (model, model card, five slices with
 * label maps, experiment) into the workspace and opens its experiment file.
 */
import * as vscode from 'vscode';
import { forgetExperimentFiles } from './runsOnDisk';
import { exists } from '../fileExists';

export const EXAMPLE_FOLDER = 'colin27';
export const EXAMPLE_EXPERIMENT = 'colin27.misas.json';
/** What a user needs to run the example; reference/ only serves the engine's own tests. */
const COPIED = ['README.md', 'model.onnx', 'data'];
/** JSON files whose "$schema" points into the extension's repository layout: dropped when copied (jsonValidation covers them). */
const JSON_WITH_SCHEMA = [EXAMPLE_EXPERIMENT, 'model.onnx.misas.json'];

/** Copies the example into `target` (kept as it is when it already holds the example); returns the experiment file. */
export async function copyExample(extensionUri: vscode.Uri, target: vscode.Uri): Promise<vscode.Uri> {
  const source = vscode.Uri.joinPath(extensionUri, 'examples', EXAMPLE_FOLDER);
  const experiment = vscode.Uri.joinPath(target, EXAMPLE_EXPERIMENT);
  if (await exists(experiment)) return experiment;
  await vscode.workspace.fs.createDirectory(target);
  for (const name of COPIED) {
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(source, name), vscode.Uri.joinPath(target, name), {
      overwrite: false,
    });
  }
  for (const name of JSON_WITH_SCHEMA) {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(source, name)));
    const withoutSchema = text.replace(/^\s*"\$schema"\s*:\s*"[^"]*",?\s*\n/m, '');
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(target, name), new TextEncoder().encode(withoutSchema));
    forgetExperimentFiles(); // the tree lists it without waiting for the file watcher
  }
  return experiment;
}

/**
 * The command: into `<workspace folder>/colin27` (or a given folder: the testing API); without a
 * workspace folder it asks where to put it and opens that folder.
 */
export async function openExample(extensionUri: vscode.Uri, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!target && !folder) {
    const chosen = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      openLabel: 'Copy the example here',
      title: 'misas: where should the Colin27 example go?',
    });
    if (!chosen?.[0]) return undefined;
    const destination = vscode.Uri.joinPath(chosen[0], EXAMPLE_FOLDER);
    await copyExample(extensionUri, destination);
    await vscode.commands.executeCommand('vscode.openFolder', destination);
    return vscode.Uri.joinPath(destination, EXAMPLE_EXPERIMENT);
  }
  const experiment = await copyExample(extensionUri, target ?? vscode.Uri.joinPath(folder!.uri, EXAMPLE_FOLDER));
  await vscode.window.showTextDocument(experiment, { preview: false });
  await vscode.commands.executeCommand('revealInExplorer', experiment);
  return experiment;
}
