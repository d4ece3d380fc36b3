/**
 * Exact Euclidean distance transform with anisotropic voxel spacing (Felzenszwalb &
 * Huttenlocher, "Distance Transforms of Sampled Functions", 2012): the squared distance is
 * separable, so one 1D lower-envelope-of-parabolas pass per axis gives the exact result.
 */

/** Position (in index units) where the parabola rooted at q overtakes the one rooted at p < q. */
function intersection(f: Float64Array, s2: number, p: number, q: number): number {
  return (f[q] + s2 * q * q - (f[p] + s2 * p * p)) / (2 * s2 * (q - p));
}

/**
 * Squared distance transform of one line: out[q] = min_p (s·(q−p))² + f[p], skipping p where f is
 * Infinity (no feature reachable yet). Leaves out[] at Infinity when the line has none.
 * `v` and `z` are scratch buffers of length ≥ n and n+1.
 */
function squaredLine(
  f: Float64Array,
  n: number,
  spacing: number,
  out: Float64Array,
  v: Int32Array,
  z: Float64Array,
): void {
  const s2 = spacing * spacing;
  let k = -1;
  for (let q = 0; q < n; q++) {
    const fq = f[q];
    if (fq === Infinity) continue;
    if (k < 0) {
      k = 0;
      v[0] = q;
      z[0] = -Infinity;
      z[1] = Infinity;
      continue;
    }
    let crossing = intersection(f, s2, v[k], q);
    // z[0] = −Infinity, so k never drops below 0.
    while (crossing <= z[k]) crossing = intersection(f, s2, v[--k], q);
    k++;
    v[k] = q;
    z[k] = crossing;
    z[k + 1] = Infinity;
  }
  if (k < 0) {
    out.fill(Infinity, 0, n);
    return;
  }
  let j = 0;
  for (let q = 0; q < n; q++) {
    while (z[j + 1] < q) j++;
    const d = q - v[j];
    out[q] = s2 * d * d + f[v[j]];
  }
}

/**
 * In place: `field` holds 0 at feature voxels and Infinity elsewhere on a grid of `dims`
 * (first axis fastest); afterwards it holds the squared distance in mm² to the nearest feature
 * (Infinity everywhere if there is none).
 */
export function squaredDistanceTransform(
  field: Float64Array,
  dims: readonly number[],
  spacing: readonly number[],
): Float64Array {
  const longest = Math.max(...dims);
  const line = new Float64Array(longest);
  const result = new Float64Array(longest);
  const v = new Int32Array(longest);
  const z = new Float64Array(longest + 1);
  let stride = 1;
  for (let axis = 0; axis < dims.length; axis++) {
    const n = dims[axis];
    const block = stride * n;
    for (let start = 0; start < field.length; start += block) {
      for (let offset = 0; offset < stride; offset++) {
        const first = start + offset;
        for (let q = 0; q < n; q++) line[q] = field[first + q * stride];
        squaredLine(line, n, spacing[axis], result, v, z);
        for (let q = 0; q < n; q++) field[first + q * stride] = result[q];
      }
    }
    stride = block;
  }
  return field;
}

/**
 * Distance in mm from every voxel to the nearest voxel where `isFeature` is non-zero
 * (0 on features). scipy.ndimage.distance_transform_edt(x, sampling) equals this with
 * isFeature = (x == 0), spacing reversed to numpy axis order.
 */
export function distanceToFeatures(
  isFeature: ArrayLike<number>,
  dims: readonly number[],
  spacing: readonly number[],
): Float64Array {
  const field = new Float64Array(isFeature.length);
  for (let i = 0; i < field.length; i++) field[i] = isFeature[i] ? 0 : Infinity;
  squaredDistanceTransform(field, dims, spacing);
  for (let i = 0; i < field.length; i++) field[i] = Math.sqrt(field[i]);
  return field;
}
