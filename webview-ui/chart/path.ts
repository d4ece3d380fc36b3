/**
 * SVG path data of a polyline with gaps: a new subpath (M) after every undefined point, so a
 * metric that is undefined at some sweep value breaks the line there instead of bridging it.
 */
export function polylinePath<P>(
  points: readonly P[],
  defined: (p: P) => boolean,
  x: (p: P) => number,
  y: (p: P) => number,
): string {
  let d = '';
  let drawing = false;
  for (const p of points) {
    if (!defined(p)) {
      drawing = false;
      continue;
    }
    d += `${drawing ? 'L' : 'M'}${round(x(p))},${round(y(p))}`;
    drawing = true;
  }
  return d;
}

/** Two decimals are far below a pixel and keep the SVG small. */
export function round(value: number): number {
  return Math.round(value * 100) / 100;
}
