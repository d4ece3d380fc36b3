/**
 * Messages between the results panel (webview-ui/) and the extension. VS Code serialises
 * webview messages like JSON (Infinity would turn into null), so results travel as the text of
 * results.json (`resultsToJson`) and the webview decodes them with `resultsFromJson`; pixels
 * travel as ArrayBuffers. Every message from the webview is untrusted input: the extension
 * passes it through `parseWebviewMessage` before acting on it.
 */

export const WEBVIEW_PROTOCOL_VERSION = 1;

export type ExportFormat = 'csv' | 'json' | 'svg' | 'png';

/** Messages the webview sends. `requestId` pairs a request with the host's reply. */
export type WebviewMessage =
  /** The page has loaded and listens: the host answers with `results`. */
  | { type: 'ready'; protocol: number }
  /** Save a file the user exported (a webview cannot download): text for csv/json/svg, bytes for png. */
  | { type: 'export'; requestId: number; format: ExportFormat; fileName: string; data: string | ArrayBuffer }
  /** Ask the host to let the user pick other runs of the same experiment to compare (phase 2 UI). */
  | { type: 'pickCompareRuns'; requestId: number }
  /** One overlay frame (phase 2): the input at one sweep value, with truth and prediction. */
  | { type: 'frame'; requestId: number; series: string; input: number; value: number; slice?: number }
  /** A problem the page hit, for the extension's log. */
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

/** Messages the host sends. */
export type HostMessage =
  /** The run to show (`primary`) and runs to compare with it, each as results.json text. */
  | { type: 'results'; primary: string; compare: string[] }
  /** Answer to `export`: whether the file was written (the user may cancel the save dialog). */
  | { type: 'exportDone'; requestId: number; ok: boolean; message?: string }
  /** Answer to `pickCompareRuns`: results.json texts of the chosen runs (empty when cancelled). */
  | { type: 'compareRuns'; requestId: number; runs: string[] }
  /**
   * Answer to `frame` (phase 2): planar pixels per layer. `image` is float32, `truth` and
   * `prediction` are uint8 class indices, all `width`×`height`, first axis fastest.
   */
  | { type: 'frame'; requestId: number; width: number; height: number; image: ArrayBuffer; truth?: ArrayBuffer; prediction: ArrayBuffer }
  | { type: 'error'; requestId: number; message: string };

const EXPORT_FORMATS: readonly string[] = ['csv', 'json', 'svg', 'png'];
const LOG_LEVELS: readonly string[] = ['info', 'warn', 'error'];
/** Exported files are named by the webview; keep them plain names the host can join to a folder. */
const SAFE_FILE_NAME = /^[\w][\w .()+-]{0,120}$/;
const MAX_LOG_LENGTH = 4000;

type Fields = Record<string, unknown>;

function isRequestId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function parseExport(m: Fields): WebviewMessage | null {
  if (!isRequestId(m.requestId) || typeof m.format !== 'string' || !EXPORT_FORMATS.includes(m.format)) return null;
  if (typeof m.fileName !== 'string' || !SAFE_FILE_NAME.test(m.fileName) || m.fileName.includes('..')) return null;
  const binary = m.format === 'png';
  if (binary ? !(m.data instanceof ArrayBuffer) : typeof m.data !== 'string') return null;
  return { type: 'export', requestId: m.requestId, format: m.format as ExportFormat, fileName: m.fileName, data: m.data as string | ArrayBuffer };
}

function parseFrame(m: Fields): WebviewMessage | null {
  if (!isRequestId(m.requestId) || typeof m.series !== 'string' || !isRequestId(m.input) || !isFiniteNumber(m.value)) return null;
  if (m.slice !== undefined && !isRequestId(m.slice)) return null;
  return { type: 'frame', requestId: m.requestId, series: m.series, input: m.input, value: m.value, ...(m.slice !== undefined ? { slice: m.slice as number } : {}) };
}

/**
 * A message from the webview, checked field by field and rebuilt (extra fields dropped), or
 * null when it is not one the protocol knows.
 */
export function parseWebviewMessage(message: unknown): WebviewMessage | null {
  if (typeof message !== 'object' || message === null) return null;
  const m = message as Fields;
  switch (m.type) {
    case 'ready':
      return isRequestId(m.protocol) ? { type: 'ready', protocol: m.protocol } : null;
    case 'export':
      return parseExport(m);
    case 'pickCompareRuns':
      return isRequestId(m.requestId) ? { type: 'pickCompareRuns', requestId: m.requestId } : null;
    case 'frame':
      return parseFrame(m);
    case 'log':
      if (typeof m.level !== 'string' || !LOG_LEVELS.includes(m.level) || typeof m.message !== 'string') return null;
      return { type: 'log', level: m.level as 'info' | 'warn' | 'error', message: m.message.slice(0, MAX_LOG_LENGTH) };
    default:
      return null;
  }
}

/** The webview's check of what the host sends (the host is trusted; this guards version skew). */
export function isHostMessage(message: unknown): message is HostMessage {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Fields;
  switch (m.type) {
    case 'results':
      return typeof m.primary === 'string' && Array.isArray(m.compare) && m.compare.every((run) => typeof run === 'string');
    case 'exportDone':
      return isRequestId(m.requestId) && typeof m.ok === 'boolean';
    case 'compareRuns':
      return isRequestId(m.requestId) && Array.isArray(m.runs) && m.runs.every((run) => typeof run === 'string');
    case 'frame':
      return isRequestId(m.requestId) && m.image instanceof ArrayBuffer && m.prediction instanceof ArrayBuffer;
    case 'error':
      return isRequestId(m.requestId) && typeof m.message === 'string';
    default:
      return false;
  }
}
