// The results panel inside a real VS Code: a webview panel per run (revealed, not duplicated),
// the ready handshake answered with the run's results, clear problems for missing or broken
// results.json, and updates when results.json appears. What the page draws is checked in the
// workbench by scripts/test-panel-ui.mjs; here the extension's side is observed through
// misas.internal.resultsPanels (snapshots) and vscode.window.tabGroups.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResultsPanelSnapshot } from '../../src/extension/panel';
import { activateMisas, repoRoot, waitFor, workspaceFolder } from './helpers';

const OPEN = 'misas.internal.openResultsPanel';
const SNAPSHOT = 'misas.internal.resultsPanels';

/** results.json of a committed fixture run (test/report/fixtures/<name>/). */
function fixtureText(root: string, name: 'two-inputs' | 'one-input'): string {
  return fs.readFileSync(path.join(root, 'test', 'report', 'fixtures', name, 'results.json'), 'utf8');
}

/** A run folder as the engine lays it out: <experiment folder>/.misas/runs/<name>/<timestamp>/. */
function runFolder(experiment: string, startedAt: string): string {
  const timestamp = startedAt.replace(/:/g, '-').replace('.', '-');
  return path.join(workspaceFolder().fsPath, 'panel-suite', '.misas', 'runs', experiment, timestamp);
}

function writeRun(runDir: string, text?: string): vscode.Uri {
  fs.mkdirSync(runDir, { recursive: true });
  if (text !== undefined) fs.writeFileSync(path.join(runDir, 'results.json'), text);
  return vscode.Uri.file(runDir);
}

async function snapshots(): Promise<ResultsPanelSnapshot[]> {
  return (await vscode.commands.executeCommand<ResultsPanelSnapshot[]>(SNAPSHOT)) ?? [];
}

async function panelOf(runDir: vscode.Uri): Promise<ResultsPanelSnapshot | undefined> {
  return (await snapshots()).find((panel) => vscode.Uri.parse(panel.runDir).fsPath === runDir.fsPath);
}

function resultsTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('misas.results'));
}

/** The tab model follows panel changes asynchronously (the workbench reports them back). */
async function waitForTabs(count: number, activeLabel?: string): Promise<vscode.Tab[]> {
  return waitFor(
    () => {
      const tabs = resultsTabs();
      const active = tabs.find((tab) => tab.isActive && tab.group.isActive);
      return tabs.length === count && (activeLabel === undefined || active?.label === activeLabel) ? tabs : undefined;
    },
    10_000,
    `${count} misas.results tab(s)${activeLabel ? `, "${activeLabel}" active` : ''} (now: ${describeTabs()})`,
  );
}

function describeTabs(): string {
  return (
    vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .map(
        (tab) =>
          `${tab.label} [${tab.input?.constructor.name} ${(tab.input as { viewType?: string } | undefined)?.viewType ?? ''}]`,
      )
      .join(', ') || 'none'
  );
}

/** Local "YYYY-MM-DD HH:MM:SS", written independently of the panel's own formatting. */
function localStamp(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => (n < 10 ? `0${n}` : String(n));
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

describe('misas results panel', () => {
  let root: string;
  let twoInputs: vscode.Uri;
  let oneInput: vscode.Uri;
  let twoInputsStart: string;

  before(async () => {
    await activateMisas();
    root = repoRoot();
    const primary = fixtureText(root, 'two-inputs');
    twoInputsStart = (JSON.parse(primary) as { timing: { startedAt: string } }).timing.startedAt;
    twoInputs = writeRun(runFolder('report-fixture', twoInputsStart), primary);
    const other = fixtureText(root, 'one-input');
    oneInput = writeRun(
      runFolder('report-fixture', (JSON.parse(other) as { timing: { startedAt: string } }).timing.startedAt),
      other,
    );
  });

  afterEach(async () => {
    await waitFor(
      async () => (resultsTabs().length >= (await snapshots()).length ? true : undefined),
      5000,
      'the tabs of the open panels',
    );
    await vscode.window.tabGroups.close(resultsTabs());
    await waitFor(async () => ((await snapshots()).length === 0 ? true : undefined), 5000, 'the panels to close');
  });

  it('opens a run in a misas.results webview that answers the ready handshake with the results', async () => {
    const opened = await vscode.commands.executeCommand<ResultsPanelSnapshot>(OPEN, twoInputs);
    assert.ok(opened, `${OPEN} returned no panel`);
    assert.equal(opened.viewType, 'misas.results');
    assert.equal(opened.title, `report-fixture — ${localStamp(twoInputsStart)}`);
    await waitForTabs(1, opened.title);
    // `shown` is set when the page (dist/webview.js, under the strict CSP) has said `ready` and got the results.
    const shown = await waitFor(
      async () => {
        const panel = await panelOf(twoInputs);
        return panel?.status === 'shown' ? panel : undefined;
      },
      30_000,
      'the webview to say ready and receive the results',
    );
    assert.ok(shown.readyCount >= 1);
    assert.equal(shown.visible, true);
    assert.deepEqual(shown.compare, []);
  });

  it('reveals the open panel when a run is opened again, one panel per run', async () => {
    await vscode.commands.executeCommand(OPEN, twoInputs);
    const second = await vscode.commands.executeCommand<ResultsPanelSnapshot>(OPEN, oneInput.fsPath); // a path works too (keybinding args)
    await waitForTabs(2, second!.title);
    const again = await vscode.commands.executeCommand<ResultsPanelSnapshot>(OPEN, twoInputs);
    // Opening it again must reveal its tab, not add a third.
    await waitForTabs(2, again!.title);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(resultsTabs().length, 2, 'the second open of a run must not add a panel');
    assert.equal((await snapshots()).length, 2);
  });

  it('compares with other runs given to open(), and keeps them in the session the page saves', async () => {
    const opened = await vscode.commands.executeCommand<ResultsPanelSnapshot>(OPEN, twoInputs, [oneInput]);
    assert.deepEqual(
      opened!.compare.map((uri) => vscode.Uri.parse(uri).fsPath),
      [oneInput.fsPath],
    );
  });

  it('says clearly when results.json is missing, and shows the run when the file appears', async () => {
    const pending = writeRun(
      path.join(
        workspaceFolder().fsPath,
        'panel-suite',
        '.misas',
        'runs',
        'report-fixture',
        '2026-11-28T09-00-00-000Z',
      ),
    );
    const opened = await vscode.commands.executeCommand<ResultsPanelSnapshot>(OPEN, pending);
    assert.equal(opened!.status, 'problem');
    assert.match(opened!.problem ?? '', /2026-11-28T09-00-00-000Z[\\/]results\.json does not exist/);
    assert.equal(
      opened!.title,
      `report-fixture — ${localStamp('2026-11-28T09:00:00.000Z')}`,
      'named after its folders until results exist',
    );
    await waitForTabs(1, opened!.title); // the panel opens to show the problem
    // The run finishes while the panel is open: the panel picks results.json up.
    const text = fixtureText(root, 'one-input');
    fs.writeFileSync(path.join(pending.fsPath, 'results.json'), text);
    const shown = await waitFor(
      async () => {
        const panel = await panelOf(pending);
        return panel?.status === 'shown' ? panel : undefined;
      },
      20_000,
      'the panel to show the results.json written after it opened',
    );
    assert.equal(shown.problem, undefined);
    assert.equal(
      shown.title,
      `report-fixture — ${localStamp((JSON.parse(text) as { timing: { startedAt: string } }).timing.startedAt)}`,
    );
  });

  it('names the file and the reason when results.json is not a run', async () => {
    const broken = writeRun(
      path.join(workspaceFolder().fsPath, 'panel-suite', 'broken-run'),
      '{"format": "something else"',
    );
    const opened = await vscode.commands.executeCommand<ResultsPanelSnapshot>(OPEN, broken);
    assert.equal(opened!.status, 'problem');
    assert.match(opened!.problem ?? '', /broken-run[\\/]results\.json cannot be read: /);
  });

  it('refuses arguments that are not folders', async () => {
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand(OPEN, 42)), /expected a run folder/);
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand(OPEN, 'javascript:alert(1)')),
      /expected a run folder/,
    );
  });
});
