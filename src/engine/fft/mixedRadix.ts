/**
 * Forward DFT of blocks (block.ts layout) for sizes whose prime factors are all small, e.g.
 * 217 = 7·31 or 180 = 4·5·3·3: a Stockham autosort transform (no bit reversal) with one stage per
 * factor. Stage with radix R after sub-transforms of length L: for every j < n/R with k = j mod L,
 *   v_r = x[j + r·n/R] · e^{−2πi·k·r/(L·R)},   y[(j − k)·R + k + q·L] = Σ_r v_r e^{−2πi·r·q/R}.
 * Radix 2, 3, 4, 5 and 7 are written out (butterflies.ts); any other odd R pairs r with R − r, so its DFT costs about
 * 2R real flops per point instead of 8R:
 *   X_q = v_0 + Σ_{r≤(R−1)/2} (v_r + v_{R−r})·cos θ_rq − i·(v_r − v_{R−r})·sin θ_rq,  X_{R−q} likewise with +i.
 */
import { BLOCK_COLUMNS } from './block';
import { radix2, radix3, radix4, radix5, radix7, type Stage } from './butterflies';
import { primeFactors } from './factors';

/** Radix 4 where two 2s allow, then the odd factors ascending. */
function stageRadices(n: number): number[] {
  const factors = primeFactors(n);
  const twos = factors.filter((f) => f === 2).length;
  const radices: number[] = [];
  for (let i = 0; i + 1 < twos; i += 2) radices.push(4);
  if (twos % 2 === 1) radices.push(2);
  return [...radices, ...factors.filter((f) => f !== 2)];
}

/** The forward block transform of one prime size, for the stages that take a whole butterfly to another algorithm. */
export interface PrimeBlock {
  forward(re: Float64Array, im: Float64Array, columns: number): void;
}

export class MixedRadixBlock {
  private readonly stages: Stage[] = [];
  /** Butterflies done by another algorithm (Rader), by radix. */
  private readonly primeBlocks = new Map<number, PrimeBlock>();
  private readonly bufferRe: Float64Array;
  private readonly bufferIm: Float64Array;
  /** Per odd radix: cos and sin of 2π·r·q/R at [q·R + r]. */
  private readonly rotations = new Map<number, { cos: Float64Array; sin: Float64Array }>();
  /** The R twiddled inputs of a butterfly, row r at r·columns (odd radices overwrite them with sums and differences). */
  private readonly vRe: Float64Array;
  private readonly vIm: Float64Array;

  /**
   * `primeBlock` may supply the butterfly of an odd prime radix above 5 (blockPlan.ts passes
   * Rader's when it is cheaper than the paired direct sums below).
   */
  constructor(
    readonly size: number,
    primeBlock?: (radix: number) => PrimeBlock | undefined,
  ) {
    let done = 1;
    let largest = 1;
    for (const radix of stageRadices(size)) {
      const twRe = new Float64Array(done * radix);
      const twIm = new Float64Array(done * radix);
      for (let k = 0; k < done; k++) {
        for (let r = 0; r < radix; r++) {
          const angle = (-2 * Math.PI * ((k * r) % (done * radix))) / (done * radix);
          twRe[k * radix + r] = Math.cos(angle);
          twIm[k * radix + r] = Math.sin(angle);
        }
      }
      this.stages.push({ radix, done, twRe, twIm });
      done *= radix;
      largest = Math.max(largest, radix);
      const replaced = radix > 5 && primeBlock?.(radix);
      if (replaced) this.primeBlocks.set(radix, replaced);
      else if (radix % 2 === 1 && !this.rotations.has(radix)) {
        const cos = new Float64Array(radix * radix);
        const sin = new Float64Array(radix * radix);
        for (let r = 0; r < radix; r++) {
          for (let q = 0; q < radix; q++) {
            const angle = (2 * Math.PI * ((r * q) % radix)) / radix;
            cos[r * radix + q] = Math.cos(angle);
            sin[r * radix + q] = Math.sin(angle);
          }
        }
        this.rotations.set(radix, { cos, sin });
      }
    }
    this.bufferRe = new Float64Array(size * BLOCK_COLUMNS);
    this.bufferIm = new Float64Array(size * BLOCK_COLUMNS);
    this.vRe = new Float64Array(largest * BLOCK_COLUMNS);
    this.vIm = new Float64Array(largest * BLOCK_COLUMNS);
  }

  forward(re: Float64Array, im: Float64Array, columns: number): void {
    let xRe = re,
      xIm = im,
      yRe = this.bufferRe,
      yIm = this.bufferIm;
    for (const stage of this.stages) {
      if (stage.radix === 2) radix2(stage, this.size, xRe, xIm, yRe, yIm, columns);
      else if (stage.radix === 4) radix4(stage, this.size, xRe, xIm, yRe, yIm, columns);
      else if (stage.radix === 3) radix3(stage, this.size, xRe, xIm, yRe, yIm, columns);
      else if (stage.radix === 5) radix5(stage, this.size, xRe, xIm, yRe, yIm, columns);
      else if (stage.radix === 7) radix7(stage, this.size, xRe, xIm, yRe, yIm, columns);
      else if (this.primeBlocks.has(stage.radix)) this.primeRadix(stage, xRe, xIm, yRe, yIm, columns);
      else this.oddRadix(stage, xRe, xIm, yRe, yIm, columns);
      [xRe, yRe] = [yRe, xRe];
      [xIm, yIm] = [yIm, xIm];
    }
    if (xRe !== re) {
      re.set(xRe.subarray(0, this.size * columns));
      im.set(xIm.subarray(0, this.size * columns));
    }
  }

  /** v_r rows for group j: the R inputs of the butterfly, twiddled (v = vRe/vIm, row r at r·columns). */
  private load(stage: Stage, j: number, xRe: Float64Array, xIm: Float64Array, columns: number): void {
    const { radix, done, twRe, twIm } = stage;
    const span = this.size / radix;
    const k = j % done;
    const vRe = this.vRe,
      vIm = this.vIm;
    for (let r = 0; r < radix; r++) {
      const from = (j + r * span) * columns;
      const to = r * columns;
      const wr = twRe[k * radix + r],
        wi = twIm[k * radix + r];
      if (k === 0 || r === 0) {
        for (let c = 0; c < columns; c++) {
          vRe[to + c] = xRe[from + c];
          vIm[to + c] = xIm[from + c];
        }
      } else {
        for (let c = 0; c < columns; c++) {
          const a = xRe[from + c],
            b = xIm[from + c];
          vRe[to + c] = a * wr - b * wi;
          vIm[to + c] = a * wi + b * wr;
        }
      }
    }
  }

  /** A prime radix whose butterflies another algorithm does, on the twiddled rows in place. */
  private primeRadix(
    stage: Stage,
    xRe: Float64Array,
    xIm: Float64Array,
    yRe: Float64Array,
    yIm: Float64Array,
    columns: number,
  ): void {
    const { radix, done } = stage;
    const butterfly = this.primeBlocks.get(radix)!;
    const vRe = this.vRe,
      vIm = this.vIm;
    const step = done * columns;
    for (let j = 0; j < this.size / radix; j++) {
      this.load(stage, j, xRe, xIm, columns);
      butterfly.forward(vRe, vIm, columns);
      const k = j % done;
      const out0 = ((j - k) * radix + k) * columns;
      for (let q = 0; q < radix; q++) {
        const to = out0 + q * step,
          from = q * columns;
        for (let c = 0; c < columns; c++) {
          yRe[to + c] = vRe[from + c];
          yIm[to + c] = vIm[from + c];
        }
      }
    }
  }

  private oddRadix(
    stage: Stage,
    xRe: Float64Array,
    xIm: Float64Array,
    yRe: Float64Array,
    yIm: Float64Array,
    columns: number,
  ): void {
    const { radix, done } = stage;
    const groups = this.size / radix;
    const half = (radix - 1) / 2;
    const { cos, sin } = this.rotations.get(radix)!;
    const vRe = this.vRe,
      vIm = this.vIm;
    const step = done * columns;
    for (let j = 0; j < groups; j++) {
      this.load(stage, j, xRe, xIm, columns);
      const k = j % done;
      const out0 = ((j - k) * radix + k) * columns;
      // In place: row r becomes v_r + v_{R−r} (sum), row R−r becomes v_r − v_{R−r} (difference).
      for (let r = 1; r <= half; r++) {
        const a = r * columns,
          b = (radix - r) * columns;
        for (let c = 0; c < columns; c++) {
          const pr = vRe[a + c],
            pi = vIm[a + c],
            mr = vRe[b + c],
            mi = vIm[b + c];
          vRe[a + c] = pr + mr;
          vIm[a + c] = pi + mi;
          vRe[b + c] = pr - mr;
          vIm[b + c] = pi - mi;
        }
      }
      // X_0 = v_0 + Σ sums.
      for (let c = 0; c < columns; c++) {
        let sr = vRe[c],
          si = vIm[c];
        for (let r = 1; r <= half; r++) {
          sr += vRe[r * columns + c];
          si += vIm[r * columns + c];
        }
        yRe[out0 + c] = sr;
        yIm[out0 + c] = si;
      }
      for (let q = 1; q <= half; q++) {
        // A = v_0 + Σ sum_r cos θ_rq and B = Σ diff_r sin θ_rq in registers; X_q = A − i·B, X_{R−q} = A + i·B.
        const lo = out0 + q * step,
          hi = out0 + (radix - q) * step;
        const table = q * radix;
        for (let c = 0; c < columns; c++) {
          let ar = vRe[c],
            ai = vIm[c],
            br = 0,
            bi = 0;
          for (let r = 1, a = columns + c, b = (radix - 1) * columns + c; r <= half; r++, a += columns, b -= columns) {
            const cs = cos[table + r],
              sn = sin[table + r];
            ar += vRe[a] * cs;
            ai += vIm[a] * cs;
            br += vRe[b] * sn;
            bi += vIm[b] * sn;
          }
          yRe[lo + c] = ar + bi;
          yIm[lo + c] = ai - br;
          yRe[hi + c] = ar - bi;
          yIm[hi + c] = ai + br;
        }
      }
    }
  }
}
