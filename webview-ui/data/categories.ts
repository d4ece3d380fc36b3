/**
 * Transforms whose parameter names a discrete operation rather than an amount, and series given
 * as severity levels: their axis shows one labelled tick per value, evenly spaced, instead of a
 * numeric scale.
 */
import { formatParameter } from './format';

export interface Category {
  value: number;
  /** Short tick label ("k=3"). */
  label: string;
  /** What the value does ("90° + mirror"). */
  detail: string;
}

/** dihedral k = 2r + mirror: r quarter turns counter-clockwise, then a left-right mirror when k is odd. */
const DIHEDRAL: Category[] = Array.from({ length: 8 }, (_, k) => {
  const turn = Math.floor(k / 2) * 90;
  const mirror = k % 2 === 1;
  const detail = turn === 0 ? (mirror ? 'mirror' : 'identity') : `${turn}°${mirror ? ' + mirror' : ''}`;
  return { value: k, label: `k=${k}`, detail };
});

/** The fields of a results series the axis reads. */
interface AxisSeries {
  transform: string;
  unit: string;
  values: readonly (readonly number[])[];
  severities?: readonly (readonly number[])[];
}

/**
 * A series of severity levels: one tick per level ("level 3"), its parameter value as the detail.
 * Levels in pixels differ between input sizes: the first input's values name the ticks.
 */
function severityAxis(series: AxisSeries): Category[] | null {
  const at = series.values.findIndex((values) => values.length > 0);
  if (at < 0 || !series.severities?.[at]) return null;
  const unit = series.unit && series.unit !== '°' ? ` ${series.unit}` : series.unit;
  return series.values[at].map((value, i) => ({
    value,
    label: `level ${series.severities![at][i]}`,
    detail: `${formatParameter(value)}${unit}`,
  }));
}

export function categoricalAxis(series: AxisSeries): Category[] | null {
  if (series.severities) return severityAxis(series);
  return series.transform === 'dihedral' ? DIHEDRAL : null;
}
