/**
 * Summaries that turn a series' metric curve into numbers and a sentence (docs/ALGORITHMS.md, "Summaries"):
 * tolerance interval, breakdown values, nAUC, ROOD-MRI scores. See summary/curve.ts for the
 * exact definitions chosen.
 */
export { summarizeCurve, normalisedAuc, type CurvePoint, type CurveSummary, type CurveSummaryOptions } from './summary/curve';
export { roodScores, ROOD_ALPHA, type RoodScores } from './summary/rood';
export { toleranceSentence, formatParameter, type SentenceInput } from './summary/sentence';
