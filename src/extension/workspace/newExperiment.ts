/**
 * misas.newExperiment: a commented-by-example experiment file to fill in. The editor validates
 * and completes it through the contributed JSON schema.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { forgetExperimentFiles } from './runsOnDisk';
import { safeSegment } from '../../engine/sweep/run/runPaths';
import type { Experiment } from '../../engine/sweep/experiment/types';
import { experimentText, namedSeries, relativeToExperiment } from './experimentDraft';
import { SEARCH_EXCLUDE } from './wizard';
import { defaultSeries, tolerance } from '../settings';
import { exists } from '../fileExists';

export interface NewExperimentOptions {
  /** Skips the name prompt (the testing API). */
  name?: string;
}

/** The folder to create the file in: the one given (explorer), the active file's, or the first workspace folder. */
function targetFolder(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return /\.[^/]+$/.test(arg.path) ? vscode.Uri.joinPath(arg, '..') : arg;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && active.scheme === 'file' && vscode.workspace.getWorkspaceFolder(active))
    return vscode.Uri.joinPath(active, '..');
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

export function experimentTemplate(
  file: string,
  name: string,
  model: string | undefined,
  series: string[],
  tau: number,
): Experiment {
  return {
    name,
    description: 'Edit the model, the inputs (image + optional label map) and the series; hover a key for help.',
    model: model ? relativeToExperiment(file, model) : 'model.onnx',
    inputs: [{ image: 'images/case01.nii.gz', mask: 'labels/case01.nii.gz' }],
    series: series.map(namedSeries),
    metrics: ['dice'],
    tolerance: tau,
  };
}

export async function newExperiment(
  arg?: unknown,
  options: NewExperimentOptions = {},
): Promise<vscode.Uri | undefined> {
  const folder = targetFolder(arg);
  if (!folder) {
    void vscode.window.showErrorMessage('misas: open a folder first; the experiment file is created in it.');
    return undefined;
  }
  let name = options.name;
  if (name === undefined) {
    name = await vscode.window.showInputBox({
      title: 'New Experiment',
      prompt: `Name of the experiment; saved as <name>.misas.json in ${vscode.workspace.asRelativePath(folder, true)}`,
      value: 'experiment',
      validateInput: async (value) => {
        if (!value.trim()) return 'The experiment needs a name';
        return (await exists(vscode.Uri.joinPath(folder, `${safeSegment(value.trim())}.misas.json`)))
          ? 'A file of that name exists'
          : undefined;
      },
    });
  }
  name = name?.trim();
  if (!name) return undefined;
  const file = vscode.Uri.joinPath(folder, `${safeSegment(name)}.misas.json`);
  if (await exists(file)) {
    void vscode.window.showErrorMessage(`misas: ${path.posix.basename(file.path)} exists already.`);
    return undefined;
  }
  const [model] = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.onnx'), SEARCH_EXCLUDE, 1);
  const experiment = experimentTemplate(file.fsPath, name, model?.fsPath, defaultSeries(folder), tolerance(folder));
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(experimentText(experiment)));
  forgetExperimentFiles(); // the tree lists it without waiting for the file watcher
  await vscode.window.showTextDocument(file, { preview: false });
  return file;
}
