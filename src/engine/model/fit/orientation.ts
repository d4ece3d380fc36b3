/**
 * The eight in-plane orientations a 2D model may expect, as maps of a work item's plane
 * (x fastest, dims [w, h]): the plane is oriented before the model and the labels are mapped
 * back after it. Each orientation is a bijection of pixels, so mapping back is a scatter
 * through the same map.
 */
export const FIT_ORIENTATIONS = [
  'as-stored', 'transposed', 'flipped-vertical', 'flipped-horizontal',
  'rotated-180', 'rotated-90', 'rotated-270', 'anti-transposed',
] as const;
export type FitOrientation = (typeof FIT_ORIENTATIONS)[number];

/** Whether the orientation swaps width and height. */
export function swapsAxes(orientation: FitOrientation): boolean {
  return orientation === 'transposed' || orientation === 'anti-transposed' || orientation === 'rotated-90' || orientation === 'rotated-270';
}

/** Source pixel (x, y) of the oriented pixel (u, v), for a source plane w × h. */
function sourceOf(orientation: FitOrientation, w: number, h: number): (u: number, v: number) => number {
  switch (orientation) {
    case 'as-stored': return (u, v) => u + w * v;
    case 'transposed': return (u, v) => v + w * u;
    case 'flipped-vertical': return (u, v) => u + w * (h - 1 - v);
    case 'flipped-horizontal': return (u, v) => (w - 1 - u) + w * v;
    case 'rotated-180': return (u, v) => (w - 1 - u) + w * (h - 1 - v);
    // Quarter turns as displayed (y down): counter-clockwise for 90, clockwise for 270.
    case 'rotated-90': return (u, v) => (w - 1 - v) + w * u;
    case 'rotated-270': return (u, v) => v + w * (h - 1 - u);
    case 'anti-transposed': return (u, v) => (w - 1 - v) + w * (h - 1 - u);
  }
}

export function orientedDims(orientation: FitOrientation, dims: readonly number[]): number[] {
  return swapsAxes(orientation) ? [dims[1], dims[0]] : [dims[0], dims[1]];
}

/** The plane (planar channels on dims [w, h]) as the model with this orientation expects it. */
export function orientPlane(data: Float32Array, dims: readonly number[], channels: number, orientation: FitOrientation): Float32Array {
  if (orientation === 'as-stored') return data;
  const [w, h] = dims;
  const [ow, oh] = orientedDims(orientation, dims);
  const source = sourceOf(orientation, w, h);
  const size = w * h;
  const out = new Float32Array(data.length);
  for (let c = 0; c < channels; c++) {
    const base = c * size;
    for (let v = 0; v < oh; v++) for (let u = 0; u < ow; u++) out[base + u + ow * v] = data[base + source(u, v)];
  }
  return out;
}

/** Labels on the oriented plane mapped back onto the source plane dims [w, h]. */
export function unorientLabels<T extends Uint8Array | Uint16Array>(labels: T, dims: readonly number[], orientation: FitOrientation): T {
  if (orientation === 'as-stored') return labels;
  const [w, h] = dims;
  const [ow, oh] = orientedDims(orientation, dims);
  const source = sourceOf(orientation, w, h);
  const out = new (labels.constructor as new (n: number) => T)(labels.length);
  for (let v = 0; v < oh; v++) for (let u = 0; u < ow; u++) out[source(u, v)] = labels[u + ow * v];
  return out;
}
