/**
 * Forward DFT of blocks (block.ts layout) for sizes whose prime factors are all small, e.g.
 * 217 = 7·31 or 180 = 4·5·3·3: a Stockham autosort transform (no bit reversal) with one stage per
 * factor. Stage with radix R after sub-transforms of length L: for every j < n/R with k = j mod L,
 *   v_r = x[j + r·n/R] · e^{−2πi·k·r/(L·R)},   y[(j − k)·R + k + q·L] = Σ_r v_r e^{−2πi·r·q/R}.
 * Radix 2, 3, 4, 5 and 7 are written out; any other odd R pairs r with R − r, so its DFT costs about
 * 2R real flops per point instead of 8R:
 *   X_q = v_0 + Σ_{r≤(R−1)/2} (v_r + v_{R−r})·cos θ_rq − i·(v_r − v_{R−r})·sin θ_rq,  X_{R−q} likewise with +i.
 */
import { BLOCK_COLUMNS } from './block';
import { primeFactors } from './factors';

interface Stage {
  radix: number;
  /** Length of the sub-transforms already done (L). */
  done: number;
  /** Twiddles e^{−2πi·k·r/(L·R)} at [k·R + r], k < L. */
  twRe: Float64Array;
  twIm: Float64Array;
}

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

/** cos and sin of 2π·q·r/7 for q, r in 1…3, row by row (radix 7). */
const SEVENTHS = {
  cos: [1, 2, 3].flatMap((q) => [1, 2, 3].map((r) => Math.cos((2 * Math.PI * ((q * r) % 7)) / 7))),
  sin: [1, 2, 3].flatMap((q) => [1, 2, 3].map((r) => Math.sin((2 * Math.PI * ((q * r) % 7)) / 7))),
};

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
      if (stage.radix === 2) this.radix2(stage, xRe, xIm, yRe, yIm, columns);
      else if (stage.radix === 4) this.radix4(stage, xRe, xIm, yRe, yIm, columns);
      else if (stage.radix === 3) this.radix3(stage, xRe, xIm, yRe, yIm, columns);
      else if (stage.radix === 5) this.radix5(stage, xRe, xIm, yRe, yIm, columns);
      else if (stage.radix === 7) this.radix7(stage, xRe, xIm, yRe, yIm, columns);
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

  /** Radix 2, the twiddle applied as the second input is read. */
  private radix2(
    stage: Stage,
    xRe: Float64Array,
    xIm: Float64Array,
    yRe: Float64Array,
    yIm: Float64Array,
    columns: number,
  ): void {
    const { done, twRe, twIm } = stage;
    const span = (this.size / 2) * columns;
    const step = done * columns;
    for (let j = 0; j < this.size / 2; j++) {
      const k = j % done;
      const wr = twRe[2 * k + 1],
        wi = twIm[2 * k + 1];
      const in0 = j * columns,
        out0 = ((j - k) * 2 + k) * columns;
      for (let c = 0; c < columns; c++) {
        const a = in0 + c;
        const ar = xRe[a],
          ai = xIm[a];
        const xr = xRe[a + span],
          xi = xIm[a + span];
        const br = xr * wr - xi * wi,
          bi = xr * wi + xi * wr;
        const o = out0 + c;
        yRe[o] = ar + br;
        yIm[o] = ai + bi;
        yRe[o + step] = ar - br;
        yIm[o + step] = ai - bi;
      }
    }
  }

  /** Radix 4, twiddles applied on reading: X1 = d02 − i·d13, X3 = d02 + i·d13 (forward kernel e^{−2πi·r·q/4}). */
  private radix4(
    stage: Stage,
    xRe: Float64Array,
    xIm: Float64Array,
    yRe: Float64Array,
    yIm: Float64Array,
    columns: number,
  ): void {
    const { done, twRe, twIm } = stage;
    const span = (this.size / 4) * columns;
    const step = done * columns;
    for (let j = 0; j < this.size / 4; j++) {
      const k = j % done;
      const w1r = twRe[4 * k + 1],
        w1i = twIm[4 * k + 1],
        w2r = twRe[4 * k + 2],
        w2i = twIm[4 * k + 2],
        w3r = twRe[4 * k + 3],
        w3i = twIm[4 * k + 3];
      const in0 = j * columns,
        out0 = ((j - k) * 4 + k) * columns;
      for (let c = 0; c < columns; c++) {
        const a = in0 + c;
        const v0r = xRe[a],
          v0i = xIm[a];
        let xr = xRe[a + span],
          xi = xIm[a + span];
        const v1r = xr * w1r - xi * w1i,
          v1i = xr * w1i + xi * w1r;
        xr = xRe[a + 2 * span];
        xi = xIm[a + 2 * span];
        const v2r = xr * w2r - xi * w2i,
          v2i = xr * w2i + xi * w2r;
        xr = xRe[a + 3 * span];
        xi = xIm[a + 3 * span];
        const v3r = xr * w3r - xi * w3i,
          v3i = xr * w3i + xi * w3r;
        const s02r = v0r + v2r,
          s02i = v0i + v2i,
          d02r = v0r - v2r,
          d02i = v0i - v2i;
        const s13r = v1r + v3r,
          s13i = v1i + v3i,
          d13r = v1r - v3r,
          d13i = v1i - v3i;
        const o = out0 + c;
        yRe[o] = s02r + s13r;
        yIm[o] = s02i + s13i;
        yRe[o + step] = d02r + d13i;
        yIm[o + step] = d02i - d13r;
        yRe[o + 2 * step] = s02r - s13r;
        yIm[o + 2 * step] = s02i - s13i;
        yRe[o + 3 * step] = d02r - d13i;
        yIm[o + 3 * step] = d02i + d13r;
      }
    }
  }

  /** Radix 3 with the twiddles applied as the inputs are read: X_1,2 = a − (b+c)/2 ∓ i·(√3/2)(b − c). */
  private radix3(
    stage: Stage,
    xRe: Float64Array,
    xIm: Float64Array,
    yRe: Float64Array,
    yIm: Float64Array,
    columns: number,
  ): void {
    const { done, twRe, twIm } = stage;
    const span = (this.size / 3) * columns;
    const step = done * columns;
    const sin60 = Math.sqrt(3) / 2;
    for (let j = 0; j < this.size / 3; j++) {
      const k = j % done;
      const w1r = twRe[3 * k + 1],
        w1i = twIm[3 * k + 1],
        w2r = twRe[3 * k + 2],
        w2i = twIm[3 * k + 2];
      const in0 = j * columns,
        out0 = ((j - k) * 3 + k) * columns;
      for (let c = 0; c < columns; c++) {
        const a = in0 + c;
        const ar = xRe[a],
          ai = xIm[a];
        let br = xRe[a + span],
          bi = xIm[a + span];
        let cr = xRe[a + 2 * span],
          ci = xIm[a + 2 * span];
        if (k !== 0) {
          const t = br * w1r - bi * w1i;
          bi = br * w1i + bi * w1r;
          br = t;
          const u = cr * w2r - ci * w2i;
          ci = cr * w2i + ci * w2r;
          cr = u;
        }
        const sr = br + cr,
          si = bi + ci;
        const dr = (br - cr) * sin60,
          di = (bi - ci) * sin60;
        const mr = ar - 0.5 * sr,
          mi = ai - 0.5 * si;
        const o = out0 + c;
        yRe[o] = ar + sr;
        yIm[o] = ai + si;
        yRe[o + step] = mr + di;
        yIm[o + step] = mi - dr;
        yRe[o + 2 * step] = mr - di;
        yIm[o + 2 * step] = mi + dr;
      }
    }
  }

  /** Radix 5, twiddles applied on reading; the pairs (1, 4) and (2, 3) as in the odd radix below. */
  private radix5(
    stage: Stage,
    xRe: Float64Array,
    xIm: Float64Array,
    yRe: Float64Array,
    yIm: Float64Array,
    columns: number,
  ): void {
    const { done, twRe, twIm } = stage;
    const span = (this.size / 5) * columns;
    const step = done * columns;
    const c1 = Math.cos((2 * Math.PI) / 5),
      c2 = Math.cos((4 * Math.PI) / 5),
      s1 = Math.sin((2 * Math.PI) / 5),
      s2 = Math.sin((4 * Math.PI) / 5);
    for (let j = 0; j < this.size / 5; j++) {
      const k = j % done;
      const w1r = twRe[5 * k + 1],
        w1i = twIm[5 * k + 1],
        w2r = twRe[5 * k + 2],
        w2i = twIm[5 * k + 2],
        w3r = twRe[5 * k + 3],
        w3i = twIm[5 * k + 3],
        w4r = twRe[5 * k + 4],
        w4i = twIm[5 * k + 4];
      const in0 = j * columns,
        out0 = ((j - k) * 5 + k) * columns;
      for (let c = 0; c < columns; c++) {
        const a = in0 + c;
        const v0r = xRe[a],
          v0i = xIm[a];
        let xr = xRe[a + span],
          xi = xIm[a + span];
        const v1r = xr * w1r - xi * w1i,
          v1i = xr * w1i + xi * w1r;
        xr = xRe[a + 2 * span];
        xi = xIm[a + 2 * span];
        const v2r = xr * w2r - xi * w2i,
          v2i = xr * w2i + xi * w2r;
        xr = xRe[a + 3 * span];
        xi = xIm[a + 3 * span];
        const v3r = xr * w3r - xi * w3i,
          v3i = xr * w3i + xi * w3r;
        xr = xRe[a + 4 * span];
        xi = xIm[a + 4 * span];
        const v4r = xr * w4r - xi * w4i,
          v4i = xr * w4i + xi * w4r;
        const t1r = v1r + v4r,
          t1i = v1i + v4i,
          t2r = v2r + v3r,
          t2i = v2i + v3i;
        const t3r = v1r - v4r,
          t3i = v1i - v4i,
          t4r = v2r - v3r,
          t4i = v2i - v3i;
        const m1r = v0r + c1 * t1r + c2 * t2r,
          m1i = v0i + c1 * t1i + c2 * t2i;
        const m2r = v0r + c2 * t1r + c1 * t2r,
          m2i = v0i + c2 * t1i + c1 * t2i;
        const n1r = s1 * t3r + s2 * t4r,
          n1i = s1 * t3i + s2 * t4i;
        const n2r = s2 * t3r - s1 * t4r,
          n2i = s2 * t3i - s1 * t4i;
        const o = out0 + c;
        yRe[o] = v0r + t1r + t2r;
        yIm[o] = v0i + t1i + t2i;
        // X_q = m − i·n, X_{5−q} = m + i·n.
        yRe[o + step] = m1r + n1i;
        yIm[o + step] = m1i - n1r;
        yRe[o + 4 * step] = m1r - n1i;
        yIm[o + 4 * step] = m1i + n1r;
        yRe[o + 2 * step] = m2r + n2i;
        yIm[o + 2 * step] = m2i - n2r;
        yRe[o + 3 * step] = m2r - n2i;
        yIm[o + 3 * step] = m2i + n2r;
      }
    }
  }

  /**
   * Radix 7 (217 = 7·31), twiddles applied on reading, the pairs (r, 7 − r) as in the odd radix
   * below with every sum and rotation in registers.
   */
  private radix7(
    stage: Stage,
    xRe: Float64Array,
    xIm: Float64Array,
    yRe: Float64Array,
    yIm: Float64Array,
    columns: number,
  ): void {
    const { done, twRe, twIm } = stage;
    const span = (this.size / 7) * columns;
    const step = done * columns;
    const [c11, c12, c13, c21, c22, c23, c31, c32, c33] = SEVENTHS.cos;
    const [s11, s12, s13, s21, s22, s23, s31, s32, s33] = SEVENTHS.sin;
    const tr = this.vRe,
      ti = this.vIm;
    for (let j = 0; j < this.size / 7; j++) {
      const k = j % done;
      for (let r = 1; r < 7; r++) {
        tr[r] = twRe[7 * k + r];
        ti[r] = twIm[7 * k + r];
      }
      const w1r = tr[1],
        w1i = ti[1],
        w2r = tr[2],
        w2i = ti[2],
        w3r = tr[3],
        w3i = ti[3],
        w4r = tr[4],
        w4i = ti[4],
        w5r = tr[5],
        w5i = ti[5],
        w6r = tr[6],
        w6i = ti[6];
      const in0 = j * columns,
        out0 = ((j - k) * 7 + k) * columns;
      for (let c = 0; c < columns; c++) {
        const a = in0 + c;
        const v0r = xRe[a],
          v0i = xIm[a];
        let xr = xRe[a + span],
          xi = xIm[a + span];
        const v1r = xr * w1r - xi * w1i,
          v1i = xr * w1i + xi * w1r;
        xr = xRe[a + 2 * span];
        xi = xIm[a + 2 * span];
        const v2r = xr * w2r - xi * w2i,
          v2i = xr * w2i + xi * w2r;
        xr = xRe[a + 3 * span];
        xi = xIm[a + 3 * span];
        const v3r = xr * w3r - xi * w3i,
          v3i = xr * w3i + xi * w3r;
        xr = xRe[a + 4 * span];
        xi = xIm[a + 4 * span];
        const v4r = xr * w4r - xi * w4i,
          v4i = xr * w4i + xi * w4r;
        xr = xRe[a + 5 * span];
        xi = xIm[a + 5 * span];
        const v5r = xr * w5r - xi * w5i,
          v5i = xr * w5i + xi * w5r;
        xr = xRe[a + 6 * span];
        xi = xIm[a + 6 * span];
        const v6r = xr * w6r - xi * w6i,
          v6i = xr * w6i + xi * w6r;
        // Sums t_r = v_r + v_{7−r} and differences d_r = v_r − v_{7−r}.
        const t1r = v1r + v6r,
          t1i = v1i + v6i,
          d1r = v1r - v6r,
          d1i = v1i - v6i;
        const t2r = v2r + v5r,
          t2i = v2i + v5i,
          d2r = v2r - v5r,
          d2i = v2i - v5i;
        const t3r = v3r + v4r,
          t3i = v3i + v4i,
          d3r = v3r - v4r,
          d3i = v3i - v4i;
        const o = out0 + c;
        yRe[o] = v0r + t1r + t2r + t3r;
        yIm[o] = v0i + t1i + t2i + t3i;
        // X_q = A_q − i·B_q, X_{7−q} = A_q + i·B_q.
        let ar = v0r + c11 * t1r + c12 * t2r + c13 * t3r,
          ai = v0i + c11 * t1i + c12 * t2i + c13 * t3i,
          br = s11 * d1r + s12 * d2r + s13 * d3r,
          bi = s11 * d1i + s12 * d2i + s13 * d3i;
        yRe[o + step] = ar + bi;
        yIm[o + step] = ai - br;
        yRe[o + 6 * step] = ar - bi;
        yIm[o + 6 * step] = ai + br;
        ar = v0r + c21 * t1r + c22 * t2r + c23 * t3r;
        ai = v0i + c21 * t1i + c22 * t2i + c23 * t3i;
        br = s21 * d1r + s22 * d2r + s23 * d3r;
        bi = s21 * d1i + s22 * d2i + s23 * d3i;
        yRe[o + 2 * step] = ar + bi;
        yIm[o + 2 * step] = ai - br;
        yRe[o + 5 * step] = ar - bi;
        yIm[o + 5 * step] = ai + br;
        ar = v0r + c31 * t1r + c32 * t2r + c33 * t3r;
        ai = v0i + c31 * t1i + c32 * t2i + c33 * t3i;
        br = s31 * d1r + s32 * d2r + s33 * d3r;
        bi = s31 * d1i + s32 * d2i + s33 * d3i;
        yRe[o + 3 * step] = ar + bi;
        yIm[o + 3 * step] = ai - br;
        yRe[o + 4 * step] = ar - bi;
        yIm[o + 4 * step] = ai + br;
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
