/**
 * One Fourier coefficient at a time, in O(N) with separable phase tables: the forward DFT
 * coefficient at a frequency, and the image of a lone coefficient. A k-space spike changes a
 * handful of coefficients, so its effect is added directly instead of transforming back.
 * Frequencies are raw fftn indices per axis (0 = zero frequency), engine axis order.
 */

/** cos and sin of 2π·k·n/N for n = 0…N−1 (k·n reduced mod N to keep the angle exact). */
function phaseTable(k: number, n: number): { cos: Float64Array; sin: Float64Array } {
  const cos = new Float64Array(n),
    sin = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const angle = (2 * Math.PI * ((k * i) % n)) / n;
    cos[i] = Math.cos(angle);
    sin[i] = Math.sin(angle);
  }
  return { cos, sin };
}

/** Calls visit(index, cosθ, sinθ) with θ = 2π Σ_d k_d n_d / N_d for every voxel, in storage order. */
function forEachPhase(
  dims: readonly number[],
  frequency: readonly number[],
  visit: (i: number, c: number, s: number) => void,
): void {
  const [nx, ny, nz = 1] = dims;
  const px = phaseTable(frequency[0], nx),
    py = phaseTable(frequency[1], ny),
    pz = phaseTable(frequency[2] ?? 0, nz);
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const cyz = py.cos[y] * pz.cos[z] - py.sin[y] * pz.sin[z];
      const syz = py.sin[y] * pz.cos[z] + py.cos[y] * pz.sin[z];
      for (let x = 0; x < nx; x++, i++) {
        visit(i, px.cos[x] * cyz - px.sin[x] * syz, px.sin[x] * cyz + px.cos[x] * syz);
      }
    }
  }
}

/** fftn(values) at one frequency: Σ_n x_n e^{−iθ_n}. */
export function dftCoefficient(
  values: ArrayLike<number>,
  dims: readonly number[],
  frequency: readonly number[],
): { re: number; im: number } {
  let re = 0,
    im = 0;
  forEachPhase(dims, frequency, (i, c, s) => {
    re += values[i] * c;
    im -= values[i] * s;
  });
  return { re, im };
}

/** out += real(ifftn(C·e_k)) = Re(C·e^{+iθ_n}) / N: adds the image of one coefficient C. */
export function addCoefficientImage(
  out: Float64Array,
  dims: readonly number[],
  frequency: readonly number[],
  coefficient: { re: number; im: number },
): void {
  const count = out.length;
  forEachPhase(dims, frequency, (i, c, s) => {
    out[i] += (coefficient.re * c - coefficient.im * s) / count;
  });
}
