/**
 * Messages between the results panel (webview-ui/) and the extension. VS Code serialises
 * webview messages like JSON (Infinity would turn into null), so results travel as the text of
 * results.json (`resultsToJson`) and the webview decodes them with `resultsFromJson`; pixels
 * travel as ArrayBuffers. Every message from the webview is untrusted input: the extension
 * passes it through `parseWebviewMessage` before acting on it.
 */

export const WEBVIEW_PROTOCOL_VERSION = 1;

export type ExportFormat = 'csv' | 'json' | 'svg' | 'png' | 'gif';

/** Messages the webview sends. `requestId` pairs a request with the host's reply. */
export type WebviewMessage =
  /** The page has loaded and listens: the host answers with `results`. */
  | { type: 'ready'; protocol: number }
  /** Save a file the user exported (a webview cannot download): text for csv/json/svg, bytes for png/gif. */
  | { type: 'export'; requestId: number; format: ExportFormat; fileName: string; data: string | ArrayBuffer }
  /** Ask the host to let the user pick other runs of the same experiment to compare (the panel's Compare… button; the HTML report has no host and no button). */
  | { type: 'pickCompareRuns'; requestId: number }
  /** One overlay frame for the panel's viewer: the input at one sweep value, with truth and prediction (of the run's model `model`, default 0). */
  | { type: 'frame'; requestId: number; series: string; input: number; value: number; slice?: number; model?: number }
  /** A problem the page hit, for the extension's log. */
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  /**
   * The page has drawn the live results it was sent last: the host sends the next live update
   * only after this, so a page that renders slower than rows arrive is never flooded.
   */
  | { type: 'liveShown' };

/**
 * What a VS Code results panel shows, as the webview keeps it in its state (`session` key):
 * after a window reload the extension's WebviewPanelSerializer reopens the panel from it.
 * Folder URIs as strings (`Uri.toString()`).
 */
export interface PanelSession {
  runDir: string;
  compare: string[];
}

/** Messages the host sends. */
export type HostMessage =
  /**
   * The run to show (`primary`) and runs to compare with it, each as results.json text. `live`:
   * the run is still going and `primary` holds the steps so far (`done` of `total`); the final
   * results follow when it ends.
   */
  | { type: 'results'; primary: string; compare: string[]; live?: { done: number; total: number } }
  /** Sent first after `ready` in a VS Code panel: the webview stores it in its state. */
  | { type: 'session'; session: PanelSession }
  /** The run cannot be shown (e.g. results.json missing or corrupt): the page shows `message` until `results` arrive. */
  | { type: 'problem'; message: string }
  /** Answer to `export`: whether the file was written; `ok: false` without a message means the user cancelled. */
  | { type: 'exportDone'; requestId: number; ok: boolean; message?: string }
  /** Answer to `pickCompareRuns`: results.json texts of the runs to compare now (the previous ones when the user cancelled). */
  | { type: 'compareRuns'; requestId: number; runs: string[] }
  /**
   * Answer to `frame`: planar pixels per layer. `image` is float32, `truth` and `prediction` are
   * class indices (uint8, or uint16 when `labelBytes` is 2), all `width`×`height`, first axis
   * fastest. `range` is the image's [min, max]; `pseudoTruth`: the truth is the prediction on the
   * untransformed input; volumes say how many `slices` there are and which `slice` this is.
   */
  | {
      type: 'frame';
      requestId: number;
      width: number;
      height: number;
      image: ArrayBuffer;
      truth?: ArrayBuffer;
      prediction: ArrayBuffer;
      labelBytes?: 1 | 2;
      range?: [number, number];
      pseudoTruth?: boolean;
      slices?: number;
      slice?: number;
    }
  | { type: 'error'; requestId: number; message: string };

const EXPORT_FORMATS: readonly string[] = ['csv', 'json', 'svg', 'png', 'gif'];
/** Formats sent as bytes (an ArrayBuffer); the others are text. */
const BINARY_FORMATS: readonly string[] = ['png', 'gif'];
const LOG_LEVELS: readonly string[] = ['info', 'warn', 'error'];
/** Exported files are named by the webview; keep them plain names the host can join to a folder. */
const SAFE_FILE_NAME = /^[\w][\w .()+-]{0,120}$/;
const MAX_LOG_LENGTH = 4000;
const MAX_URI_LENGTH = 4096;
const MAX_COMPARE_RUNS = 50;

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
  const binary = BINARY_FORMATS.includes(m.format);
  if (binary ? !(m.data instanceof ArrayBuffer) : typeof m.data !== 'string') return null;
  return {
    type: 'export',
    requestId: m.requestId,
    format: m.format as ExportFormat,
    fileName: m.fileName,
    data: m.data as string | ArrayBuffer,
  };
}

function parseFrame(m: Fields): WebviewMessage | null {
  if (!isRequestId(m.requestId) || typeof m.series !== 'string' || !isRequestId(m.input) || !isFiniteNumber(m.value))
    return null;
  if (m.slice !== undefined && !isRequestId(m.slice)) return null;
  if (m.model !== undefined && !isRequestId(m.model)) return null;
  return {
    type: 'frame',
    requestId: m.requestId,
    series: m.series,
    input: m.input,
    value: m.value,
    ...(m.slice !== undefined ? { slice: m.slice as number } : {}),
    ...(m.model !== undefined ? { model: m.model as number } : {}),
  };
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
    case 'liveShown':
      return { type: 'liveShown' };
    case 'log':
      if (typeof m.level !== 'string' || !LOG_LEVELS.includes(m.level) || typeof m.message !== 'string') return null;
      return { type: 'log', level: m.level as 'info' | 'warn' | 'error', message: m.message.slice(0, MAX_LOG_LENGTH) };
    default:
      return null;
  }
}

/**
 * The `session` part of a webview's saved state, checked (the state is the webview's, so it is
 * untrusted like its messages): null when missing or malformed.
 */
export function parsePanelSession(value: unknown): PanelSession | null {
  if (typeof value !== 'object' || value === null) return null;
  const { runDir, compare } = value as Fields;
  if (typeof runDir !== 'string' || runDir.length === 0 || runDir.length > MAX_URI_LENGTH) return null;
  if (
    !Array.isArray(compare) ||
    compare.length > MAX_COMPARE_RUNS ||
    !compare.every((uri) => typeof uri === 'string' && uri.length > 0 && uri.length <= MAX_URI_LENGTH)
  )
    return null;
  return { runDir, compare: [...(compare as string[])] };
}

function isLiveProgress(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { done, total } = value as Fields;
  return isRequestId(done) && isRequestId(total);
}

/** The webview's check of what the host sends (the host is trusted; this guards version skew). */
export function isHostMessage(message: unknown): message is HostMessage {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Fields;
  switch (m.type) {
    case 'results':
      return (
        typeof m.primary === 'string' &&
        Array.isArray(m.compare) &&
        m.compare.every((run) => typeof run === 'string') &&
        (m.live === undefined || isLiveProgress(m.live))
      );
    case 'session':
      return parsePanelSession(m.session) !== null;
    case 'problem':
      return typeof m.message === 'string';
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
