/** Short texts about a run's models and input problems, for the tree, the pickers and the panel. Pure. */
import type { InputProblem } from '../engine/dataset/types';
import type { ResultsModel } from '../engine/report/results';

/** The models' display names: "model.onnx", or "unet, resnet" for a run comparing models. */
export function modelLabels(models: readonly Pick<ResultsModel, 'label'>[]): string {
  return models.map((model) => model.label).join(', ');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * "3 inputs skipped, 1 input with pseudo-truth"; "" without problems. An input with several
 * problems (its file named twice) counts once.
 */
export function problemsSummary(problems: readonly InputProblem[] | undefined): string {
  const inputsWith = (action: InputProblem['action']) =>
    new Set((problems ?? []).filter((p) => p.action === action).map((p) => p.input ?? p.file)).size;
  const skipped = inputsWith('skipped');
  const pseudo = inputsWith('pseudo-truth');
  return [
    skipped ? `${plural(skipped, 'input')} skipped` : '',
    pseudo ? `${plural(pseudo, 'input')} with pseudo-truth` : '',
  ]
    .filter(Boolean)
    .join(', ');
}
