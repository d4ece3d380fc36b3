/**
 * Forward DFT of blocks (block.ts layout) for sizes whose prime factors are all small, e.g.
 * 217 = 7·31 or 180 = 4·5·3·3: a Stockham autosort transform (no bit reversal) with one stage per
 * factor. Stage with radix R after sub-transforms of length L: for every j < n/R with k = j mod L,
 *   v_r = x[j + r·n/R] · e^{−2πi·k·r/(L·R)},   y[(j − k)·R + k + q·L] = Σ_r v_r e^{−2πi·r·q/R}.
 * Radix 2, 3, 4 and 5 are written out; any other odd R pairs r with R − r, so its DFT costs about
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

export class MixedRadixBlock {
  private readonly stages: Stage[] = [];
  private readonly bufferRe: Float64Array;
  private readonly bufferIm: Float64Array;
  /** Per odd radix: cos and sin of 2π·r·q/R at [q·R + r]. */
  private readonly rotations = new Map<number, { cos: Float64Array; sin: Float64Array }>();
  /** The R twiddled inputs of a butterfly, row r at r·columns (odd radices overwrite them with sums and differences). */
  private readonly vRe: Float64Array;
  private readonly vIm: Float64Array;

  constructor(readonly size: number) {
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
      if (radix % 2 === 1 && !this.rotations.has(radix)) {
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

  private radix2(
    stage: Stage,
    xRe: Float64Array,
    xIm: Float64Array,
    yRe: Float64Array,
    yIm: Float64Array,
    columns: number,
  ): void {
    const groups = this.size / 2;
    const { done } = stage;
    const vRe = this.vRe,
      vIm = this.vIm;
    for (let j = 0; j < groups; j++) {
      this.load(stage, j, xRe, xIm, columns);
      const k = j % done;
      const out0 = ((j - k) * 2 + k) * columns;
      const out1 = out0 + done * columns;
      for (let c = 0; c < columns; c++) {
        const ar = vRe[c],
          ai = vIm[c],
          br = vRe[columns + c],
          bi = vIm[columns + c];
        yRe[out0 + c] = ar + br;
        yIm[out0 + c] = ai + bi;
        yRe[out1 + c] = ar - br;
        yIm[out1 + c] = ai - bi;
      }
    }
  }

  private radix4(
    stage: Stage,
    xRe: Float64Array,
    xIm: Float64Array,
    yRe: Float64Array,
    yIm: Float64Array,
    columns: number,
  ): void {
    const groups = this.size / 4;
    const { done } = stage;
    const vRe = this.vRe,
      vIm = this.vIm;
    const c1 = columns,
      c2 = 2 * columns,
      c3 = 3 * columns;
    for (let j = 0; j < groups; j++) {
      this.load(stage, j, xRe, xIm, columns);
      const k = j % done;
      const out0 = ((j - k) * 4 + k) * columns;
      const step = done * columns;
      for (let c = 0; c < columns; c++) {
        const s02r = vRe[c] + vRe[c2 + c],
          s02i = vIm[c] + vIm[c2 + c];
        const d02r = vRe[c] - vRe[c2 + c],
          d02i = vIm[c] - vIm[c2 + c];
        const s13r = vRe[c1 + c] + vRe[c3 + c],
          s13i = vIm[c1 + c] + vIm[c3 + c];
        const d13r = vRe[c1 + c] - vRe[c3 + c],
          d13i = vIm[c1 + c] - vIm[c3 + c];
        yRe[out0 + c] = s02r + s13r;
        yIm[out0 + c] = s02i + s13i;
        // X1 = d02 − i·d13, X3 = d02 + i·d13 (forward kernel e^{−2πi·r·q/4}).
        yRe[out0 + step + c] = d02r + d13i;
        yIm[out0 + step + c] = d02i - d13r;
        yRe[out0 + 2 * step + c] = s02r - s13r;
        yIm[out0 + 2 * step + c] = s02i - s13i;
        yRe[out0 + 3 * step + c] = d02r - d13i;
        yIm[out0 + 3 * step + c] = d02i + d13r;
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
    const vr = new Float64Array(5),
      vi = new Float64Array(5);
    for (let j = 0; j < this.size / 5; j++) {
      const k = j % done;
      const in0 = j * columns,
        out0 = ((j - k) * 5 + k) * columns;
      for (let c = 0; c < columns; c++) {
        for (let r = 0; r < 5; r++) {
          const a = in0 + c + r * span;
          const xr = xRe[a],
            xi = xIm[a];
          if (k === 0 || r === 0) {
            vr[r] = xr;
            vi[r] = xi;
          } else {
            const wr = twRe[5 * k + r],
              wi = twIm[5 * k + r];
            vr[r] = xr * wr - xi * wi;
            vi[r] = xr * wi + xi * wr;
          }
        }
        const t1r = vr[1] + vr[4],
          t1i = vi[1] + vi[4],
          t2r = vr[2] + vr[3],
          t2i = vi[2] + vi[3];
        const t3r = vr[1] - vr[4],
          t3i = vi[1] - vi[4],
          t4r = vr[2] - vr[3],
          t4i = vi[2] - vi[3];
        const m1r = vr[0] + c1 * t1r + c2 * t2r,
          m1i = vi[0] + c1 * t1i + c2 * t2i;
        const m2r = vr[0] + c2 * t1r + c1 * t2r,
          m2i = vi[0] + c2 * t1i + c1 * t2i;
        const n1r = s1 * t3r + s2 * t4r,
          n1i = s1 * t3i + s2 * t4i;
        const n2r = s2 * t3r - s1 * t4r,
          n2i = s2 * t3i - s1 * t4i;
        const o = out0 + c;
        yRe[o] = vr[0] + t1r + t2r;
        yIm[o] = vi[0] + t1i + t2i;
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
