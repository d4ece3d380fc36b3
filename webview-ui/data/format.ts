/** Number formatting for ticks, tooltips and CSV-free display (never SI prefixes: 0.3, not 300m). */

const MINUS = '\u2212';

function withMinus(text: string): string {
  return text.startsWith('-') ? MINUS + text.slice(1) : text;
}

/** A parameter value: up to 3 significant digits, integers in full. */
export function formatParameter(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '∞' : `${MINUS}∞`;
  if (Number.isInteger(value)) return withMinus(String(value));
  return withMinus(String(Number(value.toPrecision(Math.abs(value) >= 1000 ? 4 : 3))));
}

/** A metric value: ratios with 3 decimals, distances with 1 decimal and "mm". */
export function formatMetric(value: number | null, unit: string): string {
  if (value === null) return 'undefined';
  if (!Number.isFinite(value)) return formatParameter(value) + (unit ? ` ${unit}` : '');
  const text = withMinus(value.toFixed(unit ? 1 : 3));
  return unit ? `${text} ${unit}` : text;
}

/** Which log-axis ticks get a label: all when few, else those with leading digit 1, 2, 3 or 5. */
export function labelledLogTicks(ticks: readonly number[]): Set<number> {
  if (ticks.length <= 8) return new Set(ticks);
  const leading = (v: number) => Math.round(v / 10 ** Math.floor(Math.log10(v) + 1e-9));
  return new Set(ticks.filter((t) => [1, 2, 3, 5].includes(leading(t))));
}
