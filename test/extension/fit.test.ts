// "Fit Check…" inside a real VS Code: the command gets what VS Code passes (the clicked model and
// the explorer selection, or only the model, then quick picks), the engine host ranks the
// conventions of a model that expects transposed raw slices, the panel shows the table and its
// "Write to model card" message writes the card. What the page draws is not inspected here: the
// panel is observed through misas.internal.fitPanels, and the button's message is delivered
// through misas.internal.fitPanelMessage (a webview cannot be clicked from the extension host).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FitReport } from '../../src/engine/model/fit/types';
import type { FitPanelSnapshot } from '../../src/extension/fit/panel';
import { activateMisas, repoRoot, waitFor, workspaceFolder } from './helpers';

const SLICES = ['z045', 'z065', 'z075', 'z085', 'z115'];

/** A folder of this suite's own: the transposed model (no card) and the example's five slices with their label maps. */
function prepare(folderName: string): { model: vscode.Uri; images: vscode.Uri[]; masks: vscode.Uri[] } {
  const folder = path.join(workspaceFolder().fsPath, 'fit-suite', folderName);
  fs.mkdirSync(folder, { recursive: true });
  const root = repoRoot();
  fs.copyFileSync(
    path.join(root, 'test', 'data', 'models', 'colin27_transposed_raw.onnx'),
    path.join(folder, 'unet.onnx'),
  );
  const copy = (id: string, kind: string) => {
    const name = `colin27_${id}_${kind}.nii.gz`;
    fs.copyFileSync(path.join(root, 'examples', 'colin27', 'data', name), path.join(folder, name));
    return vscode.Uri.file(path.join(folder, name));
  };
  return {
    model: vscode.Uri.file(path.join(folder, 'unet.onnx')),
    images: SLICES.map((id) => copy(id, 'image')),
    masks: SLICES.map((id) => copy(id, 'label')),
  };
}

async function panelOf(model: vscode.Uri): Promise<FitPanelSnapshot | undefined> {
  const panels = (await vscode.commands.executeCommand<FitPanelSnapshot[]>('misas.internal.fitPanels')) ?? [];
  return panels.find((panel) => panel.model === model.fsPath);
}

describe('Fit Check', function () {
  this.timeout(180_000);
  before(async () => {
    await activateMisas();
  });

  it('ranks the selected images and masks, shows the table, and the button writes the card', async () => {
    const { model, images, masks } = prepare('selection');
    // Right-click on the model with the slices and label maps selected in the explorer.
    const report = await vscode.commands.executeCommand<FitReport | undefined>('misas.fitCheck', model, [
      model,
      ...images,
      ...masks,
    ]);
    assert.ok(report, 'the fit check finished');
    assert.equal(report.ranking, 'dice');
    assert.equal(report.inputs.length, 5);
    assert.ok(
      report.inputs.every((input, i) => input.mask === masks[i].fsPath),
      'each slice is paired with its own label map',
    );

    const panel = await waitFor(() => panelOf(model), 20_000, 'the fit panel');
    assert.equal(panel.winner, 'transposed · none · logits');
    assert.equal(panel.rows, 40);
    assert.equal(panel.cardStatus, '');

    const card = `${model.fsPath}.misas.json`;
    assert.equal(fs.existsSync(card), false);
    const after = await vscode.commands.executeCommand<FitPanelSnapshot>(
      'misas.internal.fitPanelMessage',
      model.fsPath,
      { type: 'writeCard' },
    );
    assert.match(
      after.cardStatus,
      /^written: orientation "transposed", normalization \{"kind":"none"\}, output \{"name":"logits","kind":"logits"\}$/,
    );
    const written = JSON.parse(fs.readFileSync(card, 'utf8')) as Record<string, unknown>;
    assert.equal(written.orientation, 'transposed');
    assert.deepEqual(written.normalization, { kind: 'none' });
  });

  it('asks for images and masks with quick picks when only the model is given', async () => {
    const { model, masks } = prepare('picks');
    const fit = Promise.resolve(vscode.commands.executeCommand<FitReport | undefined>('misas.fitCheck', model));
    let settled = false;
    void fit.finally(() => (settled = true));
    // Enter on each pick as it opens: the images next to the model are ticked, then their label maps.
    await waitFor(
      async () => {
        if (settled) return true;
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        return undefined;
      },
      120_000,
      'the fit check after its quick picks',
    );
    const report = await fit;
    assert.ok(report, 'the fit check finished');
    assert.deepEqual(
      report.inputs.map((input) => input.mask),
      masks.map((mask) => mask.fsPath),
    );
    assert.equal(report.candidates[0].label, 'transposed · none · logits');
    assert.equal((await panelOf(model))?.winner, 'transposed · none · logits');
  });
});
