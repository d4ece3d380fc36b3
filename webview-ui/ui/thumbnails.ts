/**
 * The thumbnail strip under an overlay viewer: the prediction overlay at every value of the
 * series (misas's plot_series), each labelled with its value, the selected one highlighted.
 * Thumbnails are fetched only while on screen, through the page's frame loader (queued behind the
 * viewer's own frame, two at a time), and keep a shrunken copy of their frame so redrawing them
 * asks for nothing. One Tab stop for the whole strip (roving tabindex): ←/→/Home/End move
 * between thumbnails, Enter/Space or a click selects that value.
 */
import type { FrameKey, OverlayFrame } from '../data/frame-cache';
import { FrameRequestCancelled, type FrameLoader } from '../data/frame-loader';
import { canvasBoxStyle } from '../data/pixel-aspect';
import { shrinkFrame, thumbnailSize } from '../data/thumbnail';
import { h } from './dom';

/** Longest side of a thumbnail's canvas, in pixels (it is shown smaller, so it stays sharp on HiDPI screens). */
const THUMBNAIL_SIDE = 96;

type ThumbState = 'waiting' | 'loading' | 'shown' | 'failed';

interface Thumb {
  value: number;
  button: HTMLButtonElement;
  canvas: HTMLCanvasElement;
  small?: OverlayFrame;
  abort?: AbortController;
}

export interface ThumbnailStripOptions {
  /** Accessible name of the strip, e.g. "rotate: prediction at every value". */
  label: string;
  loader: FrameLoader;
  /** The frame behind a value (the viewer's series, input and slice). */
  keyOf: (value: number) => FrameKey;
  /** The value as shown (with its unit). */
  format: (value: number) => string;
  onSelect: (index: number) => void;
  /** Draws a (shrunken) frame's prediction overlay in the viewer's current style. */
  draw: (canvas: HTMLCanvasElement, frame: OverlayFrame) => void;
  /** Width over height of one frame pixel (the input's spacing): thumbnails show the physical shape. */
  pixelAspect: () => number;
}

export class ThumbnailStrip {
  readonly element: HTMLElement;
  private thumbs: Thumb[] = [];
  private selected = 0;
  private focusIndex = 0;
  private started = false;
  private size = { width: THUMBNAIL_SIDE, height: THUMBNAIL_SIDE };
  /** CSS width and aspect-ratio of every thumbnail canvas (non-square voxels). */
  private box = { width: '', aspectRatio: '' };
  private readonly observer: IntersectionObserver;

  constructor(private readonly options: ThumbnailStripOptions) {
    // Hidden until the viewer's first frame: where frames fail (Restricted Mode) there is nothing to show.
    this.element = h('div', { class: 'thumbs', role: 'group', 'aria-label': options.label, hidden: true });
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    // The viewport is the root, so the strip's own horizontal scrolling clips too.
    this.observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const thumb = this.thumbs.find((t) => t.button === entry.target);
        if (!thumb) continue;
        if (entry.isIntersecting) this.fetch(thumb);
        else this.drop(thumb);
      }
    });
  }

  /** Shows a thumbnail per value (again: after the input or the slice changed). */
  setValues(values: readonly number[], selected: number): void {
    for (const thumb of this.thumbs) thumb.abort?.abort();
    this.observer.disconnect();
    this.thumbs = values.map((value, index) => {
      const canvas = h('canvas', {
        class: 'thumb-canvas',
        width: this.size.width,
        height: this.size.height,
        'aria-hidden': 'true',
      });
      Object.assign(canvas.style, this.box);
      const text = this.options.format(value);
      const button = h(
        'button',
        {
          type: 'button',
          class: 'thumb',
          'data-value': String(value),
          'data-state': 'waiting',
          'aria-pressed': 'false',
          tabindex: -1,
          'aria-label': text,
          title: text,
        },
        canvas,
        h('span', { class: 'thumb-label' }, text),
      );
      button.addEventListener('click', () => {
        this.focusIndex = index;
        this.options.onSelect(index);
      });
      button.addEventListener('focus', () => this.setFocusIndex(index));
      return { value, button, canvas };
    });
    this.element.replaceChildren(...this.thumbs.map((t) => t.button));
    this.element.dataset.count = String(values.length);
    this.focusIndex = selected;
    this.select(selected);
    if (this.started) for (const thumb of this.thumbs) this.observer.observe(thumb.button);
  }

  /**
   * Starts fetching visible thumbnails, once the viewer has shown its first frame (which thus
   * never waits behind them); its size and the input's spacing set the thumbnails' shape.
   */
  start(frame: { width: number; height: number }): void {
    const size = thumbnailSize(frame.width, frame.height, THUMBNAIL_SIDE);
    if (size.width !== this.size.width || size.height !== this.size.height) {
      this.size = size;
      for (const thumb of this.thumbs) if (!thumb.small) Object.assign(thumb.canvas, size);
    }
    // From the frame's own size: the shrunken copy's rounding must not skew the proportions.
    this.box = canvasBoxStyle(frame.width, frame.height, this.options.pixelAspect());
    for (const thumb of this.thumbs) Object.assign(thumb.canvas.style, this.box);
    if (this.started) return;
    this.started = true;
    this.element.hidden = false;
    for (const thumb of this.thumbs) this.observer.observe(thumb.button);
  }

  /** Marks the selected value (and makes it the strip's Tab stop), scrolling the strip — not the page — to it. */
  select(index: number): void {
    this.selected = index;
    this.thumbs.forEach((thumb, i) => {
      thumb.button.setAttribute('aria-pressed', String(i === index));
      thumb.button.classList.toggle('selected', i === index);
    });
    if (!this.thumbs.some((t) => t.button === document.activeElement)) this.setFocusIndex(index);
    const button = this.thumbs[index]?.button;
    if (button && this.element.scrollWidth > this.element.clientWidth) {
      const left = button.offsetLeft; // the strip is the buttons' offset parent (position: relative)
      if (left < this.element.scrollLeft) this.element.scrollLeft = left - 4;
      else if (left + button.offsetWidth > this.element.scrollLeft + this.element.clientWidth)
        this.element.scrollLeft = left + button.offsetWidth - this.element.clientWidth + 4;
    }
  }

  /** Draws every fetched thumbnail again (class toggles, fill/contour, opacity, theme). */
  redraw(): void {
    for (const thumb of this.thumbs) if (thumb.small) this.options.draw(thumb.canvas, thumb.small);
  }

  dispose(): void {
    this.observer.disconnect();
    for (const thumb of this.thumbs) thumb.abort?.abort();
  }

  private setFocusIndex(index: number): void {
    this.focusIndex = index;
    this.thumbs.forEach((thumb, i) => (thumb.button.tabIndex = i === index ? 0 : -1));
  }

  private onKey(event: KeyboardEvent): void {
    const last = this.thumbs.length - 1;
    const target = { ArrowLeft: this.focusIndex - 1, ArrowRight: this.focusIndex + 1, Home: 0, End: last }[event.key];
    if (target === undefined || last < 0) return;
    event.preventDefault();
    const index = Math.max(0, Math.min(last, target));
    this.setFocusIndex(index);
    this.thumbs[index].button.focus();
  }

  private setState(thumb: Thumb, state: ThumbState, title?: string): void {
    thumb.button.dataset.state = state;
    thumb.button.title = title ?? this.options.format(thumb.value);
  }

  private fetch(thumb: Thumb): void {
    if (thumb.small || thumb.abort) return;
    const abort = new AbortController();
    thumb.abort = abort;
    this.setState(thumb, 'loading');
    this.options.loader.queue(this.options.keyOf(thumb.value), abort.signal).then(
      (frame) => {
        if (thumb.abort !== abort) return;
        thumb.abort = undefined;
        thumb.small = shrinkFrame(frame, THUMBNAIL_SIDE);
        this.options.draw(thumb.canvas, thumb.small);
        this.setState(thumb, 'shown');
        this.observer.unobserve(thumb.button);
      },
      (error: unknown) => {
        if (thumb.abort !== abort) return;
        thumb.abort = undefined;
        if (error instanceof FrameRequestCancelled) this.setState(thumb, 'waiting');
        else
          this.setState(
            thumb,
            'failed',
            `${this.options.format(thumb.value)}: ${error instanceof Error ? error.message : String(error)}`,
          );
      },
    );
  }

  /** Scrolled away before its turn: give the place in the queue to thumbnails on screen. */
  private drop(thumb: Thumb): void {
    if (thumb.abort && thumb.button.dataset.state === 'loading') thumb.abort.abort();
  }
}
