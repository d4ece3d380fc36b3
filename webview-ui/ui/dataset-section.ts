/**
 * The dataset section under the toolbar: a note on what the band and the per-input marks mean,
 * the tolerance intervals by model (several models) and the inputs, worst first (several
 * inputs). Rendered from the view state; a picked input goes back to the page (app.ts).
 */
import { METRICS } from '../../src/engine/metrics/types';
import type { RunResults } from '../../src/engine/report/results';
import { inputsWithRows } from '../data/dataset';
import { toleranceTable } from '../data/model-table';
import { rankedInputs, scoreCaption } from '../data/ranking';
import type { ViewState } from '../data/view-state';
import { renderInputList } from './input-list';
import { renderModelTable } from './model-table';

/** What the band and the boxes mean, under the toolbar (runs with several inputs only). */
export function renderSpreadNote(note: HTMLElement, results: RunResults, state: ViewState): void {
  const several = inputsWithRows(results, state.model).length > 1;
  note.hidden = !several;
  if (!several) return;
  const band =
    state.spread === 'sd'
      ? 'the line is the mean over the inputs and the shaded band ± one standard deviation'
      : 'the line is the median over the inputs and the shaded band the interquartile range (Q1–Q3)';
  const perInput = {
    lines: ' Faint lines: each input.',
    boxes: ' Box plots per value: median line, box Q1–Q3, whiskers min–max.',
    none: '',
  }[state.perInput];
  const group = state.group !== null ? ` Inputs of group ${state.group} only.` : '';
  note.textContent = `Several inputs: ${band}.${perInput}${group}`;
}

export interface DatasetSectionOptions {
  results: RunResults;
  state: ViewState;
  /** The page has overlay viewers (VS Code): picking an input shows it there too. */
  overlays: boolean;
  /** An input was picked in the list (the page toggles the focus input). */
  onPick: (input: number) => void;
}

/** Fills `dataset` with the tolerance table and the input list; hidden when neither applies. */
export function renderDatasetSection(dataset: HTMLElement, options: DatasetSectionOptions): void {
  const { results, state } = options;
  const parts: HTMLElement[] = [];
  const metricLabel = METRICS[state.metric].label;
  if (results.models.length > 1) {
    parts.push(
      renderModelTable(toleranceTable(results, state.metric), results.models, results.classes.length, metricLabel),
    );
  }
  if (inputsWithRows(results, state.model).length > 1) {
    const ranked = rankedInputs(results, { model: state.model, metric: state.metric, group: state.group });
    parts.push(
      renderInputList({
        ranked,
        focus: state.focusInput,
        caption:
          scoreCaption(state.metric) +
          (results.models.length > 1 ? ` Model: ${results.models[state.model].label.replace(/\.$/, '')}.` : '') +
          ' Pick an input to highlight it on every chart' +
          (options.overlays ? ' and show it in the overlay viewers.' : '.'),
        onPick: (input) => {
          options.onPick(input);
          // The list was drawn again: the focus goes to the picked entry's new button.
          (dataset.querySelector(`.input-item[data-input="${input}"]`) as HTMLElement | null)?.focus();
        },
      }),
    );
  }
  dataset.replaceChildren(...parts);
  dataset.hidden = parts.length === 0;
}
