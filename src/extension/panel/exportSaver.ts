/**
 * Saves what the panel exports (a webview cannot write files): a save dialog offering the name
 * the page chose, in the folder used last (kept per workspace), else the run's workspace folder.
 */
import * as vscode from 'vscode';
import type { ExportFormat } from '../../protocol/webview';

const LAST_FOLDER_KEY = 'misas.resultsPanel.lastExportFolder';

const FILTERS: Record<ExportFormat, Record<string, string[]>> = {
  csv: { 'CSV files': ['csv'] },
  json: { 'JSON files': ['json'] },
  svg: { 'SVG images': ['svg'] },
  png: { 'PNG images': ['png'] },
  gif: { 'GIF animations': ['gif'] },
};

export type ExportOutcome = { ok: true; file: vscode.Uri } | { ok: false; message?: string };

export class ExportSaver {
  constructor(
    private readonly memento: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  private defaultFolder(runDir: vscode.Uri): vscode.Uri {
    const last = this.memento.get<string>(LAST_FOLDER_KEY);
    if (last) {
      try {
        return vscode.Uri.parse(last, true);
      } catch {
        // a stale or foreign value: fall through to the defaults
      }
    }
    return vscode.workspace.getWorkspaceFolder(runDir)?.uri ?? runDir;
  }

  /** `fileName` was checked by parseWebviewMessage: a plain name, no folders. */
  async save(
    runDir: vscode.Uri,
    fileName: string,
    format: ExportFormat,
    data: string | ArrayBuffer,
  ): Promise<ExportOutcome> {
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(this.defaultFolder(runDir), fileName),
      filters: FILTERS[format],
      saveLabel: 'Export',
      title: `Export ${fileName}`,
    });
    if (!target) return { ok: false };
    try {
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data);
      await vscode.workspace.fs.writeFile(target, bytes);
    } catch (thrown) {
      const message = `misas: could not write ${target.fsPath}: ${thrown instanceof Error ? thrown.message : String(thrown)}`;
      this.log.error(message);
      void vscode.window.showErrorMessage(message);
      return { ok: false, message };
    }
    await this.memento.update(LAST_FOLDER_KEY, vscode.Uri.joinPath(target, '..').toString());
    this.log.info(`results panel: exported ${target.fsPath}`);
    return { ok: true, file: target };
  }
}
