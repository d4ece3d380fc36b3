/** Model inspection reports as read-only documents (a virtual `misas-inspect:` scheme). */
import * as vscode from 'vscode';

export const INSPECT_SCHEME = 'misas-inspect';

export class InspectReports implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly reports = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(INSPECT_SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.reports.get(uri.toString()) ?? '';
  }

  /** Opens (or refreshes) the report for one model file. */
  async show(model: vscode.Uri, report: string): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({
      scheme: INSPECT_SCHEME,
      path: `/${model.path.split('/').pop()} (inspection).txt`,
      query: model.toString(),
    });
    this.reports.set(uri.toString(), report);
    this.changed.fire(uri);
    return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
