/** The "Tolerance intervals by model" table (runs with several models): see data/model-table.ts. */
import type { ResultsModel } from '../../src/engine/report/results';
import type { ToleranceRow } from '../data/model-table';
import { classColor } from '../data/palette';
import { h } from './dom';

export function renderModelTable(
  rows: readonly ToleranceRow[],
  models: readonly ResultsModel[],
  classCount: number,
  metricLabel: string,
): HTMLElement {
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col' }, 'Series'),
    h('th', { scope: 'col' }, 'Class'),
    ...models.map((model) => h('th', { scope: 'col', title: `sha256 ${model.sha256}` }, model.label)),
  );
  const body = rows.map((row) =>
    h(
      'tr',
      { 'data-series': row.series, 'data-class': row.className },
      h('th', { scope: 'row' }, row.series),
      h(
        'td',
        { class: `class-cell c-${classColor(row.classIndex, classCount).slot}` },
        h('span', { class: 'swatch', 'aria-hidden': 'true' }),
        row.className,
      ),
      ...row.cells.map((cell) =>
        h(
          'td',
          {
            class: `interval${cell.best ? ' best' : ''}${cell.interval === null ? ' none' : ''}${cell.failsAtBaseline ? ' fails' : ''}`,
            'data-model': cell.model,
          },
          cell.best ? h('strong', { title: 'widest interval of this row' }, cell.text) : cell.text,
        ),
      ),
    ),
  );
  return h(
    'section',
    { class: 'model-table', 'aria-labelledby': 'model-table-title' },
    h('h2', { id: 'model-table-title' }, 'Tolerance intervals by model'),
    h(
      'p',
      { class: 'caption' },
      `${metricLabel}: where each model’s mean over all inputs stays within τ of its unchanged value; the widest interval of each row is in bold.`,
    ),
    h('div', { class: 'table-scroll' }, h('table', {}, h('thead', {}, head), h('tbody', {}, ...body))),
  );
}
