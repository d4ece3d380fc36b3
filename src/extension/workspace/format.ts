/** Short texts for the tree and the pickers: times, durations, value ranges. Pure. */

/** "2026-11-27T12-03-09-123Z" (a run folder name) → the Date it stands for, if it is one. */
export function dateFromRunFolder(name: string): Date | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})(?:-(\d{1,3}))?Z$/.exec(name);
  if (!match) return undefined;
  const date = new Date(`${match[1]}T${match[2]}:${match[3]}:${match[4]}.${(match[5] ?? '0').padStart(3, '0')}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local time as "2026-11-27 13:03:09": sortable, unambiguous, short. */
export function formatLocalTime(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** 850 ms → "0.9 s", 83 000 ms → "1 min 23 s", 4 000 000 ms → "1 h 6 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(3)));
}

/** "-180 … 180 °" from a series' per-input value lists; "" when there are none. */
export function formatValueRange(valuesPerInput: readonly (readonly number[])[], unit: string): string {
  const all = valuesPerInput.flat().filter((v) => Number.isFinite(v));
  if (all.length === 0) return '';
  const low = Math.min(...all);
  const high = Math.max(...all);
  const range = low === high ? formatNumber(low) : `${formatNumber(low)} … ${formatNumber(high)}`;
  return unit ? `${range} ${unit}` : range;
}
