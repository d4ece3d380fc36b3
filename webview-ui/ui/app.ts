/**
 * The results page: header, a toolbar (metric, class legend, model, group, spread and per-input
 * display, run exports), the dataset section (tolerance intervals by model, inputs worst first)
 * and one card per series. Holds the view state; every change re-renders the charts from the
 * pure data modules, which keeps the DOM code free of data logic. The toolbar's controls are
 * toolbar.ts, the dataset section (tolerance table, input list) dataset-section.ts.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import { resultsFromJson, type RunResults } from '../../src/engine/report/results';
import type { ExportFormat } from '../../src/protocol/webview';
import { svgToPng } from '../chart/export';
import { renderChart, setChartSelection } from '../chart/render';
import { chartData, type ChartData } from '../data/chart-data';
import { compatibleRuns, mergeCompare, modelViews, type CompareSelection, type ModelView } from '../data/compare';
import { chartCsv, exportFileName } from '../data/export';
import { FrameCache } from '../data/frame-cache';
import { FrameLoader } from '../data/frame-loader';
import { RUN_VIEWER_WHILE_LIVE, type LiveProgress } from '../data/live-run';
import { classColor } from '../data/palette';
import { reconcileViewState, toggleFocusInput, type ViewState } from '../data/view-state';
import type { Host } from '../host';
import { standaloneChartSvg } from './chart-svg';
import { actionButton } from './controls';
import { renderDatasetSection, renderSpreadNote } from './dataset-section';
import { h } from './dom';
import { renderHeader, viewsLegend } from './header';
import { renderLegend, renderToolbar, type ToolbarContext } from './toolbar';
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
  /** The page's one frame loader (VS Code only): viewers, thumbnails and exports share its requests in flight. */
  private readonly frameLoader: FrameLoader | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: Host,
  ) {
    const requestFrame = host.requestFrame;
    this.frameLoader = requestFrame ? new FrameLoader((key) => requestFrame.call(host, key), this.frames) : undefined;
  }

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
    const main = h(
      'main',
      { class: 'results' },
      renderHeader(results, live),
      viewsLegend(this.views, this.compare),
      this.toolbar(),
      this.spreadNote,
      this.dataset,
      empty,
      cards,
    );
    this.root.replaceChildren(main);
    this.resize.observe(cards);
    this.renderDataset();
    this.renderCharts();
    if (this.state.focusInput !== null) this.showInputInViewers(this.state.focusInput);
  }

  /** The view (line style) of the model in focus. */
  private get focusView(): number {
    return Math.max(
      0,
      this.views.findIndex((view) => view.run === 0 && view.model === this.state.model),
    );
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

  /** The note on the band, the tolerance intervals by model and the inputs, worst first. */
  private renderDataset(): void {
    renderSpreadNote(this.spreadNote, this.results, this.state);
    renderDatasetSection(this.dataset, {
      results: this.results,
      state: this.state,
      overlays: Boolean(this.host.requestFrame),
      onPick: (input) => this.update(toggleFocusInput(this.state, input)),
    });
  }

  /** The toolbar's view of the page: it reads the state when used and hands new states back. */
  private toolbar(): HTMLElement {
    this.legend = h('div', { class: 'legend', role: 'group', 'aria-label': 'Classes shown' });
    return renderToolbar(this.toolbarContext, this.legend);
  }

  private get toolbarContext(): ToolbarContext {
    const pickCompareRuns = this.host.pickCompareRuns;
    return {
      results: this.results,
      live: this.live !== undefined,
      state: () => this.state,
      update: (state) => this.update(state),
      updateOverlay: this.host.requestFrame ? (state) => this.updateOverlay(state) : undefined,
      pickCompareRuns: pickCompareRuns ? () => this.pickCompareRuns() : undefined,
      button: (label, title, id, action) => this.button(label, title, id, action),
      save: (fileName, format, data) => this.save(fileName, format, data),
    };
  }

  private renderLegend(): void {
    renderLegend(this.toolbarContext, this.legend);
  }

  private button(label: string, title: string, id: string, action: () => Promise<void>): HTMLElement {
    return actionButton(label, title, id, action, (message) => this.host.log('error', message));
  }

  private card(seriesIndex: number): HTMLElement {
    const series = this.results.series[seriesIndex];
    const chartBox = h('div', { class: 'chart-box' });
    const sentences = h('ul', { class: 'sentences' });
    const card: Card = { seriesIndex, chartBox, sentences };
    this.cards[seriesIndex] = card;
    card.viewer = this.viewer(card);
    card.selected = card.viewer?.value;
    const parts = [
      series.transform !== series.name ? series.transform : '',
      series.kind,
      series.scale === 'log' ? 'log axis' : '',
    ].filter(Boolean);
    const stem = () => [series.name, this.state.metric];
    const actions = h(
      'div',
      { class: 'card-actions' },
      this.button('SVG', `Export the ${series.name} chart as SVG`, `export-svg-${seriesIndex}`, () =>
        this.save(exportFileName(this.results, stem(), 'svg'), 'svg', this.chartSvg(card).source),
      ),
      this.button('PNG', `Export the ${series.name} chart as PNG`, `export-png-${seriesIndex}`, async () => {
        const svg = this.chartSvg(card);
        return this.save(
          exportFileName(this.results, stem(), 'png'),
          'png',
          await svgToPng(svg.source, svg.width, svg.height),
        );
      }),
      this.button('CSV', `Export the ${series.name} chart's points as CSV`, `export-csv-${seriesIndex}`, () =>
        this.save(
          exportFileName(this.results, stem(), 'csv'),
          'csv',
          chartCsv(
            card.data!,
            this.views.map((view) => view.label),
          ),
        ),
      ),
    );
    return h(
      'article',
      { class: 'card', 'data-series': series.name, 'aria-labelledby': `series-title-${seriesIndex}` },
      h(
        'header',
        { class: 'card-header' },
        h(
          'div',
          {},
          h('h2', { id: `series-title-${seriesIndex}` }, series.name),
          h('span', { class: 'card-meta' }, parts.join(' · ')),
        ),
        actions,
      ),
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
    const loader = this.frameLoader;
    const series = this.results.series[card.seriesIndex];
    // While the run goes, no frames: they would only be refused (and each live update redraws the page).
    if (!loader || this.live || !series.values.some((values) => values.length > 0)) return undefined;
    return new OverlayViewer({
      results: this.results,
      seriesIndex: card.seriesIndex,
      loader,
      cache: this.frames,
      style: () => ({
        mode: this.state.overlayMode,
        opacity: this.state.overlayOpacity,
        hiddenClasses: this.state.hiddenClasses,
      }),
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

  /** Overlay settings changed: only the viewers redraw (the charts do not depend on them). */
  private updateOverlay(state: ViewState): void {
    this.state = state;
    this.host.setState(state);
    for (const card of this.cards) card?.viewer?.redraw();
  }

  /** The card's chart as a standalone SVG, with a title and a legend of the shown classes (and runs). */
  private chartSvg(card: Card): { source: string; width: number; height: number } {
    const { results, state, views } = this;
    return standaloneChartSvg({
      svg: card.svg!,
      chartBox: card.chartBox,
      results,
      seriesIndex: card.seriesIndex,
      metric: state.metric,
      hiddenClasses: state.hiddenClasses,
      views,
    });
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
      const own = chartData(this.results, card.seriesIndex, metric, {
        model,
        group,
        spread,
        focusInput,
        view: this.focusView,
      });
      card.data = mergeCompare(own, this.results.classes, this.views, metric, { group, spread });
      const selection = card.viewer
        ? { selected: card.selected, onSelect: (value: number) => card.viewer!.select(value) }
        : {};
      card.svg = renderChart(card.chartBox, card.data, {
        width: card.chartBox.clientWidth || 560,
        classes: this.results.classes,
        hidden,
        perInput,
        viewLabels,
        viewRuns,
        inputLabels,
        ...selection,
      });
      const count = this.results.classes.length;
      const sentences = card.data.sentences.filter((x) => !hidden.has(x.className));
      card.sentences.replaceChildren(
        ...sentences.map((x) =>
          h(
            'li',
            { class: `c-${classColor(x.classIndex, count).slot}` },
            h('span', { class: 'swatch', 'aria-hidden': 'true' }),
            x.text,
          ),
        ),
      );
    }
  }
}
