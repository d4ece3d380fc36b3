import assert from 'node:assert/strict';
import { centredSpectrum, realImageFromCentredSpectrum } from '../../../../src/engine/fft';
import { gibbsImage } from '../../../../src/engine/transforms/intensity/gibbs';
import { assertAllClose } from '../../../helpers/goldens';

/**
 * The definition computed the long way (as misas did before half spectra): the full centred
 * complex spectrum, the sphere mask ‖j − (N−1)/2‖ ≤ (1 − α)·max(N)·√2/2 on it, the real part back.
 */
function gibbsByDefinition(values: Float64Array, dims: number[], alpha: number): Float64Array {
  const spectrum = centredSpectrum(values, dims);
  const radius = ((1 - alpha) * Math.max(...dims) * Math.SQRT2) / 2;
  const [nx, ny, nz = 1] = dims;
  const [cx, cy, cz] = [(nx - 1) / 2, (ny - 1) / 2, (nz - 1) / 2];
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (Math.sqrt((x - cx) ** 2 + (y - cy) ** 2 + (z - cz) ** 2) > radius) spectrum.re[i] = spectrum.im[i] = 0;
      }
    }
  }
  return realImageFromCentredSpectrum(spectrum, dims);
}

describe('gibbs on half spectra equals the full-spectrum definition', () => {
  // Even axes put the sphere's centre between frequencies (the ½ gains); odd ones do not; a
  // trailing axis of 1 moves the halved axis (down to axis 0, whose lines then need no transform);
  // α near 1 keeps only the centre.
  const cases: [number[], number][] = [
    [[16, 13, 10], 0.3],
    [[15, 12, 9], 0.55],
    [[20, 24], 0.4],
    [[19, 23], 0.65],
    [[12, 10, 1], 0.2],
    [[8, 9, 6], 0.97],
    [[37, 31, 29], 0.3],
    [[9, 1], 0.3],
    [[1, 9, 8], 0.4],
    [[14, 1, 9], 0.25],
  ];
  for (const [dims, alpha] of cases) {
    it(`${dims.join('×')}, α = ${alpha}`, () => {
      const count = dims.reduce((a, b) => a * b, 1);
      const values = Float64Array.from({ length: count }, (_, i) => ((i * 7919) % 251) + 40 * Math.sin(i * 0.05));
      const expected = gibbsByDefinition(values, dims, alpha);
      // The spectrum is stored in float32 between passes: a few float32 round-offs of the largest value.
      assertAllClose(gibbsImage(values, dims, alpha), expected, {
        rtol: 0,
        atol: 1e-6 * Math.max(...expected.map(Math.abs)),
        label: dims.join('×'),
      });
    });
  }

  it('returns the image itself when the sphere holds all of k-space (no float32 round-off on the identity)', () => {
    // 20×24, α = 0.01: radius 0.99·24·√2/2 ≈ 16.8 reaches the corners at ½·√(19² + 23²) ≈ 14.9.
    const values = Float64Array.from({ length: 480 }, (_, i) => (i * 37) % 256);
    assert.equal(gibbsImage(values, [20, 24], 0.01), values);
    assert.notEqual(gibbsImage(values, [20, 24], 0.2), values);
  });
});
