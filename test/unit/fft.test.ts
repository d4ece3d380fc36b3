import * as assert from 'node:assert/strict';
import {
  addCoefficientImage,
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
  realImageFromCentredSpectrum,
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
