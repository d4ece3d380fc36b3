/**
 * The results page's toolbar: metric, class legend, model, group, band and per-input selects,
 * overlay style, Compare… and the run exports. It holds no state: every control reads the page's
 * view state when used and hands the new state back to the page (app.ts), which re-renders.
 */
import { METRICS } from '../../src/engine/metrics/types';
import type { RunResults } from '../../src/engine/report/results';
import type { ExportFormat } from '../../src/protocol/webview';
import { groupsOf, inputsWithRows } from '../data/dataset';
import { exportFileName, runCsv, runJson } from '../data/export';
import { RUN_EXPORT_WHILE_LIVE } from '../data/live-run';
import { classColor } from '../data/palette';
import { SPREAD_LABELS, type SpreadMode } from '../data/spread';
import { PER_INPUT_LABELS, toggleClass, type PerInputMode, type ViewState } from '../data/view-state';
import { labelledSelect, overlayControls } from './controls';
import { h } from './dom';

/** What the toolbar needs of the page. */
export interface ToolbarContext {
  results: RunResults;
  /** The run is still going: the run exports are disabled. */
  live: boolean;
  /** The view state now (read when a control is used, not when it is built). */
  state(): ViewState;
  /** A new view state: charts, dataset section, legend and viewers follow. */
  update(state: ViewState): void;
  /** New overlay settings: only the viewers redraw. Undefined without overlay viewers (standalone report). */
  updateOverlay: ((state: ViewState) => void) | undefined;
  /** Undefined where runs cannot be compared (standalone report). */
  pickCompareRuns: (() => Promise<void>) | undefined;
  button(label: string, title: string, id: string, action: () => Promise<void>): HTMLElement;
  save(fileName: string, format: ExportFormat, data: string | ArrayBuffer): Promise<void>;
}

/** The toolbar, with `legend` (an element the page keeps, re-rendered by `renderLegend`) in it. */
export function renderToolbar(ctx: ToolbarContext, legend: HTMLElement): HTMLElement {
  const state = ctx.state();
  const metric = h(
    'vscode-single-select',
    { id: 'metric-select', 'aria-label': 'Metric' },
    ...ctx.results.metrics.map((name) =>
      h('vscode-option', { value: name, selected: name === state.metric }, METRICS[name].label),
    ),
  );
  metric.addEventListener('change', () => {
    const value = (metric as HTMLElement & { value: string }).value;
    const now = ctx.state();
    if (value && value !== now.metric) ctx.update({ ...now, metric: value as ViewState['metric'] });
  });
  renderLegend(ctx, legend);
  return h(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': 'Chart options' },
    h('label', { class: 'field', for: 'metric-select' }, 'Metric'),
    metric,
    legend,
    datasetControls(ctx),
    overlayStyle(ctx),
    h('span', { class: 'spacer' }),
    // One group, so the buttons wrap together on narrow panels.
    h(
      'span',
      { class: 'toolbar-actions' },
      ctx.pickCompareRuns
        ? ctx.button('Compare…', 'Compare with other runs of this experiment', 'compare-runs', ctx.pickCompareRuns)
        : null,
      runExports(ctx),
    ),
  );
}

/** One toggle button per class, in its colour; pressed = shown on the charts and overlays. */
export function renderLegend(ctx: ToolbarContext, legend: HTMLElement): void {
  const { classes } = ctx.results;
  const hidden = ctx.state().hiddenClasses;
  const buttons = classes.map((name, i) => {
    const shown = !hidden.includes(name);
    const button = h(
      'button',
      {
        type: 'button',
        class: `legend-item c-${classColor(i, classes.length).slot}`,
        'aria-pressed': String(shown),
        'data-class': name,
        title: `${shown ? 'Hide' : 'Show'} ${name}`,
      },
      h('span', { class: 'swatch', 'aria-hidden': 'true' }),
      name,
    );
    button.addEventListener('click', () => {
      ctx.update(toggleClass(ctx.state(), name));
      (legend.querySelector(`[data-class="${CSS.escape(name)}"]`) as HTMLElement | null)?.focus();
    });
    return button;
  });
  legend.replaceChildren(...buttons);
}

/** A labelled select whose choice becomes a new view state. */
function select<T extends string>(
  ctx: ToolbarContext,
  id: string,
  label: string,
  options: ReadonlyArray<[T, string]>,
  current: T,
  apply: (value: T, state: ViewState) => ViewState,
): HTMLElement[] {
  return labelledSelect(id, label, options, current, (value) => ctx.update(apply(value, ctx.state())));
}

/** Model in focus, group, band statistic and per-input display: shown only when they can matter. */
function datasetControls(ctx: ToolbarContext): HTMLElement | null {
  const { results } = ctx;
  const state = ctx.state();
  const controls: HTMLElement[] = [];
  const models = results.models;
  if (models.length > 1) {
    controls.push(
      ...select(
        ctx,
        'model-select',
        'Model',
        models.map((m, i): [string, string] => [String(i), m.label]),
        String(state.model),
        (v, now) => ({ ...now, model: Number(v) }),
      ),
    );
  }
  const groups = groupsOf(results);
  if (groups.length > 0) {
    const options: Array<[string, string]> = [
      ['', 'All inputs'],
      ...groups.map((g): [string, string] => [`group:${g}`, g]),
    ];
    controls.push(
      ...select(
        ctx,
        'group-select',
        'Group',
        options,
        state.group === null ? '' : `group:${state.group}`,
        (v, now) => ({ ...now, group: v === '' ? null : v.slice('group:'.length) }),
      ),
    );
  }
  if (inputsWithRows(results).length > 1) {
    const spreads = Object.entries(SPREAD_LABELS) as Array<[SpreadMode, string]>;
    controls.push(...select(ctx, 'spread-select', 'Band', spreads, state.spread, (v, now) => ({ ...now, spread: v })));
    const perInput = Object.entries(PER_INPUT_LABELS) as Array<[PerInputMode, string]>;
    controls.push(
      ...select(ctx, 'per-input', 'Per input', perInput, state.perInput, (v, now) => ({ ...now, perInput: v })),
    );
  }
  return controls.length > 0 ? h('span', { class: 'dataset-controls' }, ...controls) : null;
}

/** Fill or contour and the opacity, for every viewer (VS Code only). */
function overlayStyle(ctx: ToolbarContext): HTMLElement | null {
  const updateOverlay = ctx.updateOverlay;
  if (!updateOverlay) return null;
  const state = ctx.state();
  return overlayControls({ mode: state.overlayMode, opacity: state.overlayOpacity }, ({ mode, opacity }) => {
    if (mode !== undefined && mode !== ctx.state().overlayMode) updateOverlay({ ...ctx.state(), overlayMode: mode });
    if (opacity !== undefined) updateOverlay({ ...ctx.state(), overlayOpacity: opacity });
  });
}

/**
 * The whole run as CSV or JSON (the run folder's formats). While the run goes they are
 * disabled: those formats cannot say "running", so a mid-run file would pass for a finished run.
 */
function runExports(ctx: ToolbarContext): HTMLElement {
  const { results } = ctx;
  const csv = ctx.button('CSV', 'Export the run as CSV', 'export-run-csv', () =>
    ctx.save(exportFileName(results, ['results'], 'csv'), 'csv', runCsv(results)),
  );
  const json = ctx.button('JSON', 'Export the run as JSON', 'export-run-json', () =>
    ctx.save(exportFileName(results, ['results'], 'json'), 'json', runJson(results)),
  );
  const group = h('span', { class: 'run-exports' }, csv, json);
  if (ctx.live) {
    // A disabled vscode-button takes no pointer events, so the wrapper carries the tooltip.
    group.title = `Export the run as CSV or JSON: ${RUN_EXPORT_WHILE_LIVE}`;
    for (const [button, format] of [
      [csv, 'CSV'],
      [json, 'JSON'],
    ] as const) {
      button.setAttribute('disabled', '');
      button.title = `Export the run as ${format}: ${RUN_EXPORT_WHILE_LIVE}`;
      button.setAttribute('aria-label', button.title);
    }
  }
  return group;
}
