/**
 * The fit-check panel: one webview per model with the ranked table (strict CSP, the page is
 * dist/fit.js) and a "Write to model card" button. Writing goes through the same function as
 * `misas fit --write-card`; an existing card is updated only after a modal confirmation.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { sidecarPath } from '../../engine/model/sidecar';
import { writableFitFields, writeFitCard } from '../../engine/model/fit/cardFile';
import {
  assumedSentence,
  fitTable,
  fixedSentence,
  rankingSentence,
  tiesSentence,
  timingSentence,
  triedSentence,
} from '../../engine/model/fit/describe';
import type { FitReport } from '../../engine/model/fit/types';
import type { FitPanelHostMessage, FitPanelMessage, FitPanelView } from '../../protocol/fitPanel';
import { contentSecurityPolicy } from '../webviewHtml';
import { newNonce } from '../panel/naming';
import { exists } from '../fileExists';

export const FIT_PANEL_VIEW_TYPE = 'misas.fitCheck';

/** What a test sees of a fit panel. */
export interface FitPanelSnapshot {
  model: string;
  winner: string;
  rows: number;
  /** The last card message sent to the page ('' before any). */
  cardStatus: string;
}

const relative = (file: string) => vscode.workspace.asRelativePath(file, false);

function fieldsText(report: FitReport): string {
  return Object.entries(writableFitFields(report))
    .map(([field, value]) => `${field} ${JSON.stringify(value)}`)
    .join(', ');
}

export async function fitPanelView(report: FitReport): Promise<FitPanelView> {
  const { header, rows } = fitTable(report);
  const inputs = report.inputs.map(
    (input) => `${relative(input.image)}${input.mask ? ` (mask ${relative(input.mask)})` : ' (no mask)'}`,
  );
  const defined = (lines: (string | undefined)[]) => lines.filter((line): line is string => line !== undefined);
  return {
    model: relative(report.model),
    summary: defined([
      rankingSentence(report),
      `images: ${inputs.join(', ')}`,
      fixedSentence(report),
      triedSentence(report),
    ]),
    notes: defined([tiesSentence(report), assumedSentence(report), timingSentence(report)]),
    header,
    rows,
    card: {
      file: relative(sidecarPath(report.model)),
      exists: await exists(vscode.Uri.file(sidecarPath(report.model))),
      fields: fieldsText(report) || 'nothing (the card fixes every tested convention)',
    },
  };
}

class FitPanel {
  cardStatus = '';
  private report: FitReport;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    report: FitReport,
    private readonly log: vscode.LogOutputChannel,
    onDispose: () => void,
  ) {
    this.report = report;
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: FitPanelMessage) => void this.handle(message)),
      panel.onDidDispose(() => {
        onDispose();
        for (const disposable of this.disposables) disposable.dispose();
      }),
    );
  }

  update(report: FitReport): void {
    this.report = report;
    this.cardStatus = '';
    void this.sendView();
  }

  snapshot(): FitPanelSnapshot {
    return {
      model: this.report.model,
      winner: this.report.candidates[0]?.label ?? '',
      rows: this.report.candidates.length,
      cardStatus: this.cardStatus,
    };
  }

  async handle(message: FitPanelMessage): Promise<void> {
    if (message.type === 'ready') return this.sendView();
    if (message.type === 'openCard') {
      await vscode.window.showTextDocument(vscode.Uri.file(sidecarPath(this.report.model)), {
        viewColumn: vscode.ViewColumn.Beside,
      });
      return;
    }
    await this.writeCard();
  }

  private async sendView(): Promise<void> {
    await this.post({ type: 'view', view: await fitPanelView(this.report) });
  }

  private async post(message: FitPanelHostMessage): Promise<void> {
    if (message.type !== 'view')
      this.cardStatus = message.type === 'cardWritten' ? `written: ${message.fields}` : message.message;
    await this.panel.webview.postMessage(message);
  }

  private async writeCard(): Promise<void> {
    const file = sidecarPath(this.report.model);
    const existing = await exists(vscode.Uri.file(file));
    if (existing) {
      const update = 'Update Card';
      const answer = await vscode.window.showWarningMessage(
        `${path.basename(file)} exists. Update it with the fit check's ${Object.keys(writableFitFields(this.report)).join(', ')}? Its other fields are kept.`,
        { modal: true },
        update,
      );
      if (answer !== update) {
        await this.post({ type: 'cardNotWritten', message: `Kept ${relative(file)} as it is.`, error: false });
        return;
      }
    }
    try {
      const written = await writeFitCard(this.report, { force: existing });
      this.log.info(`fit check: ${written.replaced ? 'updated' : 'wrote'} ${written.file}: ${fieldsText(this.report)}`);
      await this.post({ type: 'cardWritten', file: relative(written.file), fields: fieldsText(this.report) });
    } catch (thrown) {
      const message = thrown instanceof Error ? thrown.message : String(thrown);
      this.log.error(`fit check: writing ${file} failed: ${message}`);
      await this.post({ type: 'cardNotWritten', message: `Not written: ${message}`, error: true });
    }
  }
}

export class FitPanels implements vscode.Disposable {
  private readonly panels = new Map<string, FitPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  show(report: FitReport): void {
    const open = this.panels.get(report.model);
    if (open) {
      open.update(report);
      open.panel.reveal();
      return;
    }
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel(
      FIT_PANEL_VIEW_TYPE,
      `Fit Check: ${path.basename(report.model)}`,
      vscode.ViewColumn.Active,
      {
        enableScripts: true,
        localResourceRoots: [dist],
      },
    );
    const nonce = newNonce();
    const asset = (name: string) => panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, name)).toString();
    panel.webview.html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(panel.webview.cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Fit Check</title>
<link rel="stylesheet" href="${asset('fit.css')}">
</head>
<body>
<main id="root"><p>Loading the fit check…</p></main>
<script nonce="${nonce}" src="${asset('fit.js')}"></script>
</body>
</html>
`;
    this.panels.set(report.model, new FitPanel(panel, report, this.log, () => this.panels.delete(report.model)));
  }

  snapshots(): FitPanelSnapshot[] {
    return [...this.panels.values()].map((panel) => panel.snapshot());
  }

  /** Delivers a message as if the page of the model's panel had posted it (the extension tests cannot click in a webview). */
  async deliver(model: string, message: FitPanelMessage): Promise<FitPanelSnapshot | undefined> {
    const panel = this.panels.get(model);
    if (!panel) return undefined;
    await panel.handle(message);
    return panel.snapshot();
  }

  dispose(): void {
    for (const panel of this.panels.values()) panel.panel.dispose();
  }
}
