/**
 * The overlay viewer under a series card: the input at the selected sweep value, drawn twice —
 * with the ground truth (or pseudo-truth) and with the prediction — in the class colours, filled
 * or as contours. A slider (and play/pause) scrubs through the series' values, hovering the
 * chart selects a value, and volumes get a slice slider. Frames are asked of the engine one at
 * a time when shown (never the whole sweep), and kept in a shared LRU cache.
 */
import type { RunResults } from '../../src/engine/report/results';
import { FrameCache, type FrameKey, type OverlayFrame } from '../data/frame-cache';
import { formatParameter } from '../data/format';
import { composeOverlay, greyLevels, nearestIndex, parseColor, type OverlayMode } from '../data/overlay';
import { classColor, isBackgroundClass } from '../data/palette';
import { h } from './dom';

export interface ViewerStyle {
  mode: OverlayMode;
  opacity: number;
  hiddenClasses: readonly string[];
}

export interface ViewerOptions {
  results: RunResults;
  seriesIndex: number;
  requestFrame: (key: FrameKey) => Promise<OverlayFrame>;
  cache: FrameCache;
  style: () => ViewerStyle;
  /** The selected value changed (the card marks it on its chart). */
  onSelect: (value: number) => void;
  onError: (message: string) => void;
  /** Fetch the first frame at once instead of when the viewer scrolls into view (the top card). */
  eager?: boolean;
}

/** Time per frame while playing (at least: the next frame is asked for once this one is shown). */
const PLAY_INTERVAL_MS = 700;

function classRgb(index: number, count: number): [number, number, number] | undefined {
  const color = classColor(index, count);
  const fromTheme = parseColor(getComputedStyle(document.body).getPropertyValue(`--misas-class-${color.slot}`));
  const dark = document.body.classList.contains('vscode-dark') || document.body.classList.contains('vscode-high-contrast');
  return fromTheme ?? parseColor(dark ? color.dark : color.light);
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
  private playTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly slider: HTMLInputElement;
  private readonly valueLabel: HTMLElement;
  private readonly playButton: HTMLElement;
  private readonly sliceRow: HTMLElement;
  private readonly sliceSlider: HTMLInputElement;
  private readonly sliceLabel: HTMLElement;
  private readonly status: HTMLElement;
  private readonly truthCanvas: HTMLCanvasElement;
  private readonly predictionCanvas: HTMLCanvasElement;
  private readonly truthCaption: HTMLElement;
  private readonly observer: IntersectionObserver;

  constructor(private readonly options: ViewerOptions) {
    const { results, seriesIndex } = options;
    const series = results.series[seriesIndex];
    const id = `viewer-${seriesIndex}`;
    this.index = this.identityIndex();
    this.slider = h('input', { type: 'range', class: 'value-slider', id: `${id}-value`, min: 0, max: Math.max(0, this.values.length - 1), step: 1, value: this.index, 'aria-label': `${series.name} value` });
    this.slider.addEventListener('input', () => this.setIndex(Number(this.slider.value)));
    this.valueLabel = h('output', { class: 'value-label', for: `${id}-value` });
    this.playButton = h('vscode-button', { secondary: true, class: 'play', id: `${id}-play`, title: `Play through the ${series.name} values`, 'aria-label': `Play through the ${series.name} values`, 'aria-pressed': 'false' }, 'Play');
    this.playButton.addEventListener('click', () => (this.playTimer === undefined ? this.play() : this.pause()));
    this.sliceSlider = h('input', { type: 'range', class: 'slice-slider', id: `${id}-slice`, min: 0, max: 0, step: 1, value: 0, 'aria-label': 'Slice' });
    this.sliceSlider.addEventListener('input', () => {
      this.slice = Number(this.sliceSlider.value);
      this.load();
    });
    this.sliceLabel = h('output', { class: 'value-label slice-label', for: `${id}-slice` });
    this.sliceRow = h('div', { class: 'viewer-row slice-row', hidden: true }, h('label', { for: `${id}-slice` }, 'Slice'), this.sliceSlider, this.sliceLabel);
    this.status = h('p', { class: 'viewer-status', role: 'status', 'aria-live': 'polite' });
    this.truthCanvas = h('canvas', { class: 'overlay-canvas truth', width: 1, height: 1, role: 'img', 'aria-label': 'Input with ground truth' });
    this.predictionCanvas = h('canvas', { class: 'overlay-canvas prediction', width: 1, height: 1, role: 'img', 'aria-label': 'Input with prediction' });
    this.truthCaption = h('figcaption', {}, 'Ground truth');

    const inputSelect = results.inputs.length > 1 ? this.inputSelect(id) : null;
    this.element = h(
      'section',
      { class: 'viewer', 'aria-label': `${series.name} overlays`, 'data-series': series.name },
      h(
        'div',
        { class: 'viewer-controls' },
        inputSelect,
        h('div', { class: 'viewer-row' }, this.playButton, this.slider, this.valueLabel),
        this.sliceRow,
      ),
      h('div', { class: 'overlays' }, h('figure', {}, this.truthCanvas, this.truthCaption), h('figure', {}, this.predictionCanvas, h('figcaption', {}, 'Prediction'))),
      this.status,
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
    const select = h('vscode-single-select', { id: `${id}-input`, 'aria-label': 'Input' }, ...this.options.results.inputs.map((input, i) => h('vscode-option', { value: String(i), selected: i === 0 }, input.label)));
    select.addEventListener('change', () => {
      const value = Number((select as HTMLElement & { value: string }).value);
      if (!Number.isInteger(value) || value === this.input) return;
      const current = this.value;
      this.input = value;
      this.slice = undefined;
      this.slider.max = String(Math.max(0, this.values.length - 1));
      this.setIndex(nearestIndex(this.values, current));
    });
    return h('div', { class: 'viewer-row' }, h('label', { for: `${id}-input` }, 'Input'), select);
  }

  /** Selects the sweep value nearest to `value` (chart hover, keyboard on the chart). */
  select(value: number): void {
    this.setIndex(nearestIndex(this.values, value));
  }

  private setIndex(index: number): void {
    const clamped = Math.max(0, Math.min(this.values.length - 1, index));
    const changed = clamped !== this.index;
    this.index = clamped;
    this.slider.value = String(clamped);
    this.updateLabel();
    if (changed) this.options.onSelect(this.value);
    this.started = true;
    this.load();
  }

  private updateLabel(): void {
    const series = this.options.results.series[this.options.seriesIndex];
    const unit = series.unit && series.unit !== '°' ? ` ${series.unit}` : series.unit;
    const text = this.value === undefined ? '—' : `${formatParameter(this.value)}${unit}`;
    this.valueLabel.textContent = text;
    this.slider.setAttribute('aria-valuetext', text);
  }

  private play(): void {
    this.playButton.textContent = 'Pause';
    this.playButton.setAttribute('aria-pressed', 'true');
    const step = () => {
      // Wait for the frame being computed: playing shows every value, never skips one.
      if (this.loading) {
        this.playTimer = setTimeout(step, 100);
        return;
      }
      this.setIndex(this.index + 1 >= this.values.length ? 0 : this.index + 1);
      this.playTimer = setTimeout(step, PLAY_INTERVAL_MS);
    };
    this.playTimer = setTimeout(step, 0);
  }

  pause(): void {
    clearTimeout(this.playTimer);
    this.playTimer = undefined;
    this.playButton.textContent = 'Play';
    this.playButton.setAttribute('aria-pressed', 'false');
  }

  /** Shows the frame for the current selection: from the cache, or asked of the engine (one request at a time; the latest wish wins). */
  private load(): void {
    if (this.value === undefined) return;
    const key: FrameKey = { series: this.options.results.series[this.options.seriesIndex].name, input: this.input, value: this.value, ...(this.slice !== undefined ? { slice: this.slice } : {}) };
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
    this.options.requestFrame(key).then(
      (frame) => {
        this.options.cache.set(key, frame);
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
    if (frame.slices !== undefined) {
      this.sliceRow.hidden = false;
      this.sliceSlider.max = String(frame.slices - 1);
      this.sliceSlider.value = String(frame.slice ?? 0);
      this.slice = frame.slice;
      this.sliceLabel.textContent = `${(frame.slice ?? 0) + 1} / ${frame.slices}`;
    } else {
      this.sliceRow.hidden = true;
    }
    this.truthCaption.textContent = frame.pseudoTruth ? 'Pseudo-truth (prediction on the untransformed input)' : 'Ground truth';
    this.redraw();
  }

  /** Draws the current frame again (class toggles, mode, opacity or theme changed). */
  redraw(): void {
    const frame = this.frame;
    if (!frame) return;
    const style = this.options.style();
    const classes = this.options.results.classes;
    const hidden = new Set(style.hiddenClasses);
    const colors = classes.map((name, i) => (hidden.has(name) || isBackgroundClass(i, classes.length) ? undefined : classRgb(i, classes.length)));
    const grey = greyLevels(frame.image, frame.range);
    const overlay = { mode: style.mode, opacity: style.opacity, colors };
    paint(this.truthCanvas, frame, composeOverlay(grey, frame.truth, frame.width, frame.height, overlay));
    paint(this.predictionCanvas, frame, composeOverlay(grey, frame.prediction, frame.width, frame.height, overlay));
    this.element.dataset.frame = `${this.value}`;
  }

  dispose(): void {
    this.pause();
    this.observer.disconnect();
  }
}

function paint(canvas: HTMLCanvasElement, frame: OverlayFrame, rgba: Uint8ClampedArray): void {
  if (canvas.width !== frame.width) canvas.width = frame.width;
  if (canvas.height !== frame.height) canvas.height = frame.height;
  canvas.getContext('2d')?.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, frame.width, frame.height), 0, 0);
}
