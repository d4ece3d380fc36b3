/**
 * The confusion matrix under an overlay viewer, at the selected value: pixel counts of the
 * shown frame (truth rows × prediction columns) with each row's percentages, the cells shaded by
 * their share of the row. It covers exactly what the overlays show — one image, or one slice of
 * a volume — and the caption says so.
 */
import { confusionMatrix, formatShare, rowShare } from '../data/confusion';
import type { OverlayFrame } from '../data/frame-cache';
import { classColor } from '../data/palette';
import { h } from './dom';

const COUNT_FORMAT = new Intl.NumberFormat('en-US');

export class ConfusionView {
  readonly element: HTMLElement;

  constructor(private readonly classes: readonly string[]) {
    this.element = h('div', { class: 'confusion', hidden: true });
  }

  /** Shows the matrix of `frame` (hidden when the frame has no truth to compare with). */
  update(frame: OverlayFrame, at: string): void {
    if (!frame.truth) {
      this.element.hidden = true;
      this.element.replaceChildren();
      return;
    }
    const count = this.classes.length;
    const matrix = confusionMatrix(frame.truth, frame.prediction, count);
    const truthName = frame.pseudoTruth ? 'pseudo-truth' : 'ground truth';
    const scope =
      frame.slices !== undefined ? `this slice (${(frame.slice ?? 0) + 1} of ${frame.slices}) only` : 'this image';
    const name = (i: number) => [
      h('span', { class: `swatch c-${classColor(i, count).slot}`, 'aria-hidden': 'true' }),
      this.classes[i],
    ];
    const header = h(
      'tr',
      {},
      h('th', { scope: 'col', class: 'corner' }, `${capitalised(truthName)} ↓ · prediction →`),
      ...this.classes.map((_, p) => h('th', { scope: 'col' }, ...name(p))),
      h('th', { scope: 'col', class: 'row-total' }, 'Pixels'),
    );
    const rows = matrix.counts.map((row, t) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, ...name(t)),
        ...row.map((n, p) => {
          const share = rowShare(matrix, t, p);
          const cell = h(
            'td',
            { class: p === t ? 'cell diagonal' : 'cell', 'data-count': String(n) },
            h('span', { class: 'count' }, COUNT_FORMAT.format(n)),
            h('span', { class: 'share' }, formatShare(share)),
          );
          // Through the CSSOM (allowed by the CSP, unlike style attributes).
          cell.style.setProperty('--share', String(share ?? 0));
          return cell;
        }),
        h('td', { class: 'row-total' }, COUNT_FORMAT.format(matrix.rowTotals[t])),
      ),
    );
    const caption = h(
      'caption',
      {},
      `Confusion matrix at ${at} — ${scope}: rows are the ${truthName}, columns the prediction; pixel counts and the share of each row.`,
    );
    const outside =
      matrix.outside > 0
        ? h(
            'p',
            { class: 'confusion-note' },
            `${COUNT_FORMAT.format(matrix.outside)} pixels have labels outside the run's ${count} classes and are not counted.`,
          )
        : null;
    const table = h(
      'table',
      { class: 'confusion-table', 'data-total': String(matrix.total), 'data-classes': String(count) },
      caption,
      h('thead', {}, header),
      h('tbody', {}, ...rows),
    );
    this.element.replaceChildren(h('div', { class: 'confusion-scroll' }, table), ...(outside ? [outside] : []));
    this.element.hidden = false;
  }

  clear(): void {
    this.element.hidden = true;
    this.element.replaceChildren();
  }
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
