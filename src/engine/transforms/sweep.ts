/**
 * A parameter sweep as written in experiment files and in the registry's defaults, and its
 * expansion into the concrete values a series evaluates.
 */
export type Sweep =
  | { values: number[] }
  | { start: number; stop: number; step: number }
  | { start: number; stop: number; steps: number; scale: 'log' | 'linear' };

/** Digits kept when expanding ranges, so 0.1 steps give 0.3 and not 0.30000000000000004. */
const ROUND_DIGITS = 10;

function tidy(value: number): number {
  return Number(value.toFixed(ROUND_DIGITS));
}

/**
 * How many values `expandSweep` would make, without making them (so a limit can refuse
 * `"steps": 1e9` before a billion numbers exhaust memory). Invalid sweeps count as 0: expanding
 * them throws the precise error.
 */
export function sweepLength(sweep: Sweep): number {
  if ('values' in sweep) return sweep.values.length;
  if ('step' in sweep) {
    const { start, stop, step } = sweep;
    if (step === 0 || !Number.isFinite(step) || (stop - start) / step < 0) return 0;
    const count = Math.floor(tidy((stop - start) / step)) + 1;
    return Number.isFinite(count) ? count : Infinity;
  }
  return Number.isInteger(sweep.steps) && sweep.steps >= 1 ? sweep.steps : 0;
}

/** Expands a sweep into its values; `stop` is included when the steps land on it. */
export function expandSweep(sweep: Sweep): number[] {
  if ('values' in sweep) return [...sweep.values];
  if ('step' in sweep) {
    const { start, stop, step } = sweep;
    if (step === 0 || !Number.isFinite(step)) throw new RangeError(`sweep step must be a non-zero number, got ${step}`);
    if ((stop - start) / step < 0)
      throw new RangeError(`sweep from ${start} to ${stop} never arrives with step ${step}`);
    const count = Math.floor(tidy((stop - start) / step)) + 1;
    return Array.from({ length: count }, (_, i) => tidy(start + i * step));
  }
  const { start, stop, steps, scale } = sweep;
  if (!Number.isInteger(steps) || steps < 1)
    throw new RangeError(`sweep steps must be a positive integer, got ${steps}`);
  if (steps === 1) return [start];
  if (scale === 'log') {
    if (start <= 0 || stop <= 0) throw new RangeError('a log-scaled sweep needs positive start and stop');
    const ratio = Math.log(stop / start) / (steps - 1);
    return Array.from({ length: steps }, (_, i) => tidy(start * Math.exp(i * ratio)));
  }
  return Array.from({ length: steps }, (_, i) => tidy(start + ((stop - start) * i) / (steps - 1)));
}

/** Human-readable form for help texts: "−180…180 step 5", "0.25…4 (9 log steps)". */
export function describeSweep(sweep: Sweep): string {
  if ('values' in sweep) return sweep.values.join(', ');
  if ('step' in sweep) return `${sweep.start}…${sweep.stop} step ${sweep.step}`;
  return `${sweep.start}…${sweep.stop} (${sweep.steps} ${sweep.scale} steps)`;
}
