/**
 * Separable Gaussian filter with the defaults of scipy.ndimage.gaussian_filter: a normalised
 * kernel of radius int(4σ + 0.5) per axis and 'reflect' boundaries (d c b a | a b c d | d c b a).
 */

const TRUNCATE = 4;

/** Normalised Gaussian weights for offsets −radius…radius. */
export function gaussianKernel(sigma: number): Float64Array {
  const radius = Math.floor(TRUNCATE * sigma + 0.5);
  const weights = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let k = -radius; k <= radius; k++) {
    const w = Math.exp((-0.5 * k * k) / (sigma * sigma));
    weights[k + radius] = w;
    sum += w;
  }
  for (let i = 0; i < weights.length; i++) weights[i] /= sum;
  return weights;
}

/** Index into [0, n) of position j under half-sample symmetric reflection (period 2n). */
export function reflectIndex(j: number, n: number): number {
  const period = 2 * n;
  const m = ((j % period) + period) % period;
  return m < n ? m : period - 1 - m;
}

function filterAxis(values: Float64Array, dims: readonly number[], axis: number, sigma: number): void {
  const weights = gaussianKernel(sigma);
  const radius = (weights.length - 1) / 2;
  const n = dims[axis];
  let stride = 1;
  for (let a = 0; a < axis; a++) stride *= dims[a];
  const outer = values.length / (stride * n);
  const padded = new Float64Array(n + 2 * radius);
  const sourceOf = Int32Array.from({ length: padded.length }, (_, p) => reflectIndex(p - radius, n));
  for (let block = 0; block < outer; block++) {
    for (let offset = 0; offset < stride; offset++) {
      const start = block * stride * n + offset;
      for (let p = 0; p < padded.length; p++) padded[p] = values[start + sourceOf[p] * stride];
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (let k = 0; k < weights.length; k++) sum += weights[k] * padded[i + k];
        values[start + i * stride] = sum;
      }
    }
  }
}

/**
 * Gaussian-filtered copy of `values` (layout `dims`, first axis fastest) with one σ in voxels
 * per axis; axes with σ ≈ 0 are left alone, as scipy does.
 */
export function gaussianFilter(
  values: ArrayLike<number>,
  dims: readonly number[],
  sigmaVoxels: readonly number[],
): Float64Array {
  const out = Float64Array.from(values);
  dims.forEach((_, axis) => {
    if (sigmaVoxels[axis] > 1e-15) filterAxis(out, dims, axis, sigmaVoxels[axis]);
  });
  return out;
}
