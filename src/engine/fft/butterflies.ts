/**
 * The butterflies of mixedRadix.ts written out, one function per radix (2, 3, 4, 5, 7): every
 * stage reads its R inputs with their twiddles applied in registers, e^{−2πi·k·r/(L·R)}, and
 * writes the R outputs of the stage's DFT (layout and indices as in mixedRadix.ts).
 */

/** One stage of a mixed-radix transform. */
export interface Stage {
  radix: number;
  /** Length of the sub-transforms already done (L). */
  done: number;
  /** Twiddles e^{−2πi·k·r/(L·R)} at [k·R + r], k < L. */
  twRe: Float64Array;
  twIm: Float64Array;
}

/** cos and sin of 2π·q·r/7 for q, r in 1…3, row by row (radix 7). */
const SEVENTHS = {
  cos: [1, 2, 3].flatMap((q) => [1, 2, 3].map((r) => Math.cos((2 * Math.PI * ((q * r) % 7)) / 7))),
  sin: [1, 2, 3].flatMap((q) => [1, 2, 3].map((r) => Math.sin((2 * Math.PI * ((q * r) % 7)) / 7))),
};

/** Radix 2, the twiddle applied as the second input is read. */
export function radix2(
  stage: Stage,
  size: number,
  xRe: Float64Array,
  xIm: Float64Array,
  yRe: Float64Array,
  yIm: Float64Array,
  columns: number,
): void {
  const { done, twRe, twIm } = stage;
  const span = (size / 2) * columns;
  const step = done * columns;
  for (let j = 0; j < size / 2; j++) {
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
export function radix4(
  stage: Stage,
  size: number,
  xRe: Float64Array,
  xIm: Float64Array,
  yRe: Float64Array,
  yIm: Float64Array,
  columns: number,
): void {
  const { done, twRe, twIm } = stage;
  const span = (size / 4) * columns;
  const step = done * columns;
  for (let j = 0; j < size / 4; j++) {
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
export function radix3(
  stage: Stage,
  size: number,
  xRe: Float64Array,
  xIm: Float64Array,
  yRe: Float64Array,
  yIm: Float64Array,
  columns: number,
): void {
  const { done, twRe, twIm } = stage;
  const span = (size / 3) * columns;
  const step = done * columns;
  const sin60 = Math.sqrt(3) / 2;
  for (let j = 0; j < size / 3; j++) {
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

/** Radix 5, twiddles applied on reading; the pairs (1, 4) and (2, 3) as in mixedRadix.ts's odd radix. */
export function radix5(
  stage: Stage,
  size: number,
  xRe: Float64Array,
  xIm: Float64Array,
  yRe: Float64Array,
  yIm: Float64Array,
  columns: number,
): void {
  const { done, twRe, twIm } = stage;
  const span = (size / 5) * columns;
  const step = done * columns;
  const c1 = Math.cos((2 * Math.PI) / 5),
    c2 = Math.cos((4 * Math.PI) / 5),
    s1 = Math.sin((2 * Math.PI) / 5),
    s2 = Math.sin((4 * Math.PI) / 5);
  for (let j = 0; j < size / 5; j++) {
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
 * Radix 7 (217 = 7·31), twiddles applied on reading, the pairs (r, 7 − r) as in mixedRadix.ts's odd
 * radix with every sum and rotation in registers.
 */
export function radix7(
  stage: Stage,
  size: number,
  xRe: Float64Array,
  xIm: Float64Array,
  yRe: Float64Array,
  yIm: Float64Array,
  columns: number,
): void {
  const { done, twRe, twIm } = stage;
  const span = (size / 7) * columns;
  const step = done * columns;
  const [c11, c12, c13, c21, c22, c23, c31, c32, c33] = SEVENTHS.cos;
  const [s11, s12, s13, s21, s22, s23, s31, s32, s33] = SEVENTHS.sin;
  for (let j = 0; j < size / 7; j++) {
    const k = j % done;
    const t = 7 * k;
    const w1r = twRe[t + 1],
      w1i = twIm[t + 1],
      w2r = twRe[t + 2],
      w2i = twIm[t + 2],
      w3r = twRe[t + 3],
      w3i = twIm[t + 3],
      w4r = twRe[t + 4],
      w4i = twIm[t + 4],
      w5r = twRe[t + 5],
      w5i = twIm[t + 5],
      w6r = twRe[t + 6],
      w6i = twIm[t + 6];
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
