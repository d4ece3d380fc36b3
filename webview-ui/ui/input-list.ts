/**
 * "Inputs, worst first": the ranked inputs of the model in focus as a list of toggle buttons
 * (Tab, Enter and Space work as for any button). Picking one highlights its curves on every
 * chart and shows it in the overlay viewers; picking it again clears the pick.
 */
import type { RankedInput } from '../data/ranking';
import { h } from './dom';

export interface InputListOptions {
  ranked: readonly RankedInput[];
  focus: number | null;
  caption: string;
  onPick: (input: number) => void;
}

export function renderInputList({ ranked, focus, caption, onPick }: InputListOptions): HTMLElement {
  const items = ranked.map((entry, rank) => {
    const picked = entry.input === focus;
    const button = h(
      'button',
      {
        type: 'button',
        class: 'input-item',
        'aria-pressed': String(picked),
        'data-input': entry.input,
        title: picked ? `Stop highlighting ${entry.label}` : `Highlight ${entry.label} on every chart`,
      },
      h('span', { class: 'input-rank' }, `${rank + 1}.`),
      h('span', { class: 'input-label' }, entry.label),
      entry.group !== undefined ? h('span', { class: 'tag' }, entry.group) : null,
      h('span', { class: 'input-score' }, entry.scoreText),
    );
    button.addEventListener('click', () => onPick(entry.input));
    return h('li', {}, button);
  });
  return h(
    'section',
    { class: 'input-list', 'aria-labelledby': 'input-list-title' },
    h('h2', { id: 'input-list-title' }, 'Inputs, worst first'),
    h('p', { class: 'caption' }, caption),
    ranked.length > 0 ? h('ol', {}, ...items) : h('p', { class: 'empty' }, 'No input has a score for this metric.'),
  );
}
