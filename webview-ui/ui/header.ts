/** The run's header: what was run on what, when, and the caveats (pseudo-truth, cancelled). */
import type { RunResults } from '../../src/engine/report/results';
import { dashFor, runLabel, type CompareSelection } from '../data/compare';
import { h, s } from './dom';

function modelName(results: RunResults): string {
  return results.model.path.split(/[\\/]/).at(-1) ?? results.model.path;
}

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

function localTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function fact(term: string, ...value: Array<Node | string>): HTMLElement[] {
  return [h('dt', {}, term), h('dd', {}, ...value)];
}

function lineSample(run: number): SVGSVGElement {
  return s('svg', { class: 'line-sample', width: 36, height: 10, 'aria-hidden': 'true' }, s('line', { x1: 1, x2: 35, y1: 5, y2: 5, 'stroke-dasharray': dashFor(run) || null }));
}

function compareLegend(primary: RunResults, selection: CompareSelection): HTMLElement | null {
  if (selection.runs.length === 0 && selection.skipped.length === 0) return null;
  const runs = [primary, ...selection.runs].map((run, i) => h('li', { class: 'run-item', 'data-run': i }, lineSample(i), h('span', {}, `run ${i + 1}: ${runLabel(run)}${run.pseudoTruth ? ' (pseudo-truth)' : ''}`)));
  const skipped = selection.skipped.map((skip) => h('li', { class: 'run-item skipped' }, `not compared: ${skip.label} — ${skip.reason}`));
  return h('section', { class: 'compare-legend', 'aria-label': 'Compared runs' }, h('h2', {}, 'Compared runs'), h('ul', {}, ...runs, ...skipped));
}

export function renderHeader(results: RunResults): HTMLElement {
  const experiment = results.experiment.content;
  const inputs = results.inputs.map((input) => input.label + (input.pseudoTruth ? ' (no ground truth)' : ''));
  const status = h('span', { class: `status status-${results.status}` }, results.status);
  const header = h(
    'header',
    { class: 'run-header' },
    h('div', { class: 'title-row' }, h('h1', {}, experiment.name), status),
    experiment.description ? h('p', { class: 'description' }, experiment.description) : null,
    h(
      'dl',
      { class: 'facts' },
      ...fact('Model', h('span', { class: 'mono' }, modelName(results)), ' ', h('span', { class: 'hash', title: `sha256 ${results.model.sha256}` }, results.model.sha256.slice(0, 12))),
      ...fact(results.inputs.length === 1 ? 'Input' : `Inputs (${results.inputs.length})`, inputs.join(', ')),
      ...fact('Classes', results.classes.join(', ')),
      ...fact('Run', `${localTime(results.timing.startedAt)} · ${duration(results.timing.durationMs)}`),
      ...fact('Engine', `misas ${results.engineVersion} · seed ${results.seed} · tolerance τ = ${results.tolerance}`),
    ),
  );
  if (results.pseudoTruth) {
    header.append(
      h(
        'div',
        { class: 'notice warning', role: 'note' },
        h('strong', {}, 'Pseudo-truth. '),
        'Some inputs have no ground truth: the model’s own prediction on the untransformed image served as the truth. The curves show how stable the prediction is, not how correct it is.',
      ),
    );
  }
  if (results.status === 'cancelled') {
    header.append(h('div', { class: 'notice', role: 'note' }, h('strong', {}, 'Cancelled. '), 'The run was stopped early: the curves hold the steps that finished.'));
  }
  return header;
}

export { compareLegend };
