/**
 * What a results panel is showing and has done, for tests and automation
 * (`misas.internal.resultsPanels`). The counts are only reported: nothing in the panel decides
 * anything by them.
 */
import type * as vscode from 'vscode';
import type { HostMessage } from '../../protocol/webview';

/** live: showing the results so far of a run that is still going. */
export type PanelStatus = 'loading' | 'shown' | 'live' | 'problem';

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

/** The counted part of a snapshot. */
export class PanelCounts {
  readyCount = 0;
  reloads = 0;
  lastExport?: vscode.Uri;
  private framesServed = 0;
  private frameErrors = 0;
  private lastFrameError?: string;
  private liveUpdates = 0;
  private liveRows?: { min: number; max: number };

  frameAnswered(answer: HostMessage): void {
    if (answer.type === 'frame') this.framesServed++;
    else if (answer.type === 'error') {
      this.frameErrors++;
      this.lastFrameError = answer.message;
    }
  }

  /** The page received results so far with this many rows. */
  liveDelivered(rows: number): void {
    this.liveUpdates++;
    this.liveRows = {
      min: Math.min(this.liveRows?.min ?? rows, rows),
      max: Math.max(this.liveRows?.max ?? rows, rows),
    };
  }

  fields(): Pick<
    ResultsPanelSnapshot,
    | 'readyCount'
    | 'lastExport'
    | 'framesServed'
    | 'frameErrors'
    | 'lastFrameError'
    | 'liveUpdates'
    | 'reloads'
    | 'liveRows'
  > {
    return {
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
}
