/**
 * The one-line reading of a curve summary, e.g.
 * "cortex: Dice ≥ 90% of baseline for rotate −35°…+50°; breaks at −40° and +55°".
 */
import type { CurveSummary } from './curve';

export interface SentenceInput {
  className: string;
  /** Metric label as shown ('Dice', 'HD95'). */
  metric: string;
  /** Transform name or title ('rotate'). */
  transform: string;
  /** Parameter unit ('°', 'px', '×', '' …). */
  unit: string;
  summary: CurveSummary;
}

/** Units written right after the number; others get a space ("20 px"). */
const TIGHT_UNITS = new Set(['', '°', '%', '×', '′', '″']);

/** Up to 4 significant digits, a real minus sign, and a plus sign when `signed`. */
export function formatParameter(value: number, unit: string, signed = false): string {
  const magnitude = String(Number(Math.abs(value).toPrecision(4)));
  const sign = value < 0 ? '−' : signed && value > 0 ? '+' : '';
  return `${sign}${magnitude}${TIGHT_UNITS.has(unit) ? unit : ` ${unit}`}`;
}

function percent(fraction: number): string {
  return `${Number((100 * fraction).toPrecision(3))}%`;
}

export function toleranceSentence({ className, metric, transform, unit, summary }: SentenceInput): string {
  const undefinedNote =
    summary.skipped.length === 0
      ? ''
      : ` (${summary.skipped.length} ${summary.skipped.length === 1 ? 'value' : 'values'} undefined)`;
  if (!summary.tolerance) {
    return `${className}: ${metric} is undefined at the identity (${transform} ${formatParameter(summary.identity, unit)}); no tolerance computed${undefinedNote}`;
  }
  const [lo, hi] = summary.tolerance;
  const { below, above } = summary.breakdown;
  const shown = [lo, hi, below, above].filter((v): v is number => v !== null);
  const signed = shown.some((v) => v < 0);
  const fmt = (v: number): string => formatParameter(v, unit, signed);

  const bound = summary.higherIsBetter ? `≥ ${percent(summary.tau)}` : `≤ ${percent(1 / summary.tau)}`;
  // "−35°…+50°" but "0…10 px": a spaced unit is written once, after the range.
  const tight = TIGHT_UNITS.has(unit);
  const range =
    lo === hi
      ? `${transform} ${fmt(lo)} only`
      : tight
        ? `${transform} ${fmt(lo)}…${fmt(hi)}`
        : `${transform} ${formatParameter(lo, '', signed)}…${fmt(hi)}`;
  const breaks = [below, above].filter((v): v is number => v !== null).map(fmt);
  const tail = breaks.length === 0 ? 'never breaks within the sweep' : `breaks at ${breaks.join(' and ')}`;
  return `${className}: ${metric} ${bound} of baseline for ${range}; ${tail}${undefinedNote}`;
}
