/**
 * The fit-check panel (browser bundle dist/fit.js, stylesheet dist/fit.css): the ranked table
 * of conventions and a button that writes the winner into the model card. Everything shown
 * arrives as text from the extension after the `ready` handshake.
 */
import './fit.css';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { FitPanelHostMessage, FitPanelMessage, FitPanelView } from '../../src/protocol/fitPanel';

interface VsCodeApi {
  postMessage(message: FitPanelMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root')!;

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function table(view: FitPanelView): HTMLTableElement {
  const result = element('table');
  result.createCaption().textContent = 'Conventions, best first';
  const head = result.createTHead().insertRow();
  for (const name of view.header) {
    const cell = element('th', name);
    cell.scope = 'col';
    head.append(cell);
  }
  const body = result.createTBody();
  view.rows.forEach((cells, index) => {
    const row = body.insertRow();
    if (index === 0) row.className = 'winner';
    cells.forEach((text, column) => {
      const cell = column === 0 ? element('th', text) : element('td', text);
      if (column === 0) (cell as HTMLTableCellElement).scope = 'row';
      row.append(cell);
    });
  });
  return result;
}

let status: HTMLElement;
let writeButton: HTMLElement;
let openButton: HTMLElement;

function show(view: FitPanelView): void {
  const heading = element('h1', `Fit check: ${view.model}`);
  const summary = element('div', undefined, 'summary');
  for (const line of view.summary) summary.append(element('p', line));
  const notes = element('div', undefined, 'notes');
  for (const line of view.notes) notes.append(element('p', line));
  const actions = element('div', undefined, 'actions');
  writeButton = element('vscode-button', 'Write to model card');
  writeButton.id = 'write-card';
  writeButton.addEventListener('click', () => vscode.postMessage({ type: 'writeCard' }));
  openButton = element('vscode-button', 'Open model card');
  openButton.id = 'open-card';
  openButton.setAttribute('secondary', '');
  openButton.hidden = !view.card.exists;
  openButton.addEventListener('click', () => vscode.postMessage({ type: 'openCard' }));
  status = element('p', `${view.card.exists ? 'Updates' : 'Writes'} ${view.card.file}: ${view.card.fields}.`, 'status');
  status.setAttribute('role', 'status');
  actions.append(writeButton, openButton);
  root.replaceChildren(heading, summary, table(view), notes, actions, status);
}

window.addEventListener('message', (event: MessageEvent<FitPanelHostMessage>) => {
  const message = event.data;
  if (message.type === 'view') show(message.view);
  else if (message.type === 'cardWritten') {
    status.textContent = `Written to ${message.file}: ${message.fields}.`;
    status.className = 'status done';
    openButton.hidden = false;
  } else if (message.type === 'cardNotWritten') {
    status.textContent = message.message;
    status.className = message.error ? 'status error' : 'status';
  }
});

vscode.postMessage({ type: 'ready' });
