/**
 * 2D resampling primitives shared by the geometric transforms and the motion artifact.
 *
 * Coordinates: x to the right, y down, pixel centres at integer positions (pixel (0, 0) covers
 * [-0.5, 0.5]²). Nearest neighbour rounds halves up (floor(c + 0.5)), like scipy.ndimage's
 * order 0. Two edge behaviours exist:
 * - fill (warps): every neighbour outside the source counts as `fill`, so linear samples blend
 *   into it across the edge; this is scipy.ndimage's mode 'grid-constant' (not 'constant', which
 *   drops any sample outside [0, n−1] entirely);
 * - clamp (scaling): coordinates are clamped into the source, i.e. the edge pixel repeats;
 *   this is scipy.ndimage's mode 'nearest'.
 */
export type Interpolation = 'linear' | 'nearest';

/** A writable array of numbers (every typed array is one). */
export type NumberSink = { length: number; [i: number]: number };

/** Linear sample of `src` at (sx, sy) where neighbours outside the plane take `fill`. */
function sampleLinearWithFill(
  src: ArrayLike<number>,
  width: number,
  height: number,
  sx: number,
  sy: number,
  fill: number,
): number {
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  if (x0 < -1 || y0 < -1 || x0 >= width || y0 >= height) return fill;
  const fx = sx - x0;
  const fy = sy - y0;
  if (x0 >= 0 && y0 >= 0 && x0 + 1 < width && y0 + 1 < height) {
    const i = x0 + width * y0;
    const top = src[i] + fx * (src[i + 1] - src[i]);
    const bottom = src[i + width] + fx * (src[i + width + 1] - src[i + width]);
    return top + fy * (bottom - top);
  }
  const at = (x: number, y: number): number =>
    x >= 0 && y >= 0 && x < width && y < height ? src[x + width * y] : fill;
  const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
  const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
  return top * (1 - fy) + bottom * fy;
}

/** Nearest sample of `src` at (sx, sy); `fill` when the nearest pixel lies outside the plane. */
function sampleNearestWithFill(
  src: ArrayLike<number>,
  width: number,
  height: number,
  sx: number,
  sy: number,
  fill: number,
): number {
  const x = Math.floor(sx + 0.5);
  const y = Math.floor(sy + 0.5);
  return x >= 0 && y >= 0 && x < width && y < height ? src[x + width * y] : fill;
}

function samplerFor(interpolation: Interpolation): typeof sampleLinearWithFill {
  return interpolation === 'nearest' ? sampleNearestWithFill : sampleLinearWithFill;
}

/**
 * Linear sample at (sx, sy) with x0 = floor(sx), y0 = floor(sy) where at least one of the four
 * neighbours lies outside the plane: those count as `fill` (the edge ring of a warp).
 */
function sampleLinearAtEdge(
  src: ArrayLike<number>,
  width: number,
  height: number,
  sx: number,
  sy: number,
  x0: number,
  y0: number,
  fill: number,
): number {
  if (x0 < -1 || y0 < -1 || x0 >= width || y0 >= height) return fill;
  const fx = sx - x0;
  const fy = sy - y0;
  const left = x0 >= 0,
    right = x0 + 1 < width,
    above = y0 >= 0,
    below = y0 + 1 < height;
  const a = left && above ? src[x0 + width * y0] : fill;
  const b = right && above ? src[x0 + 1 + width * y0] : fill;
  const c = left && below ? src[x0 + width * (y0 + 1)] : fill;
  const d = right && below ? src[x0 + 1 + width * (y0 + 1)] : fill;
  const top = a * (1 - fx) + b * fx;
  const bottom = c * (1 - fx) + d * fx;
  return top * (1 - fy) + bottom * fy;
}

type Affine2D = readonly [number, number, number, number, number, number];

/**
 * The linear warp. Inner pixels (all four neighbours inside) are inlined because this loop is
 * the hot path of every rotate/translate sweep step; the edge ring goes through
 * sampleLinearAtEdge, which gives the same numbers as sampleLinearWithFill.
 */
function affineWarpLinear(
  src: ArrayLike<number>,
  srcWidth: number,
  srcHeight: number,
  m: Affine2D,
  out: NumberSink,
  outWidth: number,
  outHeight: number,
  fill: number,
): void {
  const [m0, m1, m2, m3, m4, m5] = m;
  for (let y = 0; y < outHeight; y++) {
    const rowX = m1 * y + m2;
    const rowY = m4 * y + m5;
    const row = outWidth * y;
    for (let x = 0; x < outWidth; x++) {
      const sx = m0 * x + rowX;
      const sy = m3 * x + rowY;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < srcWidth && y0 + 1 < srcHeight) {
        const fx = sx - x0;
        const i = x0 + srcWidth * y0;
        const a = src[i],
          b = src[i + 1],
          c = src[i + srcWidth],
          d = src[i + srcWidth + 1];
        const top = a + fx * (b - a);
        out[row + x] = top + (sy - y0) * (c + fx * (d - c) - top);
      } else {
        out[row + x] = sampleLinearAtEdge(src, srcWidth, srcHeight, sx, sy, x0, y0, fill);
      }
    }
  }
}

/** The nearest-neighbour warp (label maps, and images with interpolation 'nearest'). */
function affineWarpNearest(
  src: ArrayLike<number>,
  srcWidth: number,
  srcHeight: number,
  m: Affine2D,
  out: NumberSink,
  outWidth: number,
  outHeight: number,
  fill: number,
): void {
  const [m0, m1, m2, m3, m4, m5] = m;
  for (let y = 0; y < outHeight; y++) {
    const rowX = m1 * y + m2;
    const rowY = m4 * y + m5;
    const row = outWidth * y;
    for (let x = 0; x < outWidth; x++) {
      const xi = Math.floor(m0 * x + rowX + 0.5);
      const yi = Math.floor(m3 * x + rowY + 0.5);
      out[row + x] = xi >= 0 && yi >= 0 && xi < srcWidth && yi < srcHeight ? src[xi + srcWidth * yi] : fill;
    }
  }
}

/** out(x, y) = src(m[0]*x + m[1]*y + m[2], m[3]*x + m[4]*y + m[5]) for every output pixel (x right, y down, pixel centres at integers); samples outside src take `fill`. */
export function affineWarpPlane(
  src: ArrayLike<number>,
  srcWidth: number,
  srcHeight: number,
  m: Affine2D,
  out: NumberSink,
  outWidth: number,
  outHeight: number,
  interpolation: Interpolation,
  fill: number,
): void {
  // Two separate loops, so that each keeps its own (mostly one-typed) array accesses.
  if (interpolation === 'nearest') affineWarpNearest(src, srcWidth, srcHeight, m, out, outWidth, outHeight, fill);
  else affineWarpLinear(src, srcWidth, srcHeight, m, out, outWidth, outHeight, fill);
}

/**
 * out(x, y) = src(x + dx[i], y + dy[i]) with i = x + width*y: a warp by a dense displacement
 * field (elastic deformation). Same plane size in and out; samples outside take `fill`.
 */
export function displacementWarpPlane(
  src: ArrayLike<number>,
  width: number,
  height: number,
  dx: ArrayLike<number>,
  dy: ArrayLike<number>,
  out: NumberSink,
  interpolation: Interpolation,
  fill: number,
): void {
  const sample = samplerFor(interpolation);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) out[i] = sample(src, width, height, x + dx[i], y + dy[i], fill);
  }
}

/** A rectangle of a plane in whole pixels. */
export interface PixelRegion {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/** Per output index along one axis: the two source indices and the weight of the second. */
interface AxisTaps {
  lower: Int32Array;
  upper: Int32Array;
  weight: Float64Array;
}

/**
 * Pixel-centre mapping of `outLength` samples onto `length` source pixels starting at `offset`:
 * c = (i + 0.5)·length/outLength − 0.5 (scipy.ndimage.zoom with grid_mode=True), clamped into
 * the source (mode 'nearest').
 */
function axisTaps(offset: number, length: number, outLength: number, interpolation: Interpolation): AxisTaps {
  const taps: AxisTaps = {
    lower: new Int32Array(outLength),
    upper: new Int32Array(outLength),
    weight: new Float64Array(outLength),
  };
  const factor = length / outLength;
  for (let i = 0; i < outLength; i++) {
    const c = Math.min(Math.max((i + 0.5) * factor - 0.5, 0), length - 1);
    if (interpolation === 'nearest') {
      const nearest = Math.min(Math.floor(c + 0.5), length - 1);
      taps.lower[i] = taps.upper[i] = offset + nearest;
    } else {
      const lower = Math.floor(c);
      taps.lower[i] = offset + lower;
      taps.upper[i] = offset + Math.min(lower + 1, length - 1);
      taps.weight[i] = c - lower;
    }
  }
  return taps;
}

/**
 * Scales `region` of the source plane to fill the whole output plane (zoom, resize): pixel-centre
 * mapping per axis, edge pixels repeated beyond the region's border, so only pixels inside the
 * region contribute.
 */
export function scalePlane(
  src: ArrayLike<number>,
  srcWidth: number,
  region: PixelRegion,
  out: NumberSink,
  outWidth: number,
  outHeight: number,
  interpolation: Interpolation,
): void {
  const xs = axisTaps(region.x0, region.width, outWidth, interpolation);
  const ys = axisTaps(region.y0, region.height, outHeight, interpolation);
  for (let y = 0; y < outHeight; y++) {
    const rowA = ys.lower[y] * srcWidth;
    const rowB = ys.upper[y] * srcWidth;
    const wy = ys.weight[y];
    for (let x = 0; x < outWidth; x++) {
      const xa = xs.lower[x];
      const xb = xs.upper[x];
      const wx = xs.weight[x];
      const top = src[rowA + xa] + wx * (src[rowA + xb] - src[rowA + xa]);
      const bottom = src[rowB + xa] + wx * (src[rowB + xb] - src[rowB + xa]);
      out[x + outWidth * y] = top + wy * (bottom - top);
    }
  }
}
