/**
 * Names the results panel shows: its tab title and the compare picker's items. Pure (no
 * `vscode`), so unit tests can check them.
 */
import type { RunResults } from '../../engine/report/results';
import { modelLabels, problemsSummary } from '../runLabels';

const pad = (n: number) => String(n).padStart(2, '0');

/** Local time as "2026-11-27 13:03:09". */
export function localTime(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** "2026-11-27T12-03-09-123Z" (a run folder name, see timestampFolderName) → its date. */
export function dateFromRunFolderName(name: string): Date | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})(?:-(\d{1,3}))?Z$/.exec(name);
  if (!match) return undefined;
  const date = new Date(`${match[1]}T${match[2]}:${match[3]}:${match[4]}.${(match[5] ?? '0').padStart(3, '0')}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function lastSegments(folderPath: string): { run: string; experiment: string } {
  const parts = folderPath.split(/[\\/]+/).filter(Boolean);
  return { run: parts.at(-1) ?? folderPath, experiment: parts.at(-2) ?? '' };
}

/**
 * "<experiment> — <start time>". Without readable results (a run still going, a broken file) the
 * folders stand in: `<runs>/<safe experiment name>/<timestamp>`.
 */
export function panelTitle(results: RunResults | undefined, runDirPath: string): string {
  const folders = lastSegments(runDirPath);
  const experiment = results?.experiment.content.name || folders.experiment || 'misas';
  const started = results ? new Date(results.timing.startedAt) : undefined;
  const date = started && !Number.isNaN(started.getTime()) ? started : dateFromRunFolderName(folders.run);
  return `${experiment} — ${date ? localTime(date) : folders.run}`;
}

/** One line about a run for the compare picker: models (with a short hash for one), inputs, problems, status. */
export function runDescription(results: RunResults): string {
  const models =
    results.models.length === 1
      ? `${results.models[0].label} · ${results.models[0].sha256.slice(0, 8)}`
      : modelLabels(results.models);
  const inputs = `${results.inputs.length} input${results.inputs.length === 1 ? '' : 's'}`;
  const problems = problemsSummary(results.problems);
  const status = results.status === 'cancelled' ? ' · cancelled' : '';
  return `${models} · ${inputs}${problems ? ` (${problems})` : ''} · ${results.series.length} series${status}`;
}

/** A fresh token for the page's CSP nonce (webviewHtml wants at least 16 letters, digits, - or _). */
export function newNonce(random: (bytes: Uint8Array) => Uint8Array = (bytes) => crypto.getRandomValues(bytes)): string {
  // 64 symbols: every byte maps evenly.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return Array.from(random(new Uint8Array(32)), (byte) => alphabet[byte % alphabet.length]).join('');
}
