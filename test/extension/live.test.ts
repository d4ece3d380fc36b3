// A run's results panel while the run goes (issue 5), inside a real VS Code: with
// misas.openResultsOnRun the panel opens when the engine starts the run, receives the results so
// far while rows arrive (fewer rows than the finished run), then shows the results.json the run
// wrote. Observed through the API activate() returns: { runs, panels }.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MisasApi } from '../../src/extension/extension';
import type { ResultsPanelSnapshot } from '../../src/extension/panel';
import { activateMisas, holdEngineAtFirstRows, waitFor, workspaceFolder } from './helpers';

const folder = () => vscode.Uri.joinPath(workspaceFolder(), 'live-suite');
// Enough steps that the run is far from its end when its first rows arrive and the engine is held.
const STEPS = 2001;

function resultsTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('misas.results'));
}

/** Local "YYYY-MM-DD HH:MM:SS", written independently of the panel's own formatting. */
function localStamp(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

describe('misas: a run’s results panel fills in while the run goes', function () {
  this.timeout(180_000);
  let api: MisasApi;
  let experimentFile: vscode.Uri;
  const setting = () => vscode.workspace.getConfiguration('misas');

  before(async () => {
    const activated = await activateMisas();
    api = activated.api;
    await vscode.workspace.fs.copy(
      vscode.Uri.joinPath(activated.extension.extensionUri, 'examples', 'colin27'),
      folder(),
      { overwrite: true },
    );
    experimentFile = vscode.Uri.joinPath(folder(), 'live.misas.json');
    const experiment = {
      name: 'live test',
      model: 'model.onnx',
      inputs: [{ image: 'data/colin27_z075_image.nii.gz', mask: 'data/colin27_z075_label.nii.gz' }],
      series: [{ transform: 'rotate', start: -180, stop: 180, steps: STEPS }],
      metrics: ['dice'],
    };
    await vscode.workspace.fs.writeFile(experimentFile, new TextEncoder().encode(JSON.stringify(experiment, null, 2)));
    await setting().update('openResultsOnRun', true, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await setting().update('openResultsOnRun', false, vscode.ConfigurationTarget.Workspace);
    await vscode.window.tabGroups.close(resultsTabs());
  });

  it('opens the panel at the start, sends partial results, then shows the finished results.json', async () => {
    assert.equal(setting().get('openResultsOnRun'), true);
    // The run is held still (SIGSTOP of the engine process) as soon as its first rows reach the
    // extension, so the page sees a partial run however slowly the machine loads the page; the
    // run goes on (SIGCONT) once that has been checked. No race with the clock.
    const hold = holdEngineAtFirstRows(api.runs);
    const outcome = api.runs.run(experimentFile);
    try {
      const runDir = await waitFor(
        () => api.runs.active.find((run) => run.experimentFile.toString() === experimentFile.toString())?.runDir,
        60_000,
        'the run to start',
      );
      const panelOf = (): ResultsPanelSnapshot | undefined =>
        api.panels.snapshot().find((panel) => vscode.Uri.parse(panel.runDir).fsPath === runDir.fsPath);
      await waitFor(() => hold.heldPid(), 120_000, 'the first rows of the run');

      // The page loads (at its own pace) and gets the results so far.
      const live = await waitFor(
        () => {
          const panel = panelOf();
          return panel?.liveRows && panel.liveRows.max > 0 ? panel : undefined;
        },
        120_000,
        'the panel to receive a partial run with rows',
      ).catch(async (error: Error) => {
        throw new Error(
          `${error.message} (panel: ${JSON.stringify(panelOf())}; run: ${JSON.stringify(api.runs.active)})`,
        );
      });
      assert.ok(api.runs.active.length > 0, 'the run is still going');
      assert.equal(live.status, 'live');
      assert.ok(live.liveRows && live.liveRows.min < STEPS, `a partial run: ${JSON.stringify(live.liveRows)}`);
      assert.match(live.title, /^live test — \d{4}-/, 'named after the experiment (not its folder) while it runs');
      const partial = api.runs.liveResults(runDir);
      assert.ok(partial, 'the controller has the results so far');
      const partialRows = partial.results.series[0].rows.length;
      assert.ok(partialRows > 0 && partialRows < STEPS, `${partialRows} rows so far`);
      assert.ok(partial.results.series[0].summaries.length > 0, 'summaries of the steps so far');
      hold.release();

      const finished = await outcome;
      assert.equal(finished.status, 'completed', finished.message);
      const text = fs.readFileSync(path.join(runDir.fsPath, 'results.json'), 'utf8');
      const results = JSON.parse(text) as { timing: { startedAt: string }; series: Array<{ rows: unknown[] }> };
      assert.equal(results.series[0].rows.length, STEPS);

      const shown = await waitFor(
        () => {
          const panel = panelOf();
          return panel?.status === 'shown' ? panel : undefined;
        },
        60_000,
        'the panel to show the finished results.json',
      ).catch((error: Error) => {
        throw new Error(`${error.message} (panel: ${JSON.stringify(panelOf())})`);
      });
      assert.ok(shown.liveUpdates >= 1);
      assert.ok(
        shown.liveRows!.min < STEPS,
        `the page got a partial run with fewer rows (${shown.liveRows!.min}) than the finished one (${STEPS})`,
      );
      assert.equal(shown.title, `live test — ${localStamp(results.timing.startedAt)}`);
      assert.equal(api.runs.liveResults(runDir), undefined, 'no live results once the run has ended');
      assert.equal(
        api.panels.snapshot().filter((panel) => vscode.Uri.parse(panel.runDir).fsPath === runDir.fsPath).length,
        1,
        'one panel for the run',
      );
      assert.ok(shown.reloads <= 1, `results.json read once after the run, not ${shown.reloads} times`);
    } finally {
      hold.release();
      await outcome.catch(() => undefined);
    }
  });
});
