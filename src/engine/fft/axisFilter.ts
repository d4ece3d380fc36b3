/**
 * Filters that act on one k-space axis only. When a k-space multiplier depends on the index
 * along axis a alone, the transforms along the other axes cancel:
 *   real(ifftn(ifftshift(g ⊙ fftshift(fftn(x))))) = real(ifft_a(g ⊙ fft_a(x)))
 * (g indexed by the centred index), so ghosting and motion cost one 1D pass each way instead
 * of full N-D transforms.
 */
import { fftAlongAxis, type ComplexArray } from './fftn';

/** Centred (fftshift-ed) index of raw frequency index i on an axis of n points. */
export function centredIndex(i: number, n: number): number {
  return (i + Math.floor(n / 2)) % n;
}

/** Raw (fftn) frequency index of centred index j on an axis of n points. */
export function rawIndex(j: number, n: number): number {
  return (((j - Math.floor(n / 2)) % n) + n) % n;
}

/**
 * real(ifft_a(g ⊙ fft_a(values))) with g[j] the real gain of centred index j along `axis`:
 * the same as applying g to every plane j of the centred N-D spectrum.
 */
export function filterAlongAxis(
  values: ArrayLike<number>,
  dims: readonly number[],
  axis: number,
  gains: ArrayLike<number>,
): Float64Array {
  const n = dims[axis];
  if (gains.length !== n) throw new RangeError(`need ${n} gains along axis ${axis}, got ${gains.length}`);
  const array: ComplexArray = { re: Float64Array.from(values), im: new Float64Array(values.length) };
  fftAlongAxis(array, dims, axis, false);
  let stride = 1;
  for (let a = 0; a < axis; a++) stride *= dims[a];
  // Element i lies in raw plane floor(i / stride) mod n: walk the planes in runs of `stride`.
  for (let start = 0, plane = 0; start < array.re.length; start += stride, plane = (plane + 1) % n) {
    const gain = gains[centredIndex(plane, n)];
    if (gain === 1) continue;
    for (let i = start; i < start + stride; i++) {
      array.re[i] *= gain;
      array.im[i] *= gain;
    }
  }
  fftAlongAxis(array, dims, axis, true);
  return array.re;
}
