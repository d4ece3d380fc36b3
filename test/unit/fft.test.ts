import * as assert from 'node:assert/strict';
import {
  addCoefficientImage,
  blockFftPlan,
  centredIndex,
  centredSpectrum,
  dftCoefficient,
  fftn,
  fftPlan,
  fftshift,
  filterAlongAxis,
  ifftn,
  ifftshift,
  rawIndex,
  realFromHalfSpectrum,
  realImageFromCentredSpectrum,
  realSpectrum,
} from '../../src/engine/fft';
import { assertAllClose, dimsOf, loadGoldens } from '../helpers/goldens';

const goldens = loadGoldens('intensity/fft.json');

/** Tolerance for spectra: relative, plus an absolute floor scaled to the data's size. */
function closeTo(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string): void {
  assertAllClose(actual, expected, { rtol: 1e-7, atol: 1e-9 * Math.sqrt(expected.length) * 10, label });
}

describe('fft (numpy.fft goldens)', () => {
  for (const [name, golden] of Object.entries(goldens.cases).filter(([name]) => name.startsWith('fft1d-'))) {
    it(`${name}: forward and inverse equal numpy.fft.fft / ifft`, () => {
      const { re, im, fftRe, fftIm, ifftRe, ifftIm } = golden.arrays;
      const plan = fftPlan(golden.params.n as number);
      const fRe = Float64Array.from(re.data),
        fIm = Float64Array.from(im.data);
      plan.forward(fRe, fIm);
      closeTo(fRe, fftRe.data, `${name} fft re`);
      closeTo(fIm, fftIm.data, `${name} fft im`);
      const iRe = Float64Array.from(re.data),
        iIm = Float64Array.from(im.data);
      plan.inverse(iRe, iIm);
      closeTo(iRe, ifftRe.data, `${name} ifft re`);
      closeTo(iIm, ifftIm.data, `${name} ifft im`);
    });
  }

  for (const [name, golden] of Object.entries(goldens.cases).filter(([name]) => name.startsWith('fftn-'))) {
    it(`${name}: fftn, ifftn, fftshift and ifftshift equal numpy`, () => {
      const a = golden.arrays;
      const dims = dimsOf(a.re);
      const input = () => ({ re: Float64Array.from(a.re.data), im: Float64Array.from(a.im.data) });
      const forward = input();
      fftn(forward, dims);
      closeTo(forward.re, a.fftnRe.data, 'fftn re');
      closeTo(forward.im, a.fftnIm.data, 'fftn im');
      const backward = input();
      ifftn(backward, dims);
      closeTo(backward.re, a.ifftnRe.data, 'ifftn re');
      closeTo(backward.im, a.ifftnIm.data, 'ifftn im');
      const shifted = fftshift(input(), dims);
      assert.deepEqual([...shifted.re], a.fftshiftRe.data);
      assert.deepEqual([...shifted.im], a.fftshiftIm.data);
      const unshifted = ifftshift(input(), dims);
      assert.deepEqual([...unshifted.re], a.ifftshiftRe.data);
      assert.deepEqual([...unshifted.im], a.ifftshiftIm.data);
    });
  }
});

describe('fft properties', () => {
  it('round-trips a real image of prime and composite sizes through the centred spectrum', () => {
    const dims = [23, 14, 7];
    const values = Float64Array.from({ length: 23 * 14 * 7 }, (_, i) => Math.sin(i * 0.37) * 50 + (i % 11));
    const back = realImageFromCentredSpectrum(centredSpectrum(values, dims), dims);
    assertAllClose(back, values, { rtol: 1e-10, atol: 1e-10 });
  });

  it('puts the zero frequency (the sum) at index n div 2 of the centred spectrum', () => {
    const dims = [5, 4];
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    const spectrum = centredSpectrum(values, dims);
    const centre = 2 + 5 * 2;
    assert.ok(Math.abs(spectrum.re[centre] - 210) < 1e-9);
    assert.ok(Math.abs(spectrum.im[centre]) < 1e-9);
  });

  it("keeps Parseval's identity on a Bluestein size (181)", () => {
    const n = 181;
    const re = Float64Array.from({ length: n }, (_, i) => Math.cos(i * i * 0.01));
    const im = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.3));
    const energy = re.reduce((s, v, i) => s + v * v + im[i] * im[i], 0);
    fftPlan(n).forward(re, im);
    const spectralEnergy = re.reduce((s, v, i) => s + v * v + im[i] * im[i], 0) / n;
    assert.ok(Math.abs(spectralEnergy - energy) < 1e-9 * energy);
  });

  it('refuses a size that is not a positive integer and arrays that do not match dims', () => {
    assert.throws(() => fftPlan(0), RangeError);
    assert.throws(() => fftPlan(2.5), RangeError);
    assert.throws(() => fftn({ re: new Float64Array(5), im: new Float64Array(5) }, [2, 3]), RangeError);
  });
});

describe('single-axis and single-coefficient shortcuts', () => {
  const dims = [7, 6, 5];
  const values = Float64Array.from({ length: 7 * 6 * 5 }, (_, i) => Math.cos(i * 1.3) * 10 + (i % 4) - 2);

  it('maps raw and centred indices like fftshift for odd and even sizes', () => {
    for (const n of [1, 4, 5]) {
      for (let i = 0; i < n; i++) assert.equal(rawIndex(centredIndex(i, n), n), i);
    }
    assert.equal(centredIndex(0, 5), 2);
    assert.equal(centredIndex(0, 4), 2);
    assert.equal(rawIndex(0, 5), 3);
  });

  it('filters along one axis exactly as the same gains on planes of the centred N-D spectrum', () => {
    const gains = [0.3, 1, -0.5, 2, 1, 0];
    const spectrum = centredSpectrum(values, dims);
    for (let i = 0; i < spectrum.re.length; i++) {
      const plane = Math.floor(i / 7) % 6;
      spectrum.re[i] *= gains[plane];
      spectrum.im[i] *= gains[plane];
    }
    const reference = realImageFromCentredSpectrum(spectrum, dims);
    assertAllClose(filterAlongAxis(values, dims, 1, gains), reference, { rtol: 1e-9, atol: 1e-9 });
  });

  it('computes one fftn coefficient and the image of one coefficient', () => {
    const full = { re: Float64Array.from(values), im: new Float64Array(values.length) };
    fftn(full, dims);
    const frequency = [3, 5, 1];
    const flat = 3 + 7 * (5 + 6 * 1);
    const c = dftCoefficient(values, dims, frequency);
    assert.ok(Math.abs(c.re - full.re[flat]) < 1e-9 && Math.abs(c.im - full.im[flat]) < 1e-9);
    const lone = { re: new Float64Array(values.length), im: new Float64Array(values.length) };
    lone.re[flat] = 2.5;
    lone.im[flat] = -1.25;
    ifftn(lone, dims);
    const image = new Float64Array(values.length);
    addCoefficientImage(image, dims, frequency, { re: 2.5, im: -1.25 });
    assertAllClose(image, lone.re, { rtol: 1e-9, atol: 1e-12 });
  });
});

/** The lines of a block (row k = point k of every line) as separate arrays, and back. */
function toBlock(lines: Float64Array[]): Float64Array {
  const n = lines[0].length;
  const block = new Float64Array(n * lines.length);
  lines.forEach((line, c) => line.forEach((v, k) => (block[k * lines.length + c] = v)));
  return block;
}
function column(block: Float64Array, columns: number, c: number): Float64Array {
  return Float64Array.from({ length: block.length / columns }, (_, k) => block[k * columns + c]);
}

describe('block transforms (many lines at once: radix-2, mixed radix, Rader, Bluestein)', () => {
  for (const [name, golden] of Object.entries(goldens.cases).filter(([name]) => name.startsWith('fft1d-'))) {
    it(`${name}: every column of a block equals numpy.fft.fft / ifft`, () => {
      const { re, im, fftRe, fftIm, ifftRe, ifftIm } = golden.arrays;
      const n = golden.params.n as number;
      // Three columns: the golden line, it conjugated, and it scaled by 2 (known transforms of each).
      const lineRe = Float64Array.from(re.data);
      const lineIm = Float64Array.from(im.data);
      const blockRe = () => toBlock([lineRe, lineRe, lineRe.map((v) => 2 * v)]);
      const blockIm = () => toBlock([lineIm, lineIm.map((v) => -v), lineIm.map((v) => 2 * v)]);
      const plan = blockFftPlan(n);
      const fRe = blockRe(),
        fIm = blockIm();
      plan.forward(fRe, fIm, 3);
      closeTo(column(fRe, 3, 0), fftRe.data, `${name} fft re`);
      closeTo(column(fIm, 3, 0), fftIm.data, `${name} fft im`);
      closeTo(
        column(fRe, 3, 2),
        fftRe.data.map((v) => 2 * v),
        `${name} fft re ×2`,
      );
      // fft(conj x)[k] = conj(fft(x)[−k]) = n · conj(ifft(x)[k]).
      closeTo(
        column(fRe, 3, 1),
        ifftRe.data.map((v) => n * v),
        `${name} fft of conj re`,
      );
      closeTo(
        column(fIm, 3, 1),
        ifftIm.data.map((v) => -n * v),
        `${name} fft of conj im`,
      );
      const iRe = blockRe(),
        iIm = blockIm();
      plan.inverse(iRe, iIm, 3);
      closeTo(column(iRe, 3, 0), ifftRe.data, `${name} ifft re`);
      closeTo(column(iIm, 3, 0), ifftIm.data, `${name} ifft im`);
    });
  }

  it('equals the one-line transform for sizes that take each strategy', () => {
    // 180 = 4·5·3·3, 14 = 2·7 and 217 = 7·31 mixed radix (31, 13 = the factor of 26 = 2·13 and 79
    // = the factor of 316 = 4·79 by Rader inside), 181 and 367 (366 = 2·3·61) Rader, 362 = 2·181
    // (mixed, 181 by Rader), 1018 = 2·509 (508 = 4·127) and 509 Bluestein, 512 radix-2.
    for (const n of [6, 12, 14, 26, 45, 180, 181, 217, 316, 362, 367, 509, 512, 1018]) {
      const lines = [0, 1, 2, 3, 4].map((c) =>
        Float64Array.from({ length: n }, (_, k) => Math.sin(k * (c + 1) * 0.7) + c),
      );
      const imags = lines.map((line) => line.map((v, k) => Math.cos(v * k)));
      const re = toBlock(lines),
        im = toBlock(imags);
      blockFftPlan(n).forward(re, im, 5);
      lines.forEach((line, c) => {
        const lr = Float64Array.from(line),
          li = Float64Array.from(imags[c]);
        fftPlan(n).forward(lr, li);
        closeTo(column(re, 5, c), lr, `n=${n} column ${c} re`);
        closeTo(column(im, 5, c), li, `n=${n} column ${c} im`);
      });
    }
  });
});

describe('real transforms with half spectra', () => {
  /** The reference: the full complex fftn, as numpy's. */
  function fullSpectrum(values: Float64Array, dims: number[]) {
    const full = { re: Float64Array.from(values), im: new Float64Array(values.length) };
    fftn(full, dims);
    return full;
  }

  for (const dims of [
    [7, 6, 5],
    [6, 4, 8],
    [5, 9],
    [8, 6],
    [9, 7, 1],
    [1, 1, 4],
    [1, 1, 1],
    [45, 38, 33],
  ]) {
    it(`keeps the raw indices 0…n div 2 of fftn along the last axis longer than 1, and inverts (${dims.join('×')})`, () => {
      const count = dims.reduce((a, b) => a * b, 1);
      const values = Float64Array.from({ length: count }, (_, i) => Math.sin(i * 0.61) * 30 + (i % 7));
      const half = realSpectrum(values, dims);
      const full = fullSpectrum(values, dims);
      const axis = half.axis;
      assert.equal(axis, Math.max(...dims.map((n, a) => (n > 1 ? a : 0))));
      assert.equal(half.halfDims[axis], Math.floor(dims[axis] / 2) + 1);
      // Half index (…, k on `axis`, …) is full index (…, k, …): the same strides below `axis`.
      const below = dims.slice(0, axis).reduce((a, b) => a * b, 1);
      const keptRe = Float64Array.from({ length: half.re.length }, (_, i) => full.re[i]);
      const keptIm = Float64Array.from({ length: half.re.length }, (_, i) => full.im[i]);
      assert.equal(half.re.length, below * half.halfDims[axis]);
      closeTo(half.re, keptRe, 'half spectrum re');
      closeTo(half.im, keptIm, 'half spectrum im');
      assertAllClose(realFromHalfSpectrum(half), values, { rtol: 1e-10, atol: 1e-10, label: 'round trip' });
    });
  }

  it('filters a real image along an even axis with an asymmetric gain like the full spectrum', () => {
    const dims = [6, 8, 5];
    const values = Float64Array.from({ length: 240 }, (_, i) => Math.cos(i * 0.9) * 4 + (i % 3));
    const gains = [0, 0.5, 1, 2, -1, 1, 0.25, 3];
    const spectrum = centredSpectrum(values, dims);
    for (let i = 0; i < spectrum.re.length; i++) {
      const plane = Math.floor(i / 6) % 8;
      spectrum.re[i] *= gains[plane];
      spectrum.im[i] *= gains[plane];
    }
    const reference = realImageFromCentredSpectrum(spectrum, dims);
    assertAllClose(filterAlongAxis(values, dims, 1, gains), reference, { rtol: 1e-9, atol: 1e-9 });
    const inPlace = Float64Array.from(values);
    assert.equal(filterAlongAxis(inPlace, dims, 1, gains, inPlace), inPlace);
    assertAllClose(inPlace, reference, { rtol: 1e-9, atol: 1e-9, label: 'written over its input' });
  });
});
