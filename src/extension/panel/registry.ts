/**
 * The open results panels, one per run folder: opening a run that already has a panel reveals
 * it; panels restored after a window reload (WebviewPanelSerializer) join the same registry.
 */
import * as vscode from 'vscode';
import { parsePanelSession } from '../../protocol/webview';
import type { ExportSaver } from './exportSaver';
import type { FrameProvider } from './frames';
import type { LiveRuns } from './live';
import { panelTitle } from './naming';
import { ResultsPanel, RESULTS_VIEW_TYPE, panelOptions } from './resultsPanel';
import type { ResultsPanelSnapshot } from './snapshot';
import { folderKey, loadRun } from './runFiles';

export interface OpenOptions {
  /** Other runs of the same experiment to draw on the same axes. */
  compare?: vscode.Uri[];
  /** Open a new panel beside the active editor and leave the focus where it is (a run that just started). */
  beside?: boolean;
}

export interface ResultsPanels {
  /** Shows a run folder's results.json in its panel (created, or revealed when already open). */
  open(runDir: vscode.Uri, options?: OpenOptions): Promise<void>;
  /** What every open panel shows (tests, automation). */
  snapshot(): ResultsPanelSnapshot[];
}

export class ResultsPanelRegistry implements ResultsPanels, vscode.Disposable {
  private readonly panels = new Map<string, ResultsPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly exports: ExportSaver,
    private readonly frames?: FrameProvider,
    private readonly live?: LiveRuns,
  ) {}

  async open(runDir: vscode.Uri, options: OpenOptions = {}): Promise<void> {
    const existing = this.panels.get(folderKey(runDir));
    if (existing) {
      existing.reveal();
      if (options.compare) await existing.setCompare(options.compare);
      return;
    }
    const load = await loadRun(runDir);
    // Another open() of the same run may have finished while this one was reading.
    const raced = this.panels.get(folderKey(runDir));
    if (raced) return this.open(runDir, options);
    const title = panelTitle(load.ok ? load.results : undefined, runDir.path);
    const showOptions = options.beside
      ? { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }
      : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(
      RESULTS_VIEW_TYPE,
      title,
      showOptions,
      panelOptions(this.extensionUri),
    );
    this.adopt(new ResultsPanel(panel, runDir, options.compare ?? [], load, this.deps()));
    this.log.info(`results panel: opened ${runDir.fsPath}`);
  }

  /** WebviewPanelSerializer: a panel VS Code kept across a reload, with the state its page saved. */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const session = parsePanelSession((state as { session?: unknown } | undefined)?.session);
    const runDir = session && toFolderUri(session.runDir);
    if (!session || !runDir) {
      this.log.warn('results panel: a panel from the last session did not say which run it showed; closed it');
      panel.dispose();
      return;
    }
    const existing = this.panels.get(folderKey(runDir));
    if (existing) {
      panel.dispose();
      existing.reveal();
      return;
    }
    const compare = session.compare.map(toFolderUri).filter((uri): uri is vscode.Uri => uri !== undefined);
    this.adopt(new ResultsPanel(panel, runDir, compare, await loadRun(runDir), this.deps()));
    this.log.info(`results panel: restored ${runDir.fsPath}`);
  }

  snapshot(): ResultsPanelSnapshot[] {
    return [...this.panels.values()].map((panel) => panel.snapshot());
  }

  private deps() {
    return {
      extensionUri: this.extensionUri,
      log: this.log,
      exports: this.exports,
      ...(this.frames ? { frames: this.frames } : {}),
      ...(this.live ? { live: this.live } : {}),
    };
  }

  private adopt(panel: ResultsPanel): void {
    const key = folderKey(panel.runDir);
    this.panels.set(key, panel);
    panel.onDidDispose(() => {
      if (this.panels.get(key) === panel) this.panels.delete(key);
    });
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
  }
}

/**
 * A folder from untrusted text (saved webview state, keybinding arguments): a URI string
 * (`file:///…`, `vscode-remote://…`) or an absolute path. Only schemes the workspace uses.
 */
export function toFolderUri(text: string): vscode.Uri | undefined {
  try {
    const uri = /^[a-z][\w+.-]+:/i.test(text) ? vscode.Uri.parse(text, true) : vscode.Uri.file(text);
    const schemes = new Set(['file', ...(vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.scheme)]);
    return schemes.has(uri.scheme) && uri.path.startsWith('/') ? uri : undefined;
  } catch {
    return undefined;
  }
}
