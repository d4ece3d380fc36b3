import * as assert from 'node:assert/strict';
import { identityAffine, type Volume } from '../../../../src/engine/volume';
import { applyNamed } from './helpers';

const SIDE = 512;

/** Left half 0, right half `level`: standard deviation level/2, known exactly. */
function halves(level: number, channels = 1): Volume {
  const voxels = SIDE * SIDE;
  const data = new Float32Array(voxels * channels);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < voxels; i++) data[c * voxels + i] = i % SIDE < SIDE / 2 ? 0 : level * 10 ** c;
  }
  return { data, dims: [SIDE, SIDE], spacing: [1, 1], affine: identityAffine(), channels };
}

function stats(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
  return { mean, sd };
}

/** Values of one channel in the left (0) or right (level) half. */
function half(volume: Volume, side: 'left' | 'right', channel = 0): number[] {
  const voxels = SIDE * SIDE;
  const out: number[] = [];
  for (let i = 0; i < voxels; i++) {
    if (i % SIDE < SIDE / 2 === (side === 'left')) out.push(volume.data[channel * voxels + i]);
  }
  return out;
}

describe('gaussian-noise', () => {
  it('is reproducible for a seed and differs between seeds', () => {
    const image = halves(100);
    const a = applyNamed('gaussian-noise', image, 0.2, {}, 11);
    const b = applyNamed('gaussian-noise', image, 0.2, {}, 11);
    const c = applyNamed('gaussian-noise', image, 0.2, {}, 12);
    assert.deepEqual(a.data, b.data);
    assert.notDeepEqual(a.data, c.data);
  });

  it('adds noise with σ relative to the channel SD and the requested mean', () => {
    const image = halves(200); // SD 100
    const out = applyNamed('gaussian-noise', image, 0.1, { mean: 0.5 }, 5);
    const noise = Array.from(out.data, (v, i) => v - image.data[i]);
    const { mean, sd } = stats(noise);
    // n = 262144: SE of the mean 10/512 ≈ 0.02, of the SD ≈ 0.014.
    assert.ok(Math.abs(mean - 50) < 0.1, `mean ${mean}`);
    assert.ok(Math.abs(sd - 10) < 0.1, `sd ${sd}`);
  });

  it("uses absolute units when relative is false, and each channel's own SD when relative", () => {
    const image = halves(200, 2); // channel SDs 100 and 1000
    const absolute = applyNamed('gaussian-noise', image, 3, { relative: false }, 8);
    const relative = applyNamed('gaussian-noise', image, 0.01, {}, 8);
    const voxels = SIDE * SIDE;
    const noiseSd = (out: Volume, c: number) =>
      stats(Array.from(out.data.subarray(c * voxels, (c + 1) * voxels), (v, i) => v - image.data[c * voxels + i])).sd;
    assert.ok(Math.abs(noiseSd(absolute, 0) - 3) < 0.05 && Math.abs(noiseSd(absolute, 1) - 3) < 0.05);
    assert.ok(Math.abs(noiseSd(relative, 0) - 1) < 0.02, `${noiseSd(relative, 0)}`);
    assert.ok(Math.abs(noiseSd(relative, 1) - 10) < 0.2, `${noiseSd(relative, 1)}`);
  });
});

describe('rician-noise', () => {
  it('is reproducible for a seed and differs between seeds', () => {
    const image = halves(50);
    assert.deepEqual(
      applyNamed('rician-noise', image, 0.3, {}, 4).data,
      applyNamed('rician-noise', image, 0.3, {}, 4).data,
    );
    assert.notDeepEqual(
      applyNamed('rician-noise', image, 0.3, {}, 4).data,
      applyNamed('rician-noise', image, 0.3, {}, 5).data,
    );
  });

  it('gives Rayleigh background and E[y²] = A² + 2σ² in the signal (σ relative to the SD)', () => {
    const image = halves(50); // SD 25, so relative 0.4 is σ = 10
    const out = applyNamed('rician-noise', image, 0.4, {}, 9);
    const background = stats(half(out, 'left'));
    // Rayleigh mean σ√(π/2) = 12.533; SE ≈ 6.55/√131072 ≈ 0.018.
    assert.ok(Math.abs(background.mean - 10 * Math.sqrt(Math.PI / 2)) < 0.1, `background mean ${background.mean}`);
    // Rayleigh SD σ√((4 − π)/2) = 6.551.
    assert.ok(Math.abs(background.sd - 10 * Math.sqrt((4 - Math.PI) / 2)) < 0.1, `background sd ${background.sd}`);
    const signal = half(out, 'right');
    const meanSquare = signal.reduce((s, v) => s + v * v, 0) / signal.length;
    // SE of E[y²] ≈ sqrt(4A²σ² + 4σ⁴)/√n ≈ 2.8.
    assert.ok(Math.abs(meanSquare - (2500 + 200)) < 15, `E[y²] ${meanSquare}`);
    assert.ok(
      out.data.every((v) => v >= 0),
      'magnitudes are non-negative',
    );
  });

  it('returns signed data unchanged at σ = 0', () => {
    const image = halves(-30);
    assert.deepEqual(Array.from(applyNamed('rician-noise', image, 0).data), Array.from(image.data));
  });
});
