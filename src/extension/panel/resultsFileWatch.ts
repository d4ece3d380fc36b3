/**
 * Notices when a panel's results.json appears, changes or goes away: a file watcher, a poll
 * while the file is missing, a short wait after the last change, and a stamp (size and
 * modification time) so that a file already read is not read again.
 */
import * as vscode from 'vscode';
import { RESULTS_FILE, resultsFileOf } from './runFiles';

/** Waits this long after the last change to results.json before reading it (writers rename, then touch). */
const RELOAD_DELAY_MS = 150;
/**
 * While results.json is missing, also look for it this often: file watchers miss files in
 * folders created in one go (inotify watches are added to new folders after the fact), which is
 * how a first run's folder appears.
 */
const MISSING_POLL_MS = 1000;

export class ResultsFileWatch implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[];
  private reloadTimer?: ReturnType<typeof setTimeout>;
  private pollTimer?: ReturnType<typeof setInterval>;
  /** results.json's size and modification time when last read: unchanged files are not read again. */
  private loadedStamp?: string;

  /** `changed` is called (RELOAD_DELAY_MS after the last sign of a change) to read the file again. */
  constructor(
    private readonly runDir: vscode.Uri,
    private readonly changed: () => void,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(runDir, RESULTS_FILE));
    const schedule = () => this.schedule();
    this.disposables = [
      watcher,
      watcher.onDidCreate(schedule),
      watcher.onDidChange(schedule),
      watcher.onDidDelete(schedule),
    ];
  }

  private schedule(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => this.changed(), RELOAD_DELAY_MS);
  }

  /** Polls for the file while it is missing (as last read); stops once it is there. */
  pollWhileMissing(missing: boolean): void {
    if (!missing) {
      clearInterval(this.pollTimer);
      this.pollTimer = undefined;
    } else if (!this.pollTimer) {
      this.pollTimer = setInterval(() => {
        vscode.workspace.fs.stat(resultsFileOf(this.runDir)).then(
          () => this.schedule(),
          () => undefined, // still missing
        );
      }, MISSING_POLL_MS);
    }
  }

  /**
   * Whether the file should be read: false when it has the stamp of the last read (watchers, the
   * poll and the run's end all say "changed"; the reload just before may be reading it already).
   */
  async differsFromLastRead(): Promise<boolean> {
    const stamp = await statStamp(resultsFileOf(this.runDir));
    if (stamp !== undefined && stamp === this.loadedStamp) return false;
    this.loadedStamp = stamp;
    return true;
  }

  dispose(): void {
    clearTimeout(this.reloadTimer);
    clearInterval(this.pollTimer);
    for (const disposable of this.disposables) disposable.dispose();
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
