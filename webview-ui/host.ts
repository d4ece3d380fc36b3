/**
 * Where the panel runs: inside a VS Code webview (files are saved by the extension, state
 * survives hiding through getState/setState) or in a standalone report (files are downloaded
 * through blob URLs, state lives only as long as the page).
 */
import {
  isHostMessage,
  WEBVIEW_PROTOCOL_VERSION,
  type ExportFormat,
  type HostMessage,
  type PanelSession,
  type WebviewMessage,
} from '../src/protocol/webview';
import type { FrameKey, OverlayFrame } from './data/frame-cache';
import type { LiveProgress } from './data/live-run';

export interface Host {
  kind: 'webview' | 'standalone';
  save(fileName: string, format: ExportFormat, data: string | ArrayBuffer): Promise<void>;
  /** Lets the user choose runs to compare (VS Code only): their results.json texts. */
  pickCompareRuns?(): Promise<string[]>;
  /** One overlay frame, computed by the engine (VS Code only: a standalone report has no engine). */
  requestFrame?(key: FrameKey): Promise<OverlayFrame>;
  getState<T>(): T | undefined;
  setState<T>(state: T): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  function acquireVsCodeApi(): VsCodeApi;
}

const MIME: Record<ExportFormat, string> = {
  csv: 'text/csv;charset=utf-8',
  json: 'application/json',
  svg: 'image/svg+xml',
  png: 'image/png',
  gif: 'image/gif',
};

export function standaloneHost(): Host {
  return {
    kind: 'standalone',
    async save(fileName, format, data) {
      const url = URL.createObjectURL(new Blob([data], { type: MIME[format] }));
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      document.body.append(link);
      link.click();
      link.remove();
      // Revoke later: the download starts asynchronously.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
    getState: () => undefined,
    setState: () => undefined,
    log: (level, message) => (level === 'error' ? console.error(message) : undefined),
  };
}

export interface WebviewHostEvents {
  /** `live`: the run is still going; `primary` holds its steps so far (done of total). */
  onResults(primary: string, compare: string[], live?: LiveProgress): void;
  onProblem(message: string): void;
}

interface PendingRequest {
  resolve: (answer?: string[] | OverlayFrame) => void;
  reject: (error: Error) => void;
}

/** The pixels of a `frame` answer as typed arrays. */
export function overlayFrameOf(message: Extract<HostMessage, { type: 'frame' }>): OverlayFrame {
  const Labels = message.labelBytes === 2 ? Uint16Array : Uint8Array;
  const image = new Float32Array(message.image);
  let range = message.range;
  if (!range) {
    range = [Infinity, -Infinity];
    for (const v of image) range = [Math.min(range[0], v), Math.max(range[1], v)];
  }
  return {
    width: message.width,
    height: message.height,
    image,
    range,
    ...(message.truth ? { truth: new Labels(message.truth) } : {}),
    prediction: new Labels(message.prediction),
    pseudoTruth: message.pseudoTruth === true,
    ...(message.slices !== undefined ? { slices: message.slices, slice: message.slice ?? 0 } : {}),
  };
}

/**
 * The webview side of src/protocol/webview.ts: posts `ready`, hands `results` and `problem`
 * messages to `events`, keeps the host's `session` in the saved state (next to the view state,
 * for the extension to restore the panel after a reload) and pairs requests with replies by id.
 */
export function webviewHost(events: WebviewHostEvents): Host {
  const api = acquireVsCodeApi();
  let nextId = 1;
  const pending = new Map<number, PendingRequest>();
  let session = (api.getState() as { session?: PanelSession } | undefined)?.session;
  const withSession = (state: unknown) => (session ? { ...(state as object), session } : state);
  window.addEventListener('message', (event: MessageEvent) => {
    const message: unknown = event.data;
    if (!isHostMessage(message)) return;
    handle(message);
  });
  function handle(message: HostMessage): void {
    if (message.type === 'results') {
      events.onResults(message.primary, message.compare, message.live);
      // Flow control: the host sends the next live update once this one has been drawn.
      if (message.live) requestAnimationFrame(() => setTimeout(() => api.postMessage({ type: 'liveShown' }), 0));
    } else if (message.type === 'problem') {
      events.onProblem(message.message);
    } else if (message.type === 'session') {
      session = message.session;
      api.setState(withSession(api.getState() ?? {}));
    } else if (
      message.type === 'exportDone' ||
      message.type === 'error' ||
      message.type === 'compareRuns' ||
      message.type === 'frame'
    ) {
      const request = pending.get(message.requestId);
      pending.delete(message.requestId);
      if (!request) return;
      if (message.type === 'compareRuns') request.resolve(message.runs);
      else if (message.type === 'frame') request.resolve(overlayFrameOf(message));
      // A cancelled save dialog (ok: false, no message) is not a failure.
      else if (message.type === 'exportDone' && (message.ok || message.message === undefined)) request.resolve();
      else request.reject(new Error(message.message));
    }
  }
  function request(post: (requestId: number) => WebviewMessage): Promise<string[] | OverlayFrame | undefined> {
    const requestId = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(requestId, { resolve, reject });
      api.postMessage(post(requestId));
    });
  }
  api.postMessage({ type: 'ready', protocol: WEBVIEW_PROTOCOL_VERSION });
  return {
    kind: 'webview',
    async save(fileName, format, data) {
      await request((requestId) => ({ type: 'export', requestId, format, fileName, data }));
    },
    async pickCompareRuns() {
      return ((await request((requestId) => ({ type: 'pickCompareRuns', requestId }))) as string[] | undefined) ?? [];
    },
    async requestFrame(key) {
      const { series, input, value, slice, model } = key;
      return (await request((requestId) => ({
        type: 'frame',
        requestId,
        series,
        input,
        value,
        ...(slice !== undefined ? { slice } : {}),
        ...(model ? { model } : {}),
      }))) as OverlayFrame;
    },
    getState: <T>() => (api.getState() ?? undefined) as T | undefined,
    setState: (state) => api.setState(withSession(state)),
    log: (level, message) => api.postMessage({ type: 'log', level, message }),
  };
}

export function inWebview(): boolean {
  return typeof globalThis.acquireVsCodeApi === 'function';
}
