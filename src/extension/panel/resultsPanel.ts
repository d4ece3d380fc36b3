/**
 * One results panel: a webview showing one run (and the runs compared with it). It loads the
 * page (strict CSP, scripts and styles only from dist/), answers the `ready` handshake with the
 * run's results.json text, acts on the page's requests after validating them, and resends the
 * results when results.json changes (a run that finishes while its panel is open). While a run
 * started in this window is still going, the panel shows its results so far instead (`live`),
 * sent again as rows arrive (paced by LivePacing), until results.json replaces them.
 */
import * as vscode from 'vscode';
import {
  parseWebviewMessage,
  type HostMessage,
  type PanelSession,
  type WebviewMessage,
  WEBVIEW_PROTOCOL_VERSION,
} from '../../protocol/webview';
import { resultsToJson } from '../../engine/report/results';
import { webviewHtml } from '../webviewHtml';
import { compareTexts, pickCompareRuns } from './compareRuns';
import type { ExportSaver } from './exportSaver';
import { PanelFrames, type FrameProvider } from './frames';
import type { LiveRuns } from './live';
import { LivePacing } from './livePacing';
import { newNonce, panelTitle } from './naming';
import { ResultsFileWatch } from './resultsFileWatch';
import { displayPath, folderKey, loadRun, resultsFileOf, sameFolder, type RunLoad } from './runFiles';
import { PanelCounts, type PanelStatus, type ResultsPanelSnapshot } from './snapshot';

export const RESULTS_VIEW_TYPE = 'misas.results';

export interface PanelDeps {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  exports: ExportSaver;
  /** Computes overlay frames in the engine host; absent = the viewer is told frames are unavailable. */
  frames?: FrameProvider;
  /** The runs going on in this window: their results so far; absent = panels show finished runs only. */
  live?: LiveRuns;
}

/** Scripts only; files only from the extension's dist/ and media/. No retainContextWhenHidden: the page keeps its state with setState. */
export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    enableFindWidget: true,
  };
}

export class ResultsPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  private status: PanelStatus = 'loading';
  private ready = false;
  private notifiedProblem?: string;
  private isDisposed = false;
  private readonly frames: PanelFrames;
  private readonly file: ResultsFileWatch;
  private readonly livePacing = new LivePacing(
    () => this.ready && !this.load.ok,
    () => this.pushLive(),
  );
  private readonly counts = new PanelCounts();
  /** The compared runs' texts as last read from disk: live updates resend them without reading again. */
  private compareCache: string[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly runDir: vscode.Uri,
    private compare: vscode.Uri[],
    private load: RunLoad,
    private readonly deps: PanelDeps,
  ) {
    this.frames = new PanelFrames(runDir, deps.frames);
    const webview = panel.webview;
    webview.options = panelOptions(deps.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'misas.svg');
    panel.title = this.title();
    this.file = new ResultsFileWatch(runDir, () => {
      this.reload().catch((thrown: unknown) =>
        this.deps.log.error(
          `results panel: reloading ${displayPath(resultsFileOf(this.runDir))} failed: ${String(thrown)}`,
        ),
      );
    });
    this.disposables.push(
      this.file,
      webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidDispose(() => this.dispose()),
      ...this.followLiveRun(),
    );
    webview.html = webviewHtml({
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webview.css')).toString(),
      cspSource: webview.cspSource,
      nonce: newNonce(),
      title: panel.title,
    });
    if (!load.ok && !this.liveResults()) this.notify(load);
    this.file.pollWhileMissing(!load.ok && load.missing);
  }

  /** The results so far while a run started in this window writes this folder and has no results.json yet. */
  private liveResults() {
    return this.load.ok ? undefined : this.deps.live?.liveResults(this.runDir);
  }

  private followLiveRun(): vscode.Disposable[] {
    const live = this.deps.live;
    if (!live) return [];
    return [
      live.onDidProduceRows((event) => {
        if (sameFolder(event.runDir, this.runDir)) this.livePacing.rowsArrived();
      }),
      // results.json is written before the engine answers the run: read it now rather than at the next poll.
      live.onDidFinish((outcome) => {
        if (this.status === 'live' || (outcome.runDir && sameFolder(outcome.runDir, this.runDir))) {
          this.livePacing.cancel();
          void this.reload().catch((thrown: unknown) =>
            this.deps.log.error(`results panel: reloading after the run failed: ${String(thrown)}`),
          );
        }
      }),
    ];
  }

  /** Sends the running run's results so far; false when there are none (no live run, or results.json exists). */
  private pushLive(): boolean {
    const live = this.liveResults();
    if (this.isDisposed || !this.ready || !live) return false;
    this.livePacing.sent();
    this.status = 'live';
    const title = panelTitle(live.results, this.runDir.path);
    if (this.panel.title !== title) this.panel.title = title;
    const rows = live.rows;
    const delivered = this.panel.webview.postMessage({
      type: 'results',
      primary: resultsToJson(live.results),
      compare: this.compareCache,
      live: { done: live.done, total: live.total },
    } satisfies HostMessage);
    void Promise.resolve(delivered).then((ok) => {
      if (ok) this.counts.liveDelivered(rows);
    });
    return true;
  }

  get session(): PanelSession {
    return { runDir: this.runDir.toString(), compare: this.compare.map((uri) => uri.toString()) };
  }

  snapshot(): ResultsPanelSnapshot {
    return {
      viewType: this.panel.viewType,
      runDir: folderKey(this.runDir),
      title: this.panel.title,
      visible: this.panel.visible,
      active: this.panel.active,
      status: this.status,
      ...(this.load.ok ? {} : { problem: this.load.problem }),
      compare: this.session.compare,
      ...this.counts.fields(),
    };
  }

  reveal(): void {
    this.panel.reveal(this.panel.viewColumn);
  }

  /** Shows these runs next to this one (from `open(…, { compare })`). */
  async setCompare(compare: vscode.Uri[]): Promise<void> {
    this.compare = compare.filter((dir) => !sameFolder(dir, this.runDir));
    if (this.ready) {
      this.post({ type: 'session', session: this.session });
      await this.pushContent();
    }
  }

  private title(): string {
    return panelTitle(this.load.ok ? this.load.results : undefined, this.runDir.path);
  }

  private post(message: HostMessage): void {
    if (!this.isDisposed) void this.panel.webview.postMessage(message);
  }

  private receive(raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.deps.log.warn(`results panel ${this.panel.title}: ignored a message that is not part of the protocol`);
      return;
    }
    this.handle(message).catch((thrown: unknown) => {
      this.deps.log.error(
        `results panel ${this.panel.title}: ${message.type} failed: ${thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown)}`,
      );
    });
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        if (message.protocol !== WEBVIEW_PROTOCOL_VERSION) {
          this.deps.log.warn(
            `results panel: the page speaks protocol ${message.protocol}, the extension ${WEBVIEW_PROTOCOL_VERSION}`,
          );
        }
        this.ready = true;
        this.counts.readyCount++;
        this.livePacing.pageReloaded();
        this.post({ type: 'session', session: this.session });
        await this.pushContent();
        return;
      case 'export': {
        const outcome = await this.deps.exports.save(this.runDir, message.fileName, message.format, message.data);
        if (outcome.ok) this.counts.lastExport = outcome.file;
        this.post({
          type: 'exportDone',
          requestId: message.requestId,
          ok: outcome.ok,
          ...(!outcome.ok && outcome.message ? { message: outcome.message } : {}),
        });
        return;
      }
      case 'pickCompareRuns':
        await this.pickCompareRuns();
        this.post({
          type: 'compareRuns',
          requestId: message.requestId,
          runs: await compareTexts(this.compare, this.deps.log),
        });
        return;
      case 'frame': {
        const answer =
          this.status === 'live'
            ? ({
                type: 'error',
                requestId: message.requestId,
                message: 'Overlay frames can be shown once the run has finished.',
              } as const)
            : await this.frames.answer(message, this.load.ok ? this.load.results : undefined);
        this.counts.frameAnswered(answer);
        if (answer.type === 'error') {
          this.deps.log.warn(
            `results panel ${this.panel.title}: frame ${message.series} #${message.input} @ ${message.value}: ${answer.message}`,
          );
        }
        this.post(answer);
        return;
      }
      case 'log':
        this.deps.log[message.level](`results panel ${this.panel.title}: ${message.message}`);
        return;
      case 'liveShown':
        this.livePacing.shown();
        return;
    }
  }

  /** Sends the run (its results so far while it goes, or why it cannot be shown) to the page. */
  private async pushContent(): Promise<void> {
    this.compareCache = await compareTexts(this.compare, this.deps.log);
    if (this.load.ok) {
      this.post({ type: 'results', primary: this.load.text, compare: this.compareCache });
      this.status = 'shown';
    } else if (this.pushLive()) {
      return;
    } else {
      this.post({ type: 'problem', message: `misas: ${this.load.problem}` });
      this.status = 'problem';
    }
  }

  /** Lets the user pick the runs to compare with; updates `compare` unless cancelled. */
  private async pickCompareRuns(): Promise<void> {
    if (!this.load.ok) return;
    const picked = await pickCompareRuns(this.runDir, this.load.results, this.compare, this.deps.log);
    if (!picked) return;
    this.compare = picked;
    this.post({ type: 'session', session: this.session });
  }

  /** results.json changed on disk: read it again and resend. */
  async reload(): Promise<void> {
    if (!(await this.file.differsFromLastRead())) return;
    this.counts.reloads++;
    this.load = await loadRun(this.runDir);
    if (this.isDisposed) return;
    this.file.pollWhileMissing(!this.load.ok && this.load.missing);
    this.panel.title = this.title();
    if (this.load.ok) this.notifiedProblem = undefined;
    else if (!this.liveResults()) this.notify(this.load);
    this.deps.log.info(
      `results panel: ${displayPath(resultsFileOf(this.runDir))} changed; ${this.load.ok ? 'showing it again' : this.load.problem}`,
    );
    if (this.ready) await this.pushContent();
    else this.status = this.load.ok ? 'loading' : 'problem';
  }

  /** One notification per distinct problem (the page shows it too, every time it loads). */
  private notify(load: Extract<RunLoad, { ok: false }>): void {
    this.status = 'problem';
    if (this.notifiedProblem === load.problem) return;
    this.notifiedProblem = load.problem;
    this.deps.log.warn(`results panel: ${load.problem}`);
    const message = `misas: ${load.problem}`;
    void (load.missing ? vscode.window.showWarningMessage(message) : vscode.window.showErrorMessage(message));
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.livePacing.cancel();
    this.panel.dispose();
    for (const disposable of this.disposables) disposable.dispose();
    this.disposed.fire();
    this.disposed.dispose();
  }
}
