/** The run's header: what was run on what, when, and the caveats (pseudo-truth, cancelled, skipped inputs). */
import type { RunResults } from '../../src/engine/report/results';
import { checksToShow } from '../../src/engine/sweep/analysis/baselineCheck';
import { dashFor, type CompareSelection, type ModelView } from '../data/compare';
import { baseName, datasetFacts } from '../data/dataset';
import { liveStatusText, type LiveProgress } from '../data/live-run';
import { h, s } from './dom';

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

function localTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function fact(term: string, ...value: Array<Node | string | null>): HTMLElement[] {
  return [h('dt', {}, term), h('dd', {}, ...value)];
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function lineSample(view: number): SVGSVGElement {
  return s(
    'svg',
    { class: 'line-sample', width: 36, height: 10, 'aria-hidden': 'true' },
    s('line', { x1: 1, x2: 35, y1: 5, y2: 5, 'stroke-dasharray': dashFor(view) || null }),
  );
}

/** The line style of every model (and compared run), and the runs left out of the compare. */
export function viewsLegend(views: readonly ModelView[], selection: CompareSelection): HTMLElement | null {
  if (views.length < 2 && selection.skipped.length === 0) return null;
  const runs = new Set(views.map((view) => view.run)).size;
  const title = runs > 1 ? 'Compared runs' : 'Models';
  const items = views.map((view, i) =>
    h('li', { class: 'run-item', 'data-view': i, 'data-run': view.run }, lineSample(i), h('span', {}, view.label)),
  );
  const skipped = selection.skipped.map((skip) =>
    h('li', { class: 'run-item skipped' }, `not compared: ${skip.label} — ${skip.reason}`),
  );
  return h(
    'section',
    { class: 'compare-legend', 'aria-label': title },
    h('h2', {}, title),
    h('ul', {}, ...items, ...skipped),
  );
}

/** Each model: its name, file and short hash (the full hash in the tooltip). */
function modelsFact(results: RunResults): HTMLElement[] {
  const items = results.models.map((model) =>
    h(
      'li',
      { class: 'model-item' },
      h('span', {}, model.label),
      ' ',
      model.label !== baseName(model.path) ? h('span', { class: 'mono' }, baseName(model.path)) : null,
      ' ',
      h('span', { class: 'hash', title: `sha256 ${model.sha256}` }, model.sha256.slice(0, 12)),
    ),
  );
  return fact(
    results.models.length === 1 ? 'Model' : `Models (${results.models.length})`,
    h('ul', { class: 'inline-list models' }, ...items),
  );
}

/** The dataset in numbers, with the inputs and the problems in collapsible lists. */
function datasetFact(results: RunResults): HTMLElement[] {
  const facts = datasetFacts(results);
  const counts = [
    plural(facts.inputs, 'input'),
    facts.groups.length > 0 ? `${plural(facts.groups.length, 'group')} (${facts.groups.join(', ')})` : null,
    facts.problems.length > 0 ? plural(facts.problems.length, 'problem') : null,
  ].filter((x): x is string => x !== null);
  if (facts.usable !== facts.inputs) counts.splice(1, 0, `${facts.usable} with results`);
  const inputItems = results.inputs.map((input) =>
    h(
      'li',
      { 'data-input': input.input, title: input.imagePath },
      input.label,
      input.group !== undefined ? h('span', { class: 'tag' }, input.group) : null,
      input.pseudoTruth ? h('span', { class: 'tag' }, 'no ground truth') : null,
      input.problem !== undefined ? h('span', { class: 'tag problem' }, 'not run') : null,
    ),
  );
  const inputs = h(
    'details',
    { class: 'dataset-details inputs-details' },
    h('summary', {}, 'Inputs'),
    h('ul', {}, ...inputItems),
  );
  const problems =
    facts.problems.length > 0
      ? h(
          'details',
          { class: 'dataset-details problems-details' },
          h('summary', {}, `Problems (${facts.problems.length})`),
          h(
            'ul',
            {},
            ...facts.problems.map((p) =>
              h(
                'li',
                { class: 'problem-item', 'data-action': p.action },
                h('span', { class: 'mono', title: p.file }, baseName(p.file)),
                ` — ${p.problem} `,
                h(
                  'span',
                  { class: `tag action-${p.action}` },
                  p.action === 'skipped' ? 'skipped' : 'run with pseudo-truth',
                ),
              ),
            ),
          ),
        )
      : null;
  const single = facts.inputs === 1 && facts.problems.length === 0;
  return fact(
    single ? 'Input' : 'Dataset',
    single
      ? results.inputs[0].label + (results.inputs[0].pseudoTruth ? ' (no ground truth)' : '')
      : h('span', { class: 'dataset-counts' }, counts.join(' · ')),
    single ? null : inputs,
    problems,
  );
}

/**
 * The baseline checks, first thing under the title: a class that fails before anything is
 * changed makes its tolerance meaningless, and a spatial value that beats the identity hints at
 * other input conventions. Null when all is well.
 */
export function baselineBanner(results: RunResults): HTMLElement | null {
  const shown = checksToShow(results.baselineChecks ?? []);
  if (shown.length === 0) return null;
  const fails = shown.some((check) => check.kind === 'fails-at-baseline');
  const lead = fails
    ? 'The model fails on the untransformed input for some classes: their tolerance would be measured from a failing baseline, so none is reported.'
    : 'A transformed input scores better than the untransformed one.';
  return h(
    'section',
    { class: 'notice warning baseline-checks', 'aria-labelledby': 'baseline-checks-title' },
    h('h2', { id: 'baseline-checks-title' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), 'Check the baseline first'),
    h('p', {}, lead),
    h(
      'ul',
      {},
      ...shown.map((check) =>
        h(
          'li',
          { class: 'baseline-check', 'data-kind': check.kind, 'data-model': check.model, 'data-input': check.input },
          check.message,
        ),
      ),
    ),
  );
}

/** `live`: the run is still going; its badge says how far it is instead of the results' own status. */
export function renderHeader(results: RunResults, live?: LiveProgress): HTMLElement {
  const experiment = results.experiment.content;
  const status = live
    ? h(
        'span',
        {
          class: 'status status-running',
          title: `${live.done} of ${live.total} steps have finished; the charts show them and fill in as the run goes`,
        },
        liveStatusText(live),
      )
    : h('span', { class: `status status-${results.status}` }, results.status);
  const header = h(
    'header',
    { class: 'run-header' },
    h('div', { class: 'title-row' }, h('h1', {}, experiment.name), status),
    baselineBanner(results),
    experiment.description ? h('p', { class: 'description' }, experiment.description) : null,
    h(
      'dl',
      { class: 'facts' },
      ...modelsFact(results),
      ...datasetFact(results),
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
    header.append(
      h(
        'div',
        { class: 'notice', role: 'note' },
        h('strong', {}, 'Cancelled. '),
        'The run was stopped early: the curves hold the steps that finished.',
      ),
    );
  }
  return header;
}
