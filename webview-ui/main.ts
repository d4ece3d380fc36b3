/**
 * Results panel entry (browser bundle dist/webview.js, stylesheet dist/webview.css). In a VS Code
 * webview the results arrive by message after the `ready` handshake; in a standalone report they
 * are inlined in a `<script type="application/json" id="misas-data">` block (an array of
 * results.json texts: the run, then the runs to compare with it).
 */
import './styles.css';
import { resultsFromJson } from '../src/engine/report/results';
import type { LiveProgress } from './data/live-run';
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
  // `live`: the run is still going (the header says how far; run exports wait for the end).
  const show = (app: ResultsApp, primary: string, compare: readonly string[], live?: LiveProgress) => {
    try {
      app.show(resultsFromJson(primary), compare.map(resultsFromJson), live);
    } catch (error) {
      fail(root, `misas: these results cannot be shown (${error instanceof Error ? error.message : String(error)}).`);
    }
  };
  if (inWebview()) {
    // The app needs the host (state, exports); the host needs somewhere to deliver messages.
    // Messages that arrive before the app exists wait in `early`.
    const early: Array<(app: ResultsApp) => void> = [];
    const target: { app?: ResultsApp } = {};
    const deliver = (action: (app: ResultsApp) => void) => (target.app ? action(target.app) : early.push(action));
    target.app = new ResultsApp(
      root,
      webviewHost({
        onResults: (primary, compare, live) => deliver((app) => show(app, primary, compare, live)),
        onProblem: (message) => deliver(() => fail(root, message)),
      }),
    );
    for (const action of early) action(target.app);
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
