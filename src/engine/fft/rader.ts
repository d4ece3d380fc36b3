/**
 * Forward DFT of blocks (block.ts layout) for a prime size p by Rader's algorithm: with g a
 * generator modulo p, the outputs X_{g^−q} − x_0 (q < p − 1) are the cyclic convolution of
 * a_m = x_{g^m} with b_m = e^{−2πi·g^−m/p}, done as transforms of p − 1 points, which for sizes
 * like 181 (180 = 4·5·3·3) are far cheaper than Bluestein's two of 512. X_0 = Σ x_n.
 */
import { BLOCK_COLUMNS, type BlockFft } from './block';
import { powMod, primitiveRoot } from './factors';

export class RaderBlock {
  /** input row of a_m: g^m mod p. */
  private readonly inputRow: Int32Array;
  /** output row of convolution entry q: g^−q mod p. */
  private readonly outputRow: Int32Array;
  /** Transform of b (p − 1 points), divided by p − 1. */
  private readonly kernelRe: Float64Array;
  private readonly kernelIm: Float64Array;
  private readonly workRe: Float64Array;
  private readonly workIm: Float64Array;
  private readonly sumRe = new Float64Array(BLOCK_COLUMNS);
  private readonly sumIm = new Float64Array(BLOCK_COLUMNS);

  constructor(
    readonly size: number,
    private readonly inner: BlockFft,
  ) {
    const p = size;
    const m = p - 1;
    if (inner.size !== m) throw new RangeError(`Rader for ${p} needs a transform of ${m} points`);
    const g = primitiveRoot(p);
    const gInverse = powMod(g, p - 2, p);
    this.inputRow = new Int32Array(m);
    this.outputRow = new Int32Array(m);
    this.kernelRe = new Float64Array(m);
    this.kernelIm = new Float64Array(m);
    for (let q = 0, up = 1, down = 1; q < m; q++, up = (up * g) % p, down = (down * gInverse) % p) {
      this.inputRow[q] = up;
      this.outputRow[q] = down;
      const angle = (-2 * Math.PI * down) / p;
      this.kernelRe[q] = Math.cos(angle);
      this.kernelIm[q] = Math.sin(angle);
    }
    inner.forward(this.kernelRe, this.kernelIm, 1);
    for (let q = 0; q < m; q++) {
      this.kernelRe[q] /= m;
      this.kernelIm[q] /= m;
    }
    this.workRe = new Float64Array(m * BLOCK_COLUMNS);
    this.workIm = new Float64Array(m * BLOCK_COLUMNS);
  }

  forward(re: Float64Array, im: Float64Array, columns: number): void {
    const m = this.size - 1;
    const wr = this.workRe,
      wi = this.workIm;
    for (let q = 0; q < m; q++) {
      const from = this.inputRow[q] * columns,
        to = q * columns;
      for (let c = 0; c < columns; c++) {
        wr[to + c] = re[from + c];
        wi[to + c] = im[from + c];
      }
    }
    this.inner.forward(wr, wi, columns);
    // Row 0 of that transform is Σ a_m = Σ_{n≥1} x_n: X_0 = x_0 + it, kept before row 0 changes.
    const sumRe = this.sumRe,
      sumIm = this.sumIm;
    for (let c = 0; c < columns; c++) {
      sumRe[c] = re[c] + wr[c];
      sumIm[c] = im[c] + wi[c];
    }
    // The inverse transform as conj(forward(conj(·)))/m: the product is stored conjugated (the
    // kernel carries the 1/m) and the result is conjugated where it is read.
    for (let q = 0, i = 0; q < m; q++) {
      const kr = this.kernelRe[q],
        ki = this.kernelIm[q];
      for (let end = i + columns; i < end; i++) {
        const x = wr[i],
          y = wi[i];
        wr[i] = x * kr - y * ki;
        wi[i] = -(x * ki + y * kr);
      }
    }
    this.inner.forward(wr, wi, columns);
    // Row 0 still holds x_0 until the last loop.
    for (let q = 0; q < m; q++) {
      const to = this.outputRow[q] * columns,
        from = q * columns;
      for (let c = 0; c < columns; c++) {
        re[to + c] = re[c] + wr[from + c];
        im[to + c] = im[c] - wi[from + c];
      }
    }
    for (let c = 0; c < columns; c++) {
      re[c] = sumRe[c];
      im[c] = sumIm[c];
    }
  }
}
