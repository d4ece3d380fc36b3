/**
 * Results panel entry (browser bundle dist/webview.js, stylesheet dist/webview.css). In a VS Code
 * webview the results arrive by message after the `ready` handshake; in a standalone report they
 * are inlined in a `<script type="application/json" id="misas-data">` block (an array of
 * results.json texts: the run, then the runs to compare with it).
 */
import './styles.css';
import { resultsFromJson } from '../src/engine/report/results';
import { inWebview, standaloneHost, webviewHost } from './host';
import { ResultsApp } from './ui/app';

function fail(root: HTMLElement, message: string): void {
  const box = document.createElement('p');
  box.className = 'notice error';
  box.textContent = message;
  root.replaceChildren(box);
}

function start(): void {
  const root = document.getElementById('root');
  if (!root) return;
  const show = (app: ResultsApp, primary: string, compare: readonly string[]) => {
    try {
      app.show(resultsFromJson(primary), compare.map(resultsFromJson));
    } catch (error) {
      fail(root, `misas: these results cannot be shown (${error instanceof Error ? error.message : String(error)}).`);
    }
  };
  if (inWebview()) {
    // The app needs the host (state, exports); the host needs somewhere to deliver results.
    const pending: Array<[string, string[]]> = [];
    let deliver: (primary: string, compare: string[]) => void = (primary, compare) => {
      pending.push([primary, compare]);
    };
    const app = new ResultsApp(root, webviewHost((primary, compare) => deliver(primary, compare)));
    deliver = (primary, compare) => show(app, primary, compare);
    for (const [primary, compare] of pending) show(app, primary, compare);
    return;
  }
  const inline = document.getElementById('misas-data')?.textContent;
  if (!inline) {
    fail(root, 'misas: no results loaded.');
    return;
  }
  document.body.classList.add('misas-standalone');
  const runs = JSON.parse(inline) as string[];
  show(new ResultsApp(root, standaloneHost()), runs[0], runs.slice(1));
}

start();
