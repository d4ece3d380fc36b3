/**
 * The results page: header, a toolbar (metric, class legend, model, group, spread and per-input
 * display, run exports), the dataset section (tolerance intervals by model, inputs worst first)
 * and one card per series. Holds the view state; every change re-renders the charts from the
 * pure data modules, which keeps the DOM code free of data logic.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import { METRICS } from '../../src/engine/metrics/types';
import { resultsFromJson, type RunResults } from '../../src/engine/report/results';
import type { ExportFormat } from '../../src/protocol/webview';
import { serializeChart, svgToPng, type ChartCaption } from '../chart/export';
import { renderChart, setChartSelection } from '../chart/render';
import { chartData, type ChartData } from '../data/chart-data';
import { compatibleRuns, dashFor, mergeCompare, modelViews, type CompareSelection, type ModelView } from '../data/compare';
import { groupsOf, inputsWithRows } from '../data/dataset';
import { chartCsv, exportFileName, runCsv, runJson } from '../data/export';
import { FrameCache } from '../data/frame-cache';
import { RUN_EXPORT_WHILE_LIVE, RUN_VIEWER_WHILE_LIVE, type LiveProgress } from '../data/live-run';
import { toleranceTable } from '../data/model-table';
import type { OverlayMode } from '../data/overlay';
import { classColor } from '../data/palette';
import { rankedInputs, scoreCaption } from '../data/ranking';
import { SPREAD_LABELS, type SpreadMode } from '../data/spread';
import { PER_INPUT_LABELS, reconcileViewState, toggleClass, toggleFocusInput, type PerInputMode, type ViewState } from '../data/view-state';
import type { Host } from '../host';
import { h } from './dom';
import { renderHeader, viewsLegend } from './header';
import { renderInputList } from './input-list';
import { renderModelTable } from './model-table';
import { OverlayViewer } from './viewer';

interface Card {
  seriesIndex: number;
  chartBox: HTMLElement;
  sentences: HTMLElement;
  svg?: SVGSVGElement;
  data?: ChartData;
  /** The overlay viewer (VS Code only: it needs the engine). */
  viewer?: OverlayViewer;
  /** The value the viewer shows, marked on the chart. */
  selected?: number;
}

export class ResultsApp {
  private results!: RunResults;
  /** Set while the run is still going: `results` are its steps so far. */
  private live: LiveProgress | undefined;
  private compare: CompareSelection = { runs: [], skipped: [] };
  /** Every model of the run and of the compared runs: index = line style. */
  private views: ModelView[] = [];
  private state!: ViewState;
  private cards: Card[] = [];
  private legend!: HTMLElement;
  private dataset!: HTMLElement;
  private spreadNote!: HTMLElement;
  private readonly resize = new ResizeObserver(() => this.scheduleCharts());
  private frame = 0;
  /** Frames fetched by every viewer of the page (same run: kept when the results are sent again). */
  private readonly frames = new FrameCache();
  private framesOf = '';

  constructor(
    private readonly root: HTMLElement,
    private readonly host: Host,
  ) {}

  /** Shows a run (`live`: still going, these are its results so far) with runs to compare. */
  show(results: RunResults, others: readonly RunResults[], live?: LiveProgress): void {
    this.results = results;
    this.live = live;
    this.compare = compatibleRuns(results, others);
    this.views = modelViews(results, this.compare.runs);
    this.state = reconcileViewState(results, this.host.getState());
    this.resize.disconnect();
    for (const card of this.cards) card?.viewer?.dispose();
    this.cards = [];
    const run = JSON.stringify([results.experiment.content.name, results.timing.startedAt]);
    if (run !== this.framesOf) this.frames.clear();
    this.framesOf = run;
    const cards = h('section', { class: 'cards' }, ...results.series.map((_, i) => this.card(i)));
    const empty = results.series.length === 0 ? h('p', { class: 'empty' }, 'This run has no series yet.') : null;
    this.spreadNote = h('p', { class: 'spread-note', id: 'spread-note' });
    this.dataset = h('div', { class: 'dataset' });
    const main = h('main', { class: 'results' }, renderHeader(results, live), viewsLegend(this.views, this.compare), this.toolbar(), this.spreadNote, this.dataset, empty, cards);
    this.root.replaceChildren(main);
    this.resize.observe(cards);
    this.renderDataset();
    this.renderCharts();
    if (this.state.focusInput !== null) this.showInputInViewers(this.state.focusInput);
  }

  /** The view (line style) of the model in focus. */
  private get focusView(): number {
    return Math.max(0, this.views.findIndex((view) => view.run === 0 && view.model === this.state.model));
  }

  private update(state: ViewState): void {
    const picked = state.focusInput !== this.state.focusInput ? state.focusInput : null;
    const modelChanged = state.model !== this.state.model;
    this.state = state;
    if (modelChanged) for (const card of this.cards) card?.viewer?.showModelChange();
    this.host.setState(state);
    this.renderLegend();
    this.renderDataset();
    this.renderCharts();
    for (const card of this.cards) card?.viewer?.redraw();
    if (picked !== null) this.showInputInViewers(picked);
  }

  /** Drill-down: every overlay viewer switches to the picked input. */
  private showInputInViewers(input: number): void {
    for (const card of this.cards) card?.viewer?.selectInput(input);
  }

  /** A labelled vscode-single-select whose choice updates the state. */
  private select<T extends string>(id: string, label: string, options: ReadonlyArray<[T, string]>, current: T, apply: (value: T) => ViewState): HTMLElement[] {
    const select = h('vscode-single-select', { id, 'aria-label': label }, ...options.map(([value, text]) => h('vscode-option', { value, selected: value === current }, text)));
    select.addEventListener('change', () => {
      const value = (select as HTMLElement & { value: string }).value as T;
      if (options.some(([v]) => v === value)) this.update(apply(value));
    });
    return [h('label', { class: 'field', for: id }, label), select];
  }

  /** Model in focus, group, band statistic and per-input display: shown only when they can matter. */
  private datasetControls(): HTMLElement | null {
    const controls: HTMLElement[] = [];
    const models = this.results.models;
    if (models.length > 1) {
      controls.push(...this.select('model-select', 'Model', models.map((m, i): [string, string] => [String(i), m.label]), String(this.state.model), (v) => ({ ...this.state, model: Number(v) })));
    }
    const groups = groupsOf(this.results);
    if (groups.length > 0) {
      const options: Array<[string, string]> = [['', 'All inputs'], ...groups.map((g): [string, string] => [`group:${g}`, g])];
      controls.push(...this.select('group-select', 'Group', options, this.state.group === null ? '' : `group:${this.state.group}`, (v) => ({ ...this.state, group: v === '' ? null : v.slice('group:'.length) })));
    }
    if (inputsWithRows(this.results).length > 1) {
      const spreads = Object.entries(SPREAD_LABELS) as Array<[SpreadMode, string]>;
      controls.push(...this.select('spread-select', 'Band', spreads, this.state.spread, (v) => ({ ...this.state, spread: v })));
      const perInput = Object.entries(PER_INPUT_LABELS) as Array<[PerInputMode, string]>;
      controls.push(...this.select('per-input', 'Per input', perInput, this.state.perInput, (v) => ({ ...this.state, perInput: v })));
    }
    return controls.length > 0 ? h('span', { class: 'dataset-controls' }, ...controls) : null;
  }

  /** What the band and the boxes mean, under the toolbar (runs with several inputs only). */
  private renderSpreadNote(): void {
    const several = inputsWithRows(this.results, this.state.model).length > 1;
    this.spreadNote.hidden = !several;
    if (!several) return;
    const band = this.state.spread === 'sd' ? 'the line is the mean over the inputs and the shaded band ± one standard deviation' : 'the line is the median over the inputs and the shaded band the interquartile range (Q1–Q3)';
    const perInput = { lines: ' Faint lines: each input.', boxes: ' Box plots per value: median line, box Q1–Q3, whiskers min–max.', none: '' }[this.state.perInput];
    const group = this.state.group !== null ? ` Inputs of group ${this.state.group} only.` : '';
    this.spreadNote.textContent = `Several inputs: ${band}.${perInput}${group}`;
  }

  /** Tolerance intervals by model (several models) and the inputs, worst first (several inputs). */
  private renderDataset(): void {
    this.renderSpreadNote();
    const parts: HTMLElement[] = [];
    const metricLabel = METRICS[this.state.metric].label;
    if (this.results.models.length > 1) {
      parts.push(renderModelTable(toleranceTable(this.results, this.state.metric), this.results.models, this.results.classes.length, metricLabel));
    }
    if (inputsWithRows(this.results, this.state.model).length > 1) {
      const ranked = rankedInputs(this.results, { model: this.state.model, metric: this.state.metric, group: this.state.group });
      parts.push(
        renderInputList({
          ranked,
          focus: this.state.focusInput,
          caption: scoreCaption(this.state.metric) + (this.results.models.length > 1 ? ` Model: ${this.results.models[this.state.model].label.replace(/\.$/, '')}.` : '') + ' Pick an input to highlight it on every chart' + (this.host.requestFrame ? ' and show it in the overlay viewers.' : '.'),
          onPick: (input) => {
            this.update(toggleFocusInput(this.state, input));
            (this.dataset.querySelector(`.input-item[data-input="${input}"]`) as HTMLElement | null)?.focus();
          },
        }),
      );
    }
    this.dataset.replaceChildren(...parts);
    this.dataset.hidden = parts.length === 0;
  }

  private toolbar(): HTMLElement {
    const metric = h('vscode-single-select', { id: 'metric-select', 'aria-label': 'Metric' }, ...this.results.metrics.map((name) => h('vscode-option', { value: name, selected: name === this.state.metric }, METRICS[name].label)));
    metric.addEventListener('change', () => {
      const value = (metric as HTMLElement & { value: string }).value;
      if (value && value !== this.state.metric) this.update({ ...this.state, metric: value as ViewState['metric'] });
    });
    this.legend = h('div', { class: 'legend', role: 'group', 'aria-label': 'Classes shown' });
    this.renderLegend();
    return h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Chart options' },
      h('label', { class: 'field', for: 'metric-select' }, 'Metric'),
      metric,
      this.legend,
      this.datasetControls(),
      this.overlayControls(),
      h('span', { class: 'spacer' }),
      // One group, so the buttons wrap together on narrow panels.
      h(
        'span',
        { class: 'toolbar-actions' },
        this.host.pickCompareRuns ? this.button('Compare…', 'Compare with other runs of this experiment', 'compare-runs', () => this.pickCompareRuns()) : null,
        this.runExports(),
      ),
    );
  }

  /**
   * The whole run as CSV or JSON (the run folder's formats). While the run goes they are
   * disabled: those formats cannot say "running", so a mid-run file would pass for a finished run.
   */
  private runExports(): HTMLElement {
    const csv = this.button('CSV', 'Export the run as CSV', 'export-run-csv', () => this.save(exportFileName(this.results, ['results'], 'csv'), 'csv', runCsv(this.results)));
    const json = this.button('JSON', 'Export the run as JSON', 'export-run-json', () => this.save(exportFileName(this.results, ['results'], 'json'), 'json', runJson(this.results)));
    const group = h('span', { class: 'run-exports' }, csv, json);
    if (this.live) {
      // A disabled vscode-button takes no pointer events, so the wrapper carries the tooltip.
      group.title = `Export the run as CSV or JSON: ${RUN_EXPORT_WHILE_LIVE}`;
      for (const [button, format] of [[csv, 'CSV'], [json, 'JSON']] as const) {
        button.setAttribute('disabled', '');
        button.title = `Export the run as ${format}: ${RUN_EXPORT_WHILE_LIVE}`;
        button.setAttribute('aria-label', button.title);
      }
    }
    return group;
  }

  private renderLegend(): void {
    const count = this.results.classes.length;
    const buttons = this.results.classes.map((name, i) => {
      const shown = !this.state.hiddenClasses.includes(name);
      const button = h('button', { type: 'button', class: `legend-item c-${classColor(i, count).slot}`, 'aria-pressed': String(shown), 'data-class': name, title: `${shown ? 'Hide' : 'Show'} ${name}` }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), name);
      button.addEventListener('click', () => {
        this.update(toggleClass(this.state, name));
        (this.legend.querySelector(`[data-class="${CSS.escape(name)}"]`) as HTMLElement | null)?.focus();
      });
      return button;
    });
    this.legend.replaceChildren(...buttons);
  }

  private button(label: string, title: string, id: string, action: () => Promise<void>): HTMLElement {
    const button = h('vscode-button', { secondary: true, title, 'aria-label': title, id }, label);
    button.addEventListener('click', () => {
      if (button.hasAttribute('disabled')) return; // .click() from code still fires on a disabled one
      action().catch((error: unknown) => this.host.log('error', `${title} failed: ${error instanceof Error ? error.message : String(error)}`));
    });
    return button;
  }

  private card(seriesIndex: number): HTMLElement {
    const series = this.results.series[seriesIndex];
    const chartBox = h('div', { class: 'chart-box' });
    const sentences = h('ul', { class: 'sentences' });
    const card: Card = { seriesIndex, chartBox, sentences };
    this.cards[seriesIndex] = card;
    card.viewer = this.viewer(card);
    card.selected = card.viewer?.value;
    const parts = [series.transform !== series.name ? series.transform : '', series.kind, series.scale === 'log' ? 'log axis' : ''].filter(Boolean);
    const stem = () => [series.name, this.state.metric];
    const actions = h(
      'div',
      { class: 'card-actions' },
      this.button('SVG', `Export the ${series.name} chart as SVG`, `export-svg-${seriesIndex}`, () => this.save(exportFileName(this.results, stem(), 'svg'), 'svg', this.chartSvg(card).source)),
      this.button('PNG', `Export the ${series.name} chart as PNG`, `export-png-${seriesIndex}`, async () => {
        const svg = this.chartSvg(card);
        return this.save(exportFileName(this.results, stem(), 'png'), 'png', await svgToPng(svg.source, svg.width, svg.height));
      }),
      this.button('CSV', `Export the ${series.name} chart's points as CSV`, `export-csv-${seriesIndex}`, () => this.save(exportFileName(this.results, stem(), 'csv'), 'csv', chartCsv(card.data!, this.views.map((view) => view.label)))),
    );
    return h(
      'article',
      { class: 'card', 'data-series': series.name, 'aria-labelledby': `series-title-${seriesIndex}` },
      h('header', { class: 'card-header' }, h('div', {}, h('h2', { id: `series-title-${seriesIndex}` }, series.name), h('span', { class: 'card-meta' }, parts.join(' · '))), actions),
      chartBox,
      sentences,
      card.viewer?.element ?? this.viewerWhileLive(),
    );
  }

  /** Where the overlay viewer will be: frames are computed from the finished run's settings. */
  private viewerWhileLive(): HTMLElement | null {
    if (!this.live || !this.host.requestFrame) return null;
    return h('p', { class: 'viewer-live-note' }, `Overlay viewer: ${RUN_VIEWER_WHILE_LIVE}.`);
  }

  /** The card's overlay viewer; none in a standalone report (no engine computes frames there). */
  private viewer(card: Card): OverlayViewer | undefined {
    const requestFrame = this.host.requestFrame;
    const series = this.results.series[card.seriesIndex];
    // While the run goes, no frames: they would only be refused (and each live update redraws the page).
    if (!requestFrame || this.live || !series.values.some((values) => values.length > 0)) return undefined;
    return new OverlayViewer({
      results: this.results,
      seriesIndex: card.seriesIndex,
      requestFrame: (key) => requestFrame.call(this.host, key),
      cache: this.frames,
      style: () => ({ mode: this.state.overlayMode, opacity: this.state.overlayOpacity, hiddenClasses: this.state.hiddenClasses }),
      onSelect: (value) => {
        card.selected = value;
        setChartSelection(card.svg, value);
      },
      onError: (message) => this.host.log('warn', `overlay frame of ${series.name}: ${message}`),
      eager: card.seriesIndex === 0,
      save: (fileName, data) => this.save(fileName, 'gif', data),
      model: () => this.state.model,
    });
  }

  /** Shared by every viewer, like the legend: fill or contour, and the overlay opacity. */
  private overlayControls(): HTMLElement | null {
    if (!this.host.requestFrame) return null;
    const mode = h(
      'vscode-single-select',
      { id: 'overlay-mode', 'aria-label': 'Overlay style' },
      h('vscode-option', { value: 'fill', selected: this.state.overlayMode === 'fill' }, 'Fill'),
      h('vscode-option', { value: 'contour', selected: this.state.overlayMode === 'contour' }, 'Contour'),
    );
    mode.addEventListener('change', () => {
      const value = (mode as HTMLElement & { value: string }).value as OverlayMode;
      if ((value === 'fill' || value === 'contour') && value !== this.state.overlayMode) this.updateOverlay({ ...this.state, overlayMode: value });
    });
    const opacity = h('input', { type: 'range', id: 'overlay-opacity', class: 'opacity-slider', min: 0, max: 100, step: 5, value: Math.round(this.state.overlayOpacity * 100), 'aria-label': 'Overlay opacity', title: 'Overlay opacity' });
    opacity.addEventListener('input', () => this.updateOverlay({ ...this.state, overlayOpacity: Number(opacity.value) / 100 }));
    return h('span', { class: 'overlay-controls' }, h('label', { class: 'field', for: 'overlay-mode' }, 'Overlay'), mode, h('label', { class: 'field', for: 'overlay-opacity' }, 'Opacity'), opacity);
  }

  /** Overlay settings changed: only the viewers redraw (the charts do not depend on them). */
  private updateOverlay(state: ViewState): void {
    this.state = state;
    this.host.setState(state);
    for (const card of this.cards) card?.viewer?.redraw();
  }

  /** The card's chart as a standalone SVG, with a title and a legend of the shown classes (and runs). */
  private chartSvg(card: Card): { source: string; width: number; height: number } {
    const cardStyle = getComputedStyle(card.chartBox.closest('.card') ?? document.body);
    const count = this.results.classes.length;
    const colorOf = (classIndex: number) => getComputedStyle(document.body).getPropertyValue(`--misas-class-${classColor(classIndex, count).slot}`).trim();
    const shown = this.results.classes.map((name, i) => ({ name, i })).filter(({ name }) => !this.state.hiddenClasses.includes(name));
    const entries: ChartCaption['entries'] = shown.map(({ name, i }) => ({ label: name, color: colorOf(i) }));
    if (this.views.length > 1) {
      // Short names keep the caption on one line; the page's legend has the full names.
      this.views.forEach((view, i) => entries.push({ label: view.short, color: cardStyle.color, dash: dashFor(i) }));
    }
    const title = `${this.results.series[card.seriesIndex].name} · ${METRICS[this.state.metric].label}`;
    const source = serializeChart(card.svg!, cardStyle.backgroundColor, { title, entries, foreground: cardStyle.color, fontFamily: cardStyle.fontFamily });
    const size = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(source);
    return { source, width: Number(size?.[1] ?? 600), height: Number(size?.[2] ?? 310) };
  }

  /** Asks the host which runs to compare (VS Code's quick pick) and shows them on the same axes. */
  private async pickCompareRuns(): Promise<void> {
    const texts = await this.host.pickCompareRuns!();
    this.show(this.results, texts.map(resultsFromJson), this.live);
  }

  private async save(fileName: string, format: ExportFormat, data: string | ArrayBuffer): Promise<void> {
    await this.host.save(fileName, format, data);
  }

  private scheduleCharts(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.renderCharts());
  }

  private renderCharts(): void {
    const hidden = new Set(this.state.hiddenClasses);
    const { metric, model, group, spread, focusInput, perInput } = this.state;
    const viewLabels = this.views.map((view) => view.short);
    const viewRuns = this.views.map((view) => view.run);
    const inputLabels = this.results.inputs.map((input) => input.label);
    for (const card of this.cards) {
      if (!card) continue;
      const own = chartData(this.results, card.seriesIndex, metric, { model, group, spread, focusInput, view: this.focusView });
      card.data = mergeCompare(own, this.results.classes, this.views, metric, { group, spread });
      const selection = card.viewer ? { selected: card.selected, onSelect: (value: number) => card.viewer!.select(value) } : {};
      card.svg = renderChart(card.chartBox, card.data, { width: card.chartBox.clientWidth || 560, classes: this.results.classes, hidden, perInput, viewLabels, viewRuns, inputLabels, ...selection });
      const count = this.results.classes.length;
      const sentences = card.data.sentences.filter((x) => !hidden.has(x.className));
      card.sentences.replaceChildren(...sentences.map((x) => h('li', { class: `c-${classColor(x.classIndex, count).slot}` }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), x.text)));
    }
  }
}
