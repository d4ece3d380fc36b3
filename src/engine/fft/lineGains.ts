/**
 * real(F⁻¹(g ⊙ F x)) for a real image x and a Hermitian k-space gain g (g(−k) = g(k)) given line
 * by line along the first axis: the half spectrum of real.ts, with the transform along axis 0
 * last forward and first back, fused per line. A line is filtered as soon as its transform is
 * done, so its gains can spare the work:
 * - all gains 1: the line's spectrum is its own image along axis 0, no transform either way;
 * - all gains 0: the line is zeroed, no transform either way;
 * - otherwise forward, multiply, inverse, in one block of lines while the block is in cache.
 * A low-pass such as Gibbs' sphere leaves most lines of the first two kinds (issue 16 item 3).
 */
import { BLOCK_COLUMNS } from './block';
import { blockFftPlan } from './blockPlan';
import { fftAlongAxis } from './fftn';
import { gatherLines, scatterLines, scratch, type Samples } from './lines';
import { halfAlongLastAxis, realFromHalfAxis, type HalfSpectrum } from './real';

/** What a line's gains are: every one 1, every one 0, or anything else (written to `gains`). */
export type LineKind = 'one' | 'zero' | 'mixed';

/**
 * Gains of one line along axis 0 of the half spectrum: `line` numbers the lines in storage
 * order (line L starts at L·halfDims[0]), `spectrum` says the dims; for a 'mixed' line the
 * gains of its halfDims[0] points go to `gains` (raw indices).
 */
export type LineGainsOf = (line: number, spectrum: HalfSpectrum, gains: Float64Array) => LineKind;

/** The lines along axis 0 waiting in a block, with their gains (row k holds point k of every line). */
interface PendingBlock {
  re: Float64Array;
  im: Float64Array;
  starts: Int32Array;
  gains: Float64Array;
  count: number;
}

function filterBlock(spectrum: HalfSpectrum, block: PendingBlock): void {
  const n = spectrum.halfDims[0];
  const plan = blockFftPlan(n);
  const { re, im, starts, gains, count } = block;
  gatherLines(spectrum.re, starts, count, 1, n, re, count);
  gatherLines(spectrum.im, starts, count, 1, n, im, count);
  plan.forward(re, im, count);
  for (let k = 0, i = 0; k < n; k++) {
    const row = k * BLOCK_COLUMNS;
    for (let c = 0; c < count; c++, i++) {
      const gain = gains[row + c];
      re[i] *= gain;
      im[i] *= gain;
    }
  }
  plan.inverse(re, im, count);
  scatterLines(re, starts, count, 1, n, spectrum.re, count);
  scatterLines(im, starts, count, 1, n, spectrum.im, count);
  block.count = 0;
}

/** The fused pass along axis 0: every line filtered by its gains (see the top). */
function filterLines(spectrum: HalfSpectrum, gainsOf: LineGainsOf): void {
  const n = spectrum.halfDims[0];
  const lineCount = spectrum.re.length / n;
  const block: PendingBlock = { ...scratch(n), gains: new Float64Array(n * BLOCK_COLUMNS), count: 0 };
  const gains = new Float64Array(n);
  for (let line = 0; line < lineCount; line++) {
    const kind = gainsOf(line, spectrum, gains);
    if (kind === 'one') continue;
    const start = line * n;
    if (kind === 'zero') {
      spectrum.re.fill(0, start, start + n);
      spectrum.im.fill(0, start, start + n);
      continue;
    }
    const column = block.count++;
    block.starts[column] = start;
    for (let k = 0; k < n; k++) block.gains[k * BLOCK_COLUMNS + column] = gains[k];
    if (block.count === BLOCK_COLUMNS) filterBlock(spectrum, block);
  }
  if (block.count > 0) filterBlock(spectrum, block);
}

/**
 * real(F⁻¹(g ⊙ F x)) with g given per line along axis 0 by `gainsOf` (Hermitian, see the top).
 * Transforms: the real one along the halved axis, complex ones along the axes between, then the
 * fused pass along axis 0, and back. The spectrum is stored in single precision between passes
 * (the "once per step in float32": half the memory and the memory traffic of double; each
 * pass computes in double and rounds once on storing, so the image carries a few float32
 * round-offs of its largest coefficients), and the image is written over it (real.ts).
 */
export function filterRealImageByLines(
  values: ArrayLike<number>,
  dims: readonly number[],
  gainsOf: LineGainsOf,
): Samples {
  const spectrum = halfAlongLastAxis(values, dims, Float32Array);
  const { axis, halfDims } = spectrum;
  for (let other = 1; other < axis; other++) fftAlongAxis(spectrum, halfDims, other, false);
  // Axis 0 is the halved axis itself only when every other axis has one point: then its lines
  // hold the half spectrum already and need only their gains.
  if (axis === 0) multiplyLines(spectrum, gainsOf);
  else filterLines(spectrum, gainsOf);
  for (let other = 1; other < axis; other++) fftAlongAxis(spectrum, halfDims, other, true);
  return realFromHalfAxis(spectrum);
}

/** Gains applied to lines that are already spectra (a halved axis 0). */
function multiplyLines(spectrum: HalfSpectrum, gainsOf: LineGainsOf): void {
  const n = spectrum.halfDims[0];
  const gains = new Float64Array(n);
  for (let line = 0, start = 0; start < spectrum.re.length; line++, start += n) {
    const kind = gainsOf(line, spectrum, gains);
    if (kind === 'one') continue;
    for (let k = 0; k < n; k++) {
      const gain = kind === 'zero' ? 0 : gains[k];
      spectrum.re[start + k] *= gain;
      spectrum.im[start + k] *= gain;
    }
  }
}
