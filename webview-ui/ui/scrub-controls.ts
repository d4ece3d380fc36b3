/**
 * The overlay viewer's scrubbing controls: the value slider with its label and Play/Pause, and
 * a volume's slice slider. They hold no frames: they report the index or slice picked, and the
 * viewer says what to show. Playing steps through every value and waits for each frame.
 */
import { h } from './dom';

/** Time per frame while playing (at least: the next frame is asked for once this one is shown). */
const PLAY_INTERVAL_MS = 700;

export interface ScrubOptions {
  /** Prefix of the controls' ids (`viewer-<series>`). */
  id: string;
  seriesName: string;
  /** The value index shown at first. */
  index: number;
  /** How many values the shown input has, and which one is shown (read at every play step). */
  count: () => number;
  current: () => number;
  /** A frame is being computed: playing waits for it, so no value is skipped. */
  loading: () => boolean;
  /** The slider moved, or playing stepped on. */
  onIndex: (index: number) => void;
  /** The slice slider moved. */
  onSlice: (slice: number) => void;
}

export class ScrubControls {
  readonly slider: HTMLInputElement;
  readonly valueLabel: HTMLElement;
  readonly playButton: HTMLElement;
  readonly sliceRow: HTMLElement;
  private readonly sliceSlider: HTMLInputElement;
  private readonly sliceLabel: HTMLElement;
  private playTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: ScrubOptions) {
    const { id, seriesName } = options;
    this.slider = h('input', {
      type: 'range',
      class: 'value-slider',
      id: `${id}-value`,
      min: 0,
      max: Math.max(0, options.count() - 1),
      step: 1,
      value: options.index,
      'aria-label': `${seriesName} value`,
    });
    this.slider.addEventListener('input', () => options.onIndex(Number(this.slider.value)));
    this.valueLabel = h('output', { class: 'value-label', for: `${id}-value` });
    this.playButton = h(
      'vscode-button',
      {
        secondary: true,
        class: 'play',
        id: `${id}-play`,
        title: `Play through the ${seriesName} values`,
        'aria-label': `Play through the ${seriesName} values`,
        'aria-pressed': 'false',
      },
      'Play',
    );
    this.playButton.addEventListener('click', () => (this.playTimer === undefined ? this.play() : this.pause()));
    this.sliceSlider = h('input', {
      type: 'range',
      class: 'slice-slider',
      id: `${id}-slice`,
      min: 0,
      max: 0,
      step: 1,
      value: 0,
      'aria-label': 'Slice',
    });
    this.sliceSlider.addEventListener('input', () => options.onSlice(Number(this.sliceSlider.value)));
    this.sliceLabel = h('output', { class: 'value-label slice-label', for: `${id}-slice` });
    this.sliceRow = h(
      'div',
      { class: 'viewer-row slice-row', hidden: true },
      h('label', { for: `${id}-slice` }, 'Slice'),
      this.sliceSlider,
      this.sliceLabel,
    );
  }

  /** The input changed: the slider spans its values. */
  setCount(count: number): void {
    this.slider.max = String(Math.max(0, count - 1));
  }

  /** Moves the slider to `index` and shows `text` (the value with its unit) beside it. */
  showValue(index: number, text: string): void {
    this.slider.value = String(index);
    this.valueLabel.textContent = text;
    this.slider.setAttribute('aria-valuetext', text);
  }

  /** The frame shown is slice `slice` of `slices` (a volume), or a 2D image (`slices` undefined). */
  showSlice(slice: number | undefined, slices: number | undefined): void {
    if (slices === undefined) {
      this.sliceRow.hidden = true;
      return;
    }
    this.sliceRow.hidden = false;
    this.sliceSlider.max = String(slices - 1);
    this.sliceSlider.value = String(slice ?? 0);
    this.sliceLabel.textContent = `${(slice ?? 0) + 1} / ${slices}`;
  }

  private play(): void {
    this.playButton.textContent = 'Pause';
    this.playButton.setAttribute('aria-pressed', 'true');
    const step = () => {
      // Wait for the frame being computed: playing shows every value, never skips one.
      if (this.options.loading()) {
        this.playTimer = setTimeout(step, 100);
        return;
      }
      const next = this.options.current() + 1;
      this.options.onIndex(next >= this.options.count() ? 0 : next);
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
}
