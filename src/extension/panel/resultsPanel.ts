/**
 * One results panel: a webview showing one run (and the runs compared with it). It loads the
 * page (strict CSP, scripts and styles only from dist/), answers the `ready` handshake with the
 * run's results.json text, acts on the page's requests after validating them, and resends the
 * results when results.json changes (a run that finishes while its panel is open). While a run
 * started in this window is still going, the panel shows its results so far instead (`live`),
 * sent again at most every LIVE_INTERVAL_MS as rows arrive, until results.json replaces them.
 */
import * as vscode from 'vscode';
import { parseWebviewMessage, type HostMessage, type PanelSession, type WebviewMessage, WEBVIEW_PROTOCOL_VERSION } from '../../protocol/webview';
import { resultsToJson } from '../../engine/report/results';
import { webviewHtml } from '../webviewHtml';
import type { ExportSaver } from './exportSaver';
import { PanelFrames, type FrameProvider } from './frames';
import type { LiveRuns } from './live';
import { localTime, newNonce, panelTitle, runDescription } from './naming';
import { displayPath, folderKey, loadRun, RESULTS_FILE, resultsFileOf, sameFolder, siblingRuns, type RunLoad } from './runFiles';

export const RESULTS_VIEW_TYPE = 'misas.results';

/** Waits this long after the last change to results.json before reading it (writers rename, then touch). */
const RELOAD_DELAY_MS = 150;
/**
 * While results.json is missing, also look for it this often: file watchers miss files in
 * folders created in one go (inotify watches are added to new folders after the fact), which is
 * how a first run's folder appears.
 */
const MISSING_POLL_MS = 1000;
/** A running run's results are sent to the page at most this often (each send redraws every chart). */
export const LIVE_INTERVAL_MS = 500;

export interface PanelDeps {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  exports: ExportSaver;
  /** Computes overlay frames in the engine host; absent = the viewer is told frames are unavailable. */
  frames?: FrameProvider;
  /** The runs going on in this window: their results so far; absent = panels show finished runs only. */
  live?: LiveRuns;
}

/** live: showing the results so far of a run that is still going. */
export type PanelStatus = 'loading' | 'shown' | 'live' | 'problem';

/** What a panel is showing, for tests and automation (`misas.internal.resultsPanels`). */
export interface ResultsPanelSnapshot {
  viewType: string;
  runDir: string;
  title: string;
  visible: boolean;
  active: boolean;
  status: PanelStatus;
  problem?: string;
  compare: string[];
  /** How many times the page said `ready` (it reloads when shown again after being hidden). */
  readyCount: number;
  lastExport?: string;
  /** Overlay frames answered with pixels, and with an error (the last one in `lastFrameError`). */
  framesServed: number;
  frameErrors: number;
  lastFrameError?: string;
  /** Results of a running run the page received (each a partial run), and their fewest and most rows. */
  liveUpdates: number;
  liveRows?: { min: number; max: number };
  /** How often results.json was read since the panel opened. */
  reloads: number;
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
  private readyCount = 0;
  private notifiedProblem?: string;
  private lastExport?: vscode.Uri;
  private reloadTimer?: ReturnType<typeof setTimeout>;
  private pollTimer?: ReturnType<typeof setInterval>;
  private isDisposed = false;
  private readonly frames: PanelFrames;
  private framesServed = 0;
  private frameErrors = 0;
  private lastFrameError?: string;
  private liveUpdates = 0;
  private liveRows?: { min: number; max: number };
  private liveTimer?: ReturnType<typeof setTimeout>;
  private lastLivePost = 0;
  /** A live update is on its way to the page or being drawn (no `liveShown` yet): the next waits. */
  private liveAwaitingPage = false;
  /** Rows arrived while the page was busy: send them once it has drawn the last update. */
  private livePending = false;
  /** How often results.json was read (a finished run's file is read once). */
  private reloads = 0;
  /** results.json's size and modification time when last read: unchanged files are not read again. */
  private loadedStamp?: string;
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
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(runDir, RESULTS_FILE));
    const changed = () => this.scheduleReload();
    this.disposables.push(
      watcher,
      watcher.onDidCreate(changed),
      watcher.onDidChange(changed),
      watcher.onDidDelete(changed),
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
    this.pollWhileMissing();
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
        if (sameFolder(event.runDir, this.runDir)) this.scheduleLivePush();
      }),
      // results.json is written before the engine answers the run: read it now rather than at the next poll.
      live.onDidFinish((outcome) => {
        if (this.status === 'live' || (outcome.runDir && sameFolder(outcome.runDir, this.runDir))) {
          clearTimeout(this.liveTimer);
          this.liveTimer = undefined;
          void this.reload().catch((thrown: unknown) => this.deps.log.error(`results panel: reloading after the run failed: ${String(thrown)}`));
        }
      }),
    ];
  }

  private scheduleLivePush(): void {
    if (this.liveAwaitingPage) {
      this.livePending = true;
      return;
    }
    if (this.liveTimer || !this.ready || this.load.ok) return;
    const wait = Math.max(0, this.lastLivePost + LIVE_INTERVAL_MS - Date.now());
    this.liveTimer = setTimeout(() => {
      this.liveTimer = undefined;
      this.pushLive();
    }, wait);
  }

  /** Sends the running run's results so far; false when there are none (no live run, or results.json exists). */
  private pushLive(): boolean {
    const live = this.liveResults();
    if (this.isDisposed || !this.ready || !live) return false;
    this.lastLivePost = Date.now();
    this.liveAwaitingPage = true;
    this.livePending = false;
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
      if (!ok) return;
      this.liveUpdates++;
      this.liveRows = { min: Math.min(this.liveRows?.min ?? rows, rows), max: Math.max(this.liveRows?.max ?? rows, rows) };
    });
    return true;
  }

  private pollWhileMissing(): void {
    const missing = !this.load.ok && this.load.missing;
    if (!missing) {
      clearInterval(this.pollTimer);
      this.pollTimer = undefined;
    } else if (!this.pollTimer) {
      this.pollTimer = setInterval(() => {
        vscode.workspace.fs.stat(resultsFileOf(this.runDir)).then(
          () => this.scheduleReload(),
          () => undefined, // still missing
        );
      }, MISSING_POLL_MS);
    }
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
      readyCount: this.readyCount,
      ...(this.lastExport ? { lastExport: this.lastExport.toString() } : {}),
      framesServed: this.framesServed,
      frameErrors: this.frameErrors,
      ...(this.lastFrameError ? { lastFrameError: this.lastFrameError } : {}),
      liveUpdates: this.liveUpdates,
      reloads: this.reloads,
      ...(this.liveRows ? { liveRows: { ...this.liveRows } } : {}),
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
      this.deps.log.error(`results panel ${this.panel.title}: ${message.type} failed: ${thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown)}`);
    });
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        if (message.protocol !== WEBVIEW_PROTOCOL_VERSION) {
          this.deps.log.warn(`results panel: the page speaks protocol ${message.protocol}, the extension ${WEBVIEW_PROTOCOL_VERSION}`);
        }
        this.ready = true;
        this.readyCount++;
        this.liveAwaitingPage = false; // a reloaded page has no update in flight
        this.post({ type: 'session', session: this.session });
        await this.pushContent();
        return;
      case 'export': {
        const outcome = await this.deps.exports.save(this.runDir, message.fileName, message.format, message.data);
        if (outcome.ok) this.lastExport = outcome.file;
        this.post({ type: 'exportDone', requestId: message.requestId, ok: outcome.ok, ...(!outcome.ok && outcome.message ? { message: outcome.message } : {}) });
        return;
      }
      case 'pickCompareRuns':
        await this.pickCompareRuns();
        this.post({ type: 'compareRuns', requestId: message.requestId, runs: await this.compareTexts() });
        return;
      case 'frame': {
        const answer = this.status === 'live'
          ? ({ type: 'error', requestId: message.requestId, message: 'Overlay frames can be shown once the run has finished.' } as const)
          : await this.frames.answer(message, this.load.ok ? this.load.results : undefined);
        if (answer.type === 'frame') this.framesServed++;
        else if (answer.type === 'error') {
          this.frameErrors++;
          this.lastFrameError = answer.message;
          this.deps.log.warn(`results panel ${this.panel.title}: frame ${message.series} #${message.input} @ ${message.value}: ${answer.message}`);
        }
        this.post(answer);
        return;
      }
      case 'log':
        this.deps.log[message.level](`results panel ${this.panel.title}: ${message.message}`);
        return;
      case 'liveShown':
        this.liveAwaitingPage = false;
        if (this.livePending) this.scheduleLivePush();
        return;
    }
  }

  /** Sends the run (its results so far while it goes, or why it cannot be shown) to the page. */
  private async pushContent(): Promise<void> {
    this.compareCache = await this.compareTexts();
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

  private async compareTexts(): Promise<string[]> {
    const loads = await Promise.all(this.compare.map(loadRun));
    return loads.flatMap((load, i) => {
      if (load.ok) return [load.text];
      this.deps.log.warn(`results panel: not comparing with ${displayPath(this.compare[i])}: ${load.problem}`);
      return [];
    });
  }

  /** Quick pick of the other finished runs of this experiment; updates `compare` unless cancelled. */
  private async pickCompareRuns(): Promise<void> {
    if (!this.load.ok) return;
    const name = this.load.results.experiment.content.name;
    const others = await siblingRuns(this.runDir, name, (dir, problem) => this.deps.log.warn(`results panel: skipped ${displayPath(dir)}: ${problem}`));
    if (others.length === 0) {
      void vscode.window.showInformationMessage(`misas: no other finished runs of "${name}" next to this one (${displayPath(vscode.Uri.joinPath(this.runDir, '..'))}).`);
      return;
    }
    const items = others.map((run) => ({
      label: localTime(new Date(run.results.timing.startedAt)),
      description: runDescription(run.results),
      picked: this.compare.some((dir) => sameFolder(dir, run.runDir)),
      runDir: run.runDir,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      canPickMany: true,
      title: `Compare with other runs of ${name}`,
      placeHolder: 'Tick the runs to draw on the same axes (dashed lines)',
      matchOnDescription: true,
    });
    if (!picked) return;
    this.compare = picked.map((item) => item.runDir);
    this.post({ type: 'session', session: this.session });
  }

  private scheduleReload(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reload().catch((thrown: unknown) => this.deps.log.error(`results panel: reloading ${displayPath(resultsFileOf(this.runDir))} failed: ${String(thrown)}`));
    }, RELOAD_DELAY_MS);
  }

  /** results.json changed on disk: read it again and resend. */
  async reload(): Promise<void> {
    // Watchers, the poll and the run's end all say "changed"; read the file only when it did.
    const stamp = await statStamp(resultsFileOf(this.runDir));
    // The same stamp: this file was read (or is being read by the reload just before this one).
    if (stamp !== undefined && stamp === this.loadedStamp) return;
    this.loadedStamp = stamp;
    this.reloads++;
    this.load = await loadRun(this.runDir);
    if (this.isDisposed) return;
    this.pollWhileMissing();
    this.panel.title = this.title();
    if (this.load.ok) this.notifiedProblem = undefined;
    else if (!this.liveResults()) this.notify(this.load);
    this.deps.log.info(`results panel: ${displayPath(resultsFileOf(this.runDir))} changed; ${this.load.ok ? 'showing it again' : this.load.problem}`);
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
    clearTimeout(this.reloadTimer);
    clearTimeout(this.liveTimer);
    clearInterval(this.pollTimer);
    this.panel.dispose();
    for (const disposable of this.disposables) disposable.dispose();
    this.disposed.fire();
    this.disposed.dispose();
  }
}

/** Size and modification time of a file, or undefined when it cannot be stat'ed. */
async function statStamp(file: vscode.Uri): Promise<string | undefined> {
  try {
    const { size, mtime } = await vscode.workspace.fs.stat(file);
    return `${size}:${mtime}`;
  } catch {
    return undefined;
  }
}
