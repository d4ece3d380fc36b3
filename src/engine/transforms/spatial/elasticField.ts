/**
 * A smooth random displacement field for the elastic deformation: random displacements on a
 * coarse grid of control points, interpolated to every pixel with Catmull–Rom cubics.
 */
import type { Random } from '../../random';

export interface DisplacementField {
  /** Displacement in px per pixel, index x + width*y. */
  dx: Float64Array;
  dy: Float64Array;
}

/** Catmull–Rom weights of the four nodes around a point at fraction t of its cell. */
function catmullRomWeights(t: number): [number, number, number, number] {
  const t2 = t * t;
  const t3 = t2 * t;
  return [(-t3 + 2 * t2 - t) / 2, (3 * t3 - 5 * t2 + 2) / 2, (-3 * t3 + 4 * t2 + t) / 2, (t3 - t2) / 2];
}

/** For each pixel along an axis of `length`, the four node indices (clamped) and their weights. */
function nodeTaps(length: number, nodes: number): { index: Int32Array; weight: Float64Array } {
  const index = new Int32Array(4 * length);
  const weight = new Float64Array(4 * length);
  for (let i = 0; i < length; i++) {
    const u = length > 1 ? (i * (nodes - 1)) / (length - 1) : 0;
    const cell = Math.min(Math.floor(u), nodes - 2);
    const w = catmullRomWeights(u - cell);
    for (let k = 0; k < 4; k++) {
      index[4 * i + k] = Math.min(Math.max(cell - 1 + k, 0), nodes - 1);
      weight[4 * i + k] = w[k];
    }
  }
  return { index, weight };
}

/**
 * Control points form a `nodes`×`nodes` grid spanning the plane; the outer ring is fixed at zero
 * so the image border stays in place, the inner ones get standard-normal displacements (drawn in
 * a fixed order: y-major, dx before dy). The dense field is then scaled so that the largest
 * displacement of any pixel is exactly `magnitude` px (an all-zero field stays zero).
 */
export function elasticField(
  width: number,
  height: number,
  magnitude: number,
  nodes: number,
  random: Random,
): DisplacementField {
  const nodeDx = new Float64Array(nodes * nodes);
  const nodeDy = new Float64Array(nodes * nodes);
  for (let j = 1; j < nodes - 1; j++) {
    for (let i = 1; i < nodes - 1; i++) {
      nodeDx[i + nodes * j] = random.normal();
      nodeDy[i + nodes * j] = random.normal();
    }
  }
  const xs = nodeTaps(width, nodes);
  const ys = nodeTaps(height, nodes);
  const dx = new Float64Array(width * height);
  const dy = new Float64Array(width * height);
  let largest = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sumX = 0;
      let sumY = 0;
      for (let b = 0; b < 4; b++) {
        const row = nodes * ys.index[4 * y + b];
        const wy = ys.weight[4 * y + b];
        for (let a = 0; a < 4; a++) {
          const w = wy * xs.weight[4 * x + a];
          sumX += w * nodeDx[row + xs.index[4 * x + a]];
          sumY += w * nodeDy[row + xs.index[4 * x + a]];
        }
      }
      const i = x + width * y;
      dx[i] = sumX;
      dy[i] = sumY;
      largest = Math.max(largest, Math.hypot(sumX, sumY));
    }
  }
  const scale = largest > 0 ? magnitude / largest : 0;
  for (let i = 0; i < dx.length; i++) {
    dx[i] *= scale;
    dy[i] *= scale;
  }
  return { dx, dy };
}
