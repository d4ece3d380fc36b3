/**
 * Messages between the extension and the fit-check panel (webview-ui/fit). The extension
 * prepares everything as text (the page only lays it out); the page asks for the card to be
 * written or opened.
 */

/** The fit check as the panel shows it. */
export interface FitPanelView {
  /** The model, relative to the workspace. */
  model: string;
  /** Sentences above the table: how it was ranked, what was fixed, what was tried. */
  summary: string[];
  /** Notes below the table: near ties, what is still assumed, timing. */
  notes: string[];
  header: string[];
  rows: string[][];
  /** The card the button writes: its path (relative), whether it exists, and the fields it would get. */
  card: { file: string; exists: boolean; fields: string };
}

export type FitPanelHostMessage =
  | { type: 'view'; view: FitPanelView }
  /** The card was written: `fields` says what went in. */
  | { type: 'cardWritten'; file: string; fields: string }
  /** Writing was declined (the user kept the existing card) or failed (`error`). */
  | { type: 'cardNotWritten'; message: string; error: boolean };

export type FitPanelMessage = { type: 'ready' } | { type: 'writeCard' } | { type: 'openCard' };
