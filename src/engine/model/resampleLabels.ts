/**
 * Labels of a 2D model output on the image grid, decided while resampling: the same labels as
 * resizeLinear(scores, model grid → image grid) followed by decideInto, bit for bit, without
 * materialising the resampled score planes.
 *
 * resizeLinear computes, per class, u = s[r, i0]·wx0 + s[r, i1]·wx1 along x in float64, then
 * v = u(r0)·wy0 + u(r1)·wy1 along y, and rounds v to float32. Both paths below evaluate exactly
 * that expression in that order, so every compared value is the same float32.
 */
import type { ModelCard } from './cardTypes';
import { decideInto, newLabelArray, type LabelArray } from './decide';
import { argmaxPass, type PlaneArgmax } from './argmaxPass';
import { linearTaps } from './geometry';

/** Buffers reused across calls (everything here is synchronous and returns fresh labels only). */
let widened = new Float64Array(0);
let gridRow = new Float32Array(0);
let sure = new Int32Array(0);
let blocks = new Int32Array(0);

/**
 * Argmax labels of the model pixels that no rounding can overturn, -1 for the others; undefined
 * when a score is not finite (then only the exact path reproduces NaN/Infinity comparisons) or
 * when most pixels are unsure. `argmax` is the scores' argmax pass when the caller has it already.
 *
 * Why this is safe: a resampled value is a combination of four corner scores with weights ≥ 0
 * summing to 1 (± 2⁻⁵¹); float64 evaluation and the final float32 rounding move it by at most
 * ~1.0002·2⁻²⁴·M, M = the largest |score|. If class k beats every other class by more than
 * 2⁻²⁰·M at all four corners, it beats them in exact arithmetic by at least that much at every
 * point between them, and so after rounding too (the margin needs only 2·1.0002·2⁻²⁴·M): the
 * argmax there is k, however the others are ordered. The floor 2⁻¹²⁰ keeps float32's
 * subnormal absolute error (2⁻¹⁴⁹) out of reach.
 */
function sureLabels(
  scores: Float32Array,
  planes: number,
  voxels: number,
  argmax: PlaneArgmax | undefined = argmaxPass(scores, planes, voxels),
): Int32Array | undefined {
  if (!argmax) return undefined;
  const { labels, margins } = argmax;
  const tolerance = Math.max(argmax.magnitude * 2 ** -20, 2 ** -120);
  if (sure.length < voxels) sure = new Int32Array(voxels);
  let unsure = 0;
  for (let v = 0; v < voxels; v++) {
    if (margins[v] > tolerance) sure[v] = labels[v];
    else {
      sure[v] = -1;
      unsure++;
    }
  }
  // Mostly unsure (noise-like scores): the row-wise path does fewer operations per pixel.
  return unsure * 2 > voxels ? undefined : sure;
}

/**
 * Per model pixel (u, v): the sure label shared by it and its neighbours (u+1, v), (u, v+1) and
 * (u+1, v+1), clamped at the last row and column, or -1. These are exactly the four corners
 * linearTaps gives a grid pixel whose lower taps are (u, v) (upper = min(lower + 1, n − 1)),
 * so a grid pixel reads one value instead of four.
 */
function uniformBlocks(corners: Int32Array, mx: number, my: number): Int32Array {
  if (blocks.length < mx * my) blocks = new Int32Array(mx * my);
  for (let v = 0; v < my; v++) {
    const row = v * mx,
      next = v + 1 < my ? row + mx : row;
    for (let u = 0; u < mx; u++) {
      const right = u + 1 < mx ? 1 : 0;
      const k = corners[row + u];
      blocks[row + u] =
        k >= 0 && corners[row + u + right] === k && corners[next + u] === k && corners[next + u + right] === k ? k : -1;
    }
  }
  return blocks;
}

/**
 * Argmax rules with both axes resampled: a grid pixel whose four model-grid corners share one
 * sure label takes it; any other pixel evaluates every class exactly (per pixel, in
 * resizeLinear's order) and takes the first maximum.
 */
function argmaxWhileResampling(
  scores: Float32Array,
  planes: number,
  modelDims: readonly number[],
  gridDims: readonly number[],
  labels: LabelArray,
  corners: Int32Array,
): void {
  const [mx, my] = modelDims;
  const [gx, gy] = gridDims;
  const modelPlane = mx * my;
  const xs = linearTaps(mx, gx),
    ys = linearTaps(my, gy);
  const lowerX = xs.lower,
    upperX = xs.upper,
    w0x = xs.w0,
    w1x = xs.w1;
  const uniform = uniformBlocks(corners, mx, my);
  for (let y = 0; y < gy; y++) {
    const r0 = ys.lower[y] * mx,
      r1 = ys.upper[y] * mx;
    const a = ys.w0[y],
      b = ys.w1[y];
    const rowOut = y * gx;
    for (let x = 0; x < gx; x++) {
      const i00 = r0 + lowerX[x];
      const k = uniform[i00];
      if (k >= 0) {
        labels[rowOut + x] = k;
        continue;
      }
      const i01 = r0 + upperX[x],
        i10 = r1 + lowerX[x],
        i11 = r1 + upperX[x];
      const wa = w0x[x],
        wb = w1x[x];
      let label = 0;
      let best = Math.fround((scores[i00] * wa + scores[i01] * wb) * a + (scores[i10] * wa + scores[i11] * wb) * b);
      for (let c = 1, p = modelPlane; c < planes; c++, p += modelPlane) {
        const v = Math.fround(
          (scores[p + i00] * wa + scores[p + i01] * wb) * a + (scores[p + i10] * wa + scores[p + i11] * wb) * b,
        );
        if (v > best) {
          best = v;
          label = c;
        }
      }
      labels[rowOut + x] = label;
    }
  }
}

/**
 * Any rule, any 2D pair of grids: the x pass into a float64 buffer (model rows at grid width),
 * then per grid row the y-interpolated values of every class, rounded to float32, decided at once.
 */
function decideByRows(
  scores: Float32Array,
  planes: number,
  modelDims: readonly number[],
  gridDims: readonly number[],
  card: ModelCard,
  labels: LabelArray,
): void {
  const [mx, my] = modelDims;
  const [gx, gy] = gridDims;
  const widePlane = gx * my;
  if (widened.length < planes * widePlane) widened = new Float64Array(planes * widePlane);
  if (gridRow.length < planes * gx) gridRow = new Float32Array(planes * gx);
  const wide = widened,
    row = gridRow;

  if (mx === gx) {
    for (let i = 0; i < planes * widePlane; i++) wide[i] = scores[i];
  } else {
    const { lower, upper, w0, w1 } = linearTaps(mx, gx);
    for (let r = 0; r < planes * my; r++) {
      const inBase = r * mx,
        outBase = r * gx;
      for (let i = 0; i < gx; i++)
        wide[outBase + i] = scores[inBase + lower[i]] * w0[i] + scores[inBase + upper[i]] * w1[i];
    }
  }

  const taps = my === gy ? undefined : linearTaps(my, gy);
  for (let y = 0; y < gy; y++) {
    for (let c = 0; c < planes; c++) {
      const rowOut = c * gx;
      if (!taps) {
        const src = c * widePlane + y * gx;
        for (let x = 0; x < gx; x++) row[rowOut + x] = wide[src + x];
        continue;
      }
      const row0 = c * widePlane + taps.lower[y] * gx,
        row1 = c * widePlane + taps.upper[y] * gx;
      const a = taps.w0[y],
        b = taps.w1[y];
      for (let x = 0; x < gx; x++) row[rowOut + x] = wide[row0 + x] * a + wide[row1 + x] * b;
    }
    decideInto(row, planes, gx, card, labels, y * gx);
  }
}

/**
 * The labels on `gridDims` of planar per-class `scores` on `modelDims` (2D, resize policy);
 * `argmax`, the scores' argmax pass, when the caller made it already.
 */
export function resampledLabels2d(
  scores: Float32Array,
  planes: number,
  modelDims: readonly number[],
  gridDims: readonly number[],
  card: ModelCard,
  argmax?: PlaneArgmax,
): LabelArray {
  const labels = newLabelArray(card.classes.length, gridDims[0] * gridDims[1]);
  const bothAxes = modelDims[0] !== gridDims[0] && modelDims[1] !== gridDims[1];
  const corners =
    bothAxes && card.output.kind !== 'sigmoid'
      ? sureLabels(scores, planes, modelDims[0] * modelDims[1], argmax)
      : undefined;
  if (corners) argmaxWhileResampling(scores, planes, modelDims, gridDims, labels, corners);
  else decideByRows(scores, planes, modelDims, gridDims, card, labels);
  return labels;
}
