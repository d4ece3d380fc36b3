/** Sentences about a fit check that the CLI and the VS Code panel both show. Pure. */
import { formatOrientation } from '../orientation';
import { describeNormalization, describeOutput, type FitField } from './candidates';
import type { FitReport } from './types';

const FIELD_NAMES: Record<FitField, string> = {
  orientation: 'orientation',
  normalization: 'normalisation',
  output: 'output',
};

function valueText(field: FitField, value: unknown): string {
  if (field === 'normalization' && value && typeof value === 'object') return describeNormalization(value as never);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** E.g. "ranked by mean foreground Dice against the masks of 5 images". */
export function rankingSentence(report: FitReport): string {
  const images = `${report.inputs.length} image${report.inputs.length === 1 ? '' : 's'}`;
  return report.ranking === 'dice'
    ? `ranked by mean foreground Dice against the masks (${images})`
    : `no masks: ranked by the label-free score (mean probability of the predicted class over the predicted foreground; ${images}) — a proxy, see docs/ALGORITHMS.md`;
}

/** "normalisation ×1/255 (sidecar)", … or undefined when the card fixed nothing. */
export function fixedSentence(report: FitReport): string | undefined {
  if (!report.fixed.length) return undefined;
  return `fixed by the model: ${report.fixed.map((f) => `${FIELD_NAMES[f.field]} ${valueText(f.field, f.value)} (${f.source === 'sidecar' ? 'its card' : f.source === 'metadata' ? 'its metadata_props' : 'its shapes'})`).join(', ')}`;
}

export function triedSentence(report: FitReport): string {
  return `tried: ${report.tried.map((t) => `${FIELD_NAMES[t.field]} (${t.values.map((v) => valueText(t.field, v)).join(', ')})`).join('; ')}`;
}

export function tiesSentence(report: FitReport): string | undefined {
  if (!report.ties.length) return undefined;
  return `near tie: ${report.ties.join('; ')} scored within 0.01 of the winner — the images barely tell them apart (e.g. left-right mirror images of a nearly symmetric anatomy); check an overlay before trusting the winner`;
}

export function assumedSentence(report: FitReport): string | undefined {
  if (!report.assumed.length) return undefined;
  return `not tested, still assumed: ${report.assumed.map((a) => `${a.field} ${JSON.stringify(a.assumed)}`).join('; ')}`;
}

export function timingSentence(report: FitReport): string {
  const { trials, modelCalls, milliseconds } = report.timing;
  return `${trials} trial${trials === 1 ? '' : 's'}, ${modelCalls} model call${modelCalls === 1 ? '' : 's'}, ${(milliseconds / 1000).toFixed(1)} s`;
}

/** The Dice columns: foreground classes (background's Dice says little). */
export function diceColumns(report: FitReport): string[] {
  return report.ranking === 'dice' ? report.classes.slice(1) : [];
}

/** The ranked table as text cells: header, then one row per candidate (at most `limit`). */
export function fitTable(report: FitReport, limit = report.candidates.length): { header: string[]; rows: string[][] } {
  const classes = diceColumns(report);
  const header = [
    '#',
    'orientation',
    'normalisation',
    'output',
    'score',
    ...classes.map((name) => `Dice ${name}`),
    'inputs',
  ];
  const rows = report.candidates
    .slice(0, limit)
    .map((c, i) => [
      String(i + 1),
      formatOrientation(c.orientation),
      describeNormalization(c.normalization),
      describeOutput(c.output),
      c.score.toFixed(3),
      ...classes.map((name) => c.dice![name].toFixed(3)),
      `${c.inputs}/${report.inputs.length}`,
    ]);
  return { header, rows };
}
