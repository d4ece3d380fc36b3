/** A fit check's result shown in the model-card steps it decides (normalisation, orientation). */
import type { FitCandidate, FitReport } from '../../engine/model/fit/types';
import type { CardField, NormalizationSpec } from '../../engine/model/cardTypes';
import { FIT_FIELDS, type CardStep } from './cardAnswers';
import { normalizationChoice, type CardChoice } from './cardChoices';

/** "mean foreground Dice 0.92" (with masks) or "label-free score 0.71". */
function fitScore(report: FitReport, candidate: FitCandidate): string {
  return report.ranking === 'dice' && candidate.meanDice !== null
    ? `mean foreground Dice ${candidate.meanDice.toFixed(2)}`
    : `label-free score ${candidate.score.toFixed(2)}`;
}

/** The candidate value a choice of a fit field stands for. */
function fitValue(field: CardField, candidate: FitCandidate): unknown {
  return field === 'normalization' ? candidate.normalization.kind : candidate.orientation;
}

function choiceKey(field: CardField, choice: CardChoice): unknown {
  return field === 'normalization' ? (choice.value as NormalizationSpec).kind : choice.value;
}

/**
 * The steps with a fit check's result: in each fit field it varied, the winner's choice comes
 * first and is pre-selected ("fit check: best, mean foreground Dice 0.92", its parameters
 * prefilled), and every other choice shows the best score it reached.
 */
export function withFitResult(steps: readonly CardStep[], report: FitReport): CardStep[] {
  const [winner] = report.candidates;
  const tried = new Set(report.tried.map((t) => t.field as CardField));
  return steps.map((step): CardStep => {
    if (step.kind !== 'choice' || !FIT_FIELDS.includes(step.field)) return step;
    if (!winner || !tried.has(step.field)) return { ...step, fitCheck: 'done' };
    const scored = step.choices.map((choice) => {
      // Candidates are best first: the first that matches is this choice's best.
      const best = report.candidates.find(
        (candidate) =>
          JSON.stringify(fitValue(step.field, candidate)) === JSON.stringify(choiceKey(step.field, choice)),
      );
      const isWinner = best === winner;
      let updated: CardChoice = choice;
      if (isWinner && step.field === 'normalization')
        updated = { ...normalizationChoice(winner.normalization.kind, winner.normalization), detail: choice.detail };
      const plain = (updated.description ?? '').replace(
        /^(assumed|inferred|fits the images|from the card|from the model's metadata|from the MONAI bundle) · /,
        '',
      );
      const description = isWinner
        ? `fit check: best, ${fitScore(report, winner)} · ${plain}`.replace(/ · $/, '')
        : plain;
      const result = best && !isWinner ? `fit check: ${fitScore(report, best)}` : best ? '' : 'fit check: not tried';
      return {
        choice: { ...updated, description, detail: [updated.detail, result].filter(Boolean).join(' · ') || undefined },
        isWinner,
      };
    });
    const ordered = [...scored.filter((s) => s.isWinner), ...scored.filter((s) => !s.isWinner)];
    return {
      ...step,
      choices: ordered.map((s) => s.choice),
      preselected: ordered[0]?.isWinner ? 0 : undefined,
      fitCheck: 'done',
    };
  });
}
