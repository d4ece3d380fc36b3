/**
 * Filters that act on one k-space axis only. When a k-space multiplier depends on the index
 * along axis a alone, the transforms along the other axes cancel:
 *   real(ifftn(ifftshift(g ⊙ fftshift(fftn(x))))) = real(ifft_a(g ⊙ fft_a(x)))
 * (g indexed by the centred index), so ghosting and motion cost one 1D pass each way instead
 * of full N-D transforms.
 */
import { realFilterAlongAxis } from './real';

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
 * the same as applying g to every plane j of the centred N-D spectrum. Only the Hermitian part
 * of g reaches the real part, so this filters with (g(k) + g(−k))/2, real in and real out
 * (real.ts), into `out` if given (which may be `values`).
 */
export function filterAlongAxis(
  values: ArrayLike<number>,
  dims: readonly number[],
  axis: number,
  gains: ArrayLike<number>,
  out?: Float64Array,
): Float64Array {
  const n = dims[axis];
  if (gains.length !== n) throw new RangeError(`need ${n} gains along axis ${axis}, got ${gains.length}`);
  const symmetric = Float64Array.from(
    { length: n },
    (_, k) => (gains[centredIndex(k, n)] + gains[centredIndex((n - k) % n, n)]) / 2,
  );
  return realFilterAlongAxis(values, dims, axis, symmetric, out);
}
