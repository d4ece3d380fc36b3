/**
 * Where the panel runs: inside a VS Code webview (files are saved by the extension, state
 * survives hiding through getState/setState) or in a standalone report (files are downloaded
 * through blob URLs, state lives only as long as the page).
 */
import { isHostMessage, WEBVIEW_PROTOCOL_VERSION, type ExportFormat, type HostMessage, type WebviewMessage } from '../src/protocol/webview';

export interface Host {
  kind: 'webview' | 'standalone';
  save(fileName: string, format: ExportFormat, data: string | ArrayBuffer): Promise<void>;
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

/**
 * The webview side of src/protocol/webview.ts: posts `ready`, hands every `results` message to
 * `onResults`, and pairs requests with replies by id.
 */
export function webviewHost(onResults: (primary: string, compare: string[]) => void): Host {
  const api = acquireVsCodeApi();
  let nextId = 1;
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  window.addEventListener('message', (event: MessageEvent) => {
    const message: unknown = event.data;
    if (!isHostMessage(message)) return;
    handle(message);
  });
  function handle(message: HostMessage): void {
    if (message.type === 'results') {
      onResults(message.primary, message.compare);
    } else if (message.type === 'exportDone' || message.type === 'error') {
      const request = pending.get(message.requestId);
      pending.delete(message.requestId);
      if (!request) return;
      if (message.type === 'exportDone' && message.ok) request.resolve();
      else request.reject(new Error(message.message ?? 'export cancelled'));
    }
  }
  api.postMessage({ type: 'ready', protocol: WEBVIEW_PROTOCOL_VERSION });
  return {
    kind: 'webview',
    save(fileName, format, data) {
      const requestId = nextId++;
      return new Promise<void>((resolve, reject) => {
        pending.set(requestId, { resolve, reject });
        api.postMessage({ type: 'export', requestId, format, fileName, data });
      });
    },
    getState: <T>() => (api.getState() ?? undefined) as T | undefined,
    setState: (state) => api.setState(state),
    log: (level, message) => api.postMessage({ type: 'log', level, message }),
  };
}

export function inWebview(): boolean {
  return typeof globalThis.acquireVsCodeApi === 'function';
}
