/** Option values the artifacts interpret further: axis names and k-space positions. */
import { MisasInputError } from '../../errors';
import { AXIS_NAMES, type AxisName } from '../options';

/** Index of a named spatial axis (x = 0, first and fastest); refuses z on a 2D image. */
export function axisIndex(transform: string, name: AxisName, dims: readonly number[]): number {
  const index = AXIS_NAMES.indexOf(name);
  if (index >= dims.length) {
    throw new MisasInputError('', `${transform}: axis ${name} does not exist in a ${dims.length}D image`);
  }
  return index;
}

/**
 * Relative k-space positions written as "x,y[,z]" separated by ";" (e.g. "0.1,0.1; 0.7,0.3").
 * Coordinates a position leaves out are 0.5, the centre of k-space along that axis (no
 * modulation there); coordinates beyond the image's dimensionality are ignored.
 */
export function parsePositions(transform: string, text: string, dimensionality: number): number[][] {
  const positions = text
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => part.split(',').map((coordinate) => Number(coordinate.trim())));
  if (positions.length === 0) throw new MisasInputError('', `${transform}: no k-space position given`);
  return positions.map((position) => {
    if (position.some((p) => !Number.isFinite(p) || p < 0 || p >= 1)) {
      throw new MisasInputError('', `${transform}: positions need coordinates in [0, 1), got "${text}"`);
    }
    return Array.from({ length: dimensionality }, (_, axis) => position[axis] ?? 0.5);
  });
}

/** Refuses a value below `minimum` (a negative σ, zero ghosts …) with a message naming it. */
export function requireAtLeast(transform: string, name: string, value: number, minimum: number): void {
  if (!(value >= minimum))
    throw new MisasInputError('', `${transform}: ${name} must be at least ${minimum}, got ${value}`);
}
