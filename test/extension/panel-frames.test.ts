// Overlay frames inside a real VS Code: a run of the copied example, then frames through the
// run controller (engine host process) and through a results panel whose page asks for them
// itself; Restricted Mode refuses frames with a message the viewer shows.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ResultsPanelSnapshot } from '../../src/extension/panel';
import type { RunController } from '../../src/extension/run/controller';
import { activateMisas, untrustedController, waitFor, workspaceFolder } from './helpers';

async function misas(): Promise<{ extension: vscode.Extension<unknown>; runs: RunController }> {
  const { extension, api } = await activateMisas<{ runs: RunController }>();
  return { extension, runs: api.runs };
}

function countDifferences(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

describe('overlay frames (engine host → run controller → results panel)', function () {
  this.timeout(120_000);
  const folder = () => vscode.Uri.joinPath(workspaceFolder(), 'frames-suite');
  let experimentFile: vscode.Uri;
  let runDir: vscode.Uri;

  before(async () => {
    const { extension, runs } = await misas();
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(extension.extensionUri, 'examples', 'colin27'), folder(), {
      overwrite: true,
    });
    experimentFile = vscode.Uri.joinPath(folder(), 'frames.misas.json');
    const experiment = {
      name: 'frames test',
      model: 'model.onnx',
      inputs: [{ image: 'data/colin27_z075_image.nii.gz', mask: 'data/colin27_z075_label.nii.gz' }],
      series: [{ transform: 'rotate', values: [0, 90] }],
      metrics: ['dice'],
    };
    await vscode.workspace.fs.writeFile(experimentFile, new TextEncoder().encode(JSON.stringify(experiment, null, 2)));
    const outcome = await runs.run(experimentFile);
    assert.equal(outcome.status, 'completed', outcome.message);
    assert.ok(outcome.runDir);
    runDir = outcome.runDir;
  });

  after(async () => {
    const tabs = vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('misas.results'));
    await vscode.window.tabGroups.close(tabs);
  });

  it('computes frames of the run in the engine: the 90° prediction differs from the 0° one', async () => {
    const { runs } = await misas();
    const at = (value: number) => runs.frame({ experimentFile, runDir, series: 'rotate', input: 0, value });
    const [identity, rotated] = [await at(0), await at(90)];
    for (const frame of [identity, rotated]) {
      assert.deepEqual(frame.dims, [181, 217]);
      assert.equal(frame.image.length, 181 * 217);
      assert.ok(frame.image instanceof Float32Array, 'typed arrays survive the IPC');
      assert.ok(frame.truth instanceof Uint8Array);
      assert.equal(frame.prediction.length, 181 * 217);
      assert.equal(frame.pseudoTruth, false);
    }
    assert.ok(
      countDifferences(identity.prediction, rotated.prediction) > 1000,
      'the prediction changes with the rotation',
    );
    assert.ok(countDifferences(identity.truth, rotated.truth) > 1000, 'the truth is rotated with the image');
    assert.ok(identity.range[1] > identity.range[0]);
    await assert.rejects(
      runs.frame({ experimentFile, runDir, series: 'zoom', input: 0, value: 1.5 }),
      /no series named "zoom"/,
    );
  });

  it('answers the page of a results panel: its viewer fetches the identity frame by itself', async () => {
    const snapshot = await vscode.commands.executeCommand<ResultsPanelSnapshot>(
      'misas.internal.openResultsPanel',
      runDir,
    );
    assert.ok(snapshot);
    const served = await waitFor(
      async () => {
        const panels =
          (await vscode.commands.executeCommand<ResultsPanelSnapshot[]>('misas.internal.resultsPanels')) ?? [];
        const panel = panels.find((p) => vscode.Uri.parse(p.runDir).fsPath === runDir.fsPath);
        return panel && panel.framesServed + panel.frameErrors > 0 ? panel : undefined;
      },
      60_000,
      'the panel to answer a frame request',
    );
    assert.equal(served.frameErrors, 0, served.lastFrameError);
    assert.ok(served.framesServed >= 1);
  });

  it('refuses frames in Restricted Mode without asking the engine', async () => {
    const { controller, requests, dispose } = untrustedController('misas frames restricted-mode test');
    try {
      await assert.rejects(
        controller.frame({ experimentFile, runDir, series: 'rotate', input: 0, value: 90 }),
        /No overlay frames in Restricted Mode: misas runs models only in trusted workspaces\./,
      );
      assert.equal(requests.length, 0);
    } finally {
      dispose();
    }
  });
});
