/**
 * Transforms whose parameter names a discrete operation rather than an amount: their axis shows
 * one labelled tick per value, evenly spaced, instead of a numeric scale.
 */
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

export function categoricalAxis(transform: string): Category[] | null {
  return transform === 'dihedral' ? DIHEDRAL : null;
}
