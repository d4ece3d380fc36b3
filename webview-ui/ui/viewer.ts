/**
 * The overlay viewer under a series card: the input at the selected sweep value, drawn twice —
 * with the ground truth (or pseudo-truth) and with the prediction — in the class colours, filled
 * or as contours. A slider (and play/pause) scrubs through the series' values, hovering the
 * chart selects a value, and volumes get a slice slider. Under the overlays: a thumbnail strip
 * of the prediction at every value, the confusion matrix of the shown frame, and an animated
 * GIF export of the series. Frames are asked of the engine when shown (the viewer's one at a
 * time, thumbnails only while on screen), through one loader and LRU cache for the page. All
 * of them show the input's physical proportions (its spacing), not square pixels.
 * The sliders and Play/Pause are scrub-controls.ts; this file loads, shows and paints frames.
 */
import type { RunResults } from '../../src/engine/report/results';
import { exportFileName } from '../data/export';
import type { FrameCache, FrameKey, OverlayFrame } from '../data/frame-cache';
import type { FrameLoader } from '../data/frame-loader';
import { formatParameter } from '../data/format';
import { composeOverlay, greyLevels, nearestIndex, type OverlayStyle } from '../data/overlay';
import { canvasBoxStyle, framePixelAspect } from '../data/pixel-aspect';
import { ConfusionView } from './confusion-view';
import { h } from './dom';
import { GifButton } from './gif-button';
import { overlayStyleOf, paint, type ViewerStyle } from './overlay-paint';
import { ScrubControls } from './scrub-controls';
import { ThumbnailStrip } from './thumbnails';

export interface ViewerOptions {
  results: RunResults;
  seriesIndex: number;
  /** The page's one loader and cache: viewers, thumbnails and exports share requests in flight and frames. */
  loader: FrameLoader;
  cache: FrameCache;
  style: () => ViewerStyle;
  /** The selected value changed (the card marks it on its chart). */
  onSelect: (value: number) => void;
  onError: (message: string) => void;
  /** Fetch the first frame at once instead of when the viewer scrolls into view (the top card). */
  eager?: boolean;
  /** Saves an exported file through the host (the GIF button shows only when given). */
  save?: (fileName: string, data: ArrayBuffer) => Promise<void>;
  /** The run's model whose predictions are shown (default 0); asked at every frame. */
  model?: () => number;
}

/** Inputs the run has rows for: the others were skipped (their problem is in the header). */
function runnableInputs(results: RunResults): number[] {
  return results.inputs
    .filter((input) => !input.problem && results.series.some((s) => (s.values[input.input] ?? []).length > 0))
    .map((input) => input.input);
}

export class OverlayViewer {
  readonly element: HTMLElement;
  private input = 0;
  private index = 0;
  private slice: number | undefined;
  private frame: OverlayFrame | undefined;
  private wanted: FrameKey | undefined;
  private loading = false;
  private started = false;
  private readonly scrub: ScrubControls;
  private readonly status: HTMLElement;
  private readonly truthCanvas: HTMLCanvasElement;
  private readonly predictionCanvas: HTMLCanvasElement;
  private readonly truthCaption: HTMLElement;
  private readonly observer: IntersectionObserver;
  private readonly loader: FrameLoader;
  private readonly strip: ThumbnailStrip;
  private readonly confusion: ConfusionView;
  private readonly gif: GifButton | undefined;

  constructor(private readonly options: ViewerOptions) {
    const { results, seriesIndex } = options;
    const series = results.series[seriesIndex];
    const id = `viewer-${seriesIndex}`;
    this.loader = options.loader;
    this.index = this.identityIndex();
    this.scrub = new ScrubControls({
      id,
      seriesName: series.name,
      index: this.index,
      count: () => this.values.length,
      current: () => this.index,
      loading: () => this.loading,
      onIndex: (index) => this.setIndex(index),
      onSlice: (slice) => {
        this.slice = slice;
        this.strip.setValues(this.values, this.index);
        this.load();
      },
    });
    this.status = h('p', { class: 'viewer-status', role: 'status', 'aria-live': 'polite' });
    this.truthCanvas = h('canvas', {
      class: 'overlay-canvas truth',
      width: 1,
      height: 1,
      role: 'img',
      'aria-label': 'Input with ground truth',
    });
    this.predictionCanvas = h('canvas', {
      class: 'overlay-canvas prediction',
      width: 1,
      height: 1,
      role: 'img',
      'aria-label': 'Input with prediction',
    });
    this.truthCaption = h('figcaption', {}, 'Ground truth');
    this.strip = new ThumbnailStrip({
      label: `${series.name}: the prediction at every value`,
      loader: this.loader,
      keyOf: (value) => this.keyOf(value),
      format: (value) => this.valueText(value),
      onSelect: (index) => this.setIndex(index),
      draw: (canvas, frame) => this.drawPrediction(canvas, frame),
      pixelAspect: () => this.pixelAspect(),
    });
    this.strip.setValues(this.values, this.index);
    this.confusion = new ConfusionView(results.classes);
    this.gif = options.save
      ? new GifButton(id, series.name, () => this.gifJob(), options.save, options.onError)
      : undefined;

    this.input = runnableInputs(results)[0] ?? 0;
    const inputSelect = runnableInputs(results).length > 1 ? this.inputSelect(id) : null;
    this.element = h(
      'section',
      { class: 'viewer', 'aria-label': `${series.name} overlays`, 'data-series': series.name },
      h(
        'div',
        { class: 'viewer-controls' },
        inputSelect,
        h(
          'div',
          { class: 'viewer-row' },
          this.scrub.playButton,
          this.scrub.slider,
          this.scrub.valueLabel,
          this.gif?.button ?? null,
        ),
        this.scrub.sliceRow,
        h('div', { class: 'viewer-row gif-row' }, this.gif?.progress ?? null, this.gif?.status ?? null),
      ),
      h(
        'div',
        { class: 'overlays' },
        h('figure', {}, this.truthCanvas, this.truthCaption),
        h('figure', {}, this.predictionCanvas, h('figcaption', {}, 'Prediction')),
      ),
      this.status,
      this.strip.element,
      this.confusion.element,
    );
    this.updateLabel();
    // Frames are fetched only once the viewer is on screen, or about to be (scrolling down; the
    // margin is ignored inside cross-origin frames such as VS Code's webviews).
    this.observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting) && !this.started) {
          this.started = true;
          this.load();
        }
      },
      { rootMargin: '0px 0px 400px 0px' },
    );
    this.observer.observe(this.element);
    if (options.eager) {
      this.started = true;
      queueMicrotask(() => this.load());
    }
  }

  private get values(): number[] {
    return this.options.results.series[this.options.seriesIndex].values[this.input] ?? [];
  }

  get value(): number {
    return this.values[this.index];
  }

  private identityIndex(): number {
    const series = this.options.results.series[this.options.seriesIndex];
    return nearestIndex(this.values, series.identity[this.input] ?? this.values[0]);
  }

  private inputSelect(id: string): HTMLElement {
    const { inputs } = this.options.results;
    const options = runnableInputs(this.options.results).map((i) =>
      h('vscode-option', { value: String(i), selected: i === this.input }, inputs[i].label),
    );
    const select = h('vscode-single-select', { id: `${id}-input`, 'aria-label': 'Input' }, ...options);
    select.addEventListener('change', () => {
      const value = Number((select as HTMLElement & { value: string }).value);
      if (!Number.isInteger(value) || value === this.input) return;
      const current = this.value;
      this.input = value;
      this.slice = undefined;
      this.scrub.setCount(this.values.length);
      this.strip.setValues(this.values, nearestIndex(this.values, current));
      this.setIndex(nearestIndex(this.values, current));
    });
    return h('div', { class: 'viewer-row' }, h('label', { for: `${id}-input` }, 'Input'), select);
  }

  /** Shows input `input`, as if picked in the input selector (the panel's input list drills down to it). */
  selectInput(input: number): void {
    const select = this.element.querySelector<HTMLElement & { value: string }>(
      `#viewer-${this.options.seriesIndex}-input`,
    );
    if (!select || input === this.input) return;
    select.value = String(input);
    select.dispatchEvent(new Event('change'));
  }

  /** The panel's model changed: the strip and the frame show that model's predictions. */
  showModelChange(): void {
    this.strip.setValues(this.values, this.index);
    if (this.started) this.load();
  }

  /** Selects the sweep value nearest to `value` (chart hover, keyboard on the chart). */
  select(value: number): void {
    this.setIndex(nearestIndex(this.values, value));
  }

  private setIndex(index: number): void {
    const clamped = Math.max(0, Math.min(this.values.length - 1, index));
    const changed = clamped !== this.index;
    this.index = clamped;
    this.strip.select(clamped);
    this.updateLabel();
    if (changed) this.options.onSelect(this.value);
    this.started = true;
    this.load();
  }

  /** A value as shown, with the series' unit (°, ×, …). */
  private valueText(value: number | undefined): string {
    const series = this.options.results.series[this.options.seriesIndex];
    const unit = series.unit && series.unit !== '°' ? ` ${series.unit}` : series.unit;
    return value === undefined ? '—' : `${formatParameter(value)}${unit}`;
  }

  private updateLabel(): void {
    this.scrub.showValue(this.index, this.valueText(this.value));
  }

  /** The run's model whose predictions are shown. */
  private get model(): number {
    return this.options.model?.() ?? 0;
  }

  /** Width over height of one pixel of this input's frames (its spacing, cut along the model's slice axis). */
  private pixelAspect(): number {
    return framePixelAspect(this.options.results, this.input, this.model);
  }

  /** The frame behind a value of this series, for the chosen input and slice. */
  private keyOf(value: number): FrameKey {
    const model = this.model;
    return {
      series: this.options.results.series[this.options.seriesIndex].name,
      input: this.input,
      value,
      ...(this.slice !== undefined ? { slice: this.slice } : {}),
      ...(model ? { model } : {}),
    };
  }

  pause(): void {
    this.scrub.pause();
  }

  /** Shows the frame for the current selection: from the cache, or asked of the engine (one request at a time; the latest wish wins). */
  private load(): void {
    if (this.value === undefined) return;
    const key = this.keyOf(this.value);
    const cached = this.options.cache.get(key);
    if (cached) {
      this.wanted = undefined;
      this.show(cached);
      return;
    }
    this.wanted = key;
    if (this.loading) return;
    this.loading = true;
    this.element.classList.add('loading');
    this.status.textContent = 'Computing the frame…';
    this.loader.load(key).then(
      (frame) => {
        this.finish();
        if (this.wanted && JSON.stringify(this.wanted) === JSON.stringify(key)) {
          this.wanted = undefined;
          this.show(frame);
        } else this.load();
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.finish();
        this.wanted = undefined;
        this.pause();
        this.status.textContent = message;
        this.element.classList.add('failed');
        this.confusion.clear();
        this.options.onError(message);
      },
    );
  }

  private finish(): void {
    this.loading = false;
    this.element.classList.remove('loading');
  }

  private show(frame: OverlayFrame): void {
    this.frame = frame;
    this.element.classList.remove('failed');
    this.status.textContent = '';
    if (frame.slices !== undefined) this.slice = frame.slice;
    this.scrub.showSlice(frame.slice, frame.slices);
    this.truthCaption.textContent = frame.pseudoTruth
      ? 'Pseudo-truth (prediction on the untransformed input)'
      : 'Ground truth';
    this.confusion.update(
      frame,
      `${this.options.results.series[this.options.seriesIndex].name} = ${this.valueText(this.value)}`,
    );
    this.redraw();
    // Thumbnails start once the viewer's own frame is there, so they never delay it.
    this.strip.start(frame);
  }

  /** The overlay style of the toolbar and legend, with the theme's class colours. */
  private overlayStyle(): OverlayStyle {
    return overlayStyleOf(this.options.style(), this.options.results.classes);
  }

  private drawPrediction(canvas: HTMLCanvasElement, frame: OverlayFrame, style = this.overlayStyle()): void {
    paint(
      canvas,
      frame,
      composeOverlay(greyLevels(frame.image, frame.range), frame.prediction, frame.width, frame.height, style),
    );
  }

  /** Draws the current frame and the thumbnails again (class toggles, mode, opacity or theme changed). */
  redraw(): void {
    this.strip.redraw();
    const frame = this.frame;
    if (!frame) return;
    const overlay = this.overlayStyle();
    paint(
      this.truthCanvas,
      frame,
      composeOverlay(greyLevels(frame.image, frame.range), frame.truth, frame.width, frame.height, overlay),
    );
    this.drawPrediction(this.predictionCanvas, frame, overlay);
    // Non-square voxels: the canvases' CSS box takes the physical shape, their pixels stay the frame's.
    const box = canvasBoxStyle(frame.width, frame.height, this.pixelAspect());
    Object.assign(this.truthCanvas.style, box);
    Object.assign(this.predictionCanvas.style, box);
    this.element.dataset.frame = `${this.value}`;
  }

  /** The GIF of the prediction at every value of this input (and slice), and its file name. */
  private gifJob() {
    const series = this.options.results.series[this.options.seriesIndex];
    const several = this.options.results.inputs.length > 1;
    const parts = [
      series.name,
      ...(several ? [`input${this.input + 1}`] : []),
      ...(this.slice !== undefined ? [`slice${this.slice + 1}`] : []),
      'prediction',
    ];
    return {
      render: {
        values: [...this.values],
        keyOf: (value: number) => this.keyOf(value),
        loader: this.loader,
        style: this.overlayStyle(),
        pixelAspect: this.pixelAspect(),
        caption: (value: number) => `${series.name} = ${this.valueText(value)}`,
      },
      fileName: exportFileName(this.options.results, parts, 'gif'),
    };
  }

  dispose(): void {
    this.pause();
    this.observer.disconnect();
    this.strip.dispose();
    this.gif?.dispose();
  }
}
