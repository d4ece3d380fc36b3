/**
 * The `clamp` option against PIL (what misas calls for brightness and contrast) and numpy
 * re-enactments of misas's spike and bias-field steps: tools/goldens/clamp.py.
 */
import * as assert from 'node:assert/strict';
import { expandSweep, type Sweep } from '../../../../src/engine/transforms/sweep';
import { identityAffine, type Volume, type VoxelArrayConstructor } from '../../../../src/engine/volume';
import { assertAllClose, loadGoldens, type GoldenArray } from '../../../helpers/goldens';
import { applyNamed, specNamed } from './helpers';

const ARRAY_TYPES: Record<string, VoxelArrayConstructor> = {
  uint8: Uint8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  float32: Float32Array,
};

function imageOf(array: GoldenArray, sampleType: string, channels: number): Volume {
  const shape = channels > 1 ? array.shape.slice(1) : array.shape;
  const dims = [...shape].reverse();
  return {
    data: ARRAY_TYPES[sampleType].from(array.data),
    dims,
    spacing: dims.map(() => 1),
    affine: identityAffine(),
    channels,
  };
}

interface ClampParams {
  transform: string;
  value: number;
  options: Record<string, string>;
  sampleType: string;
  channels: number;
}

const goldens = loadGoldens('intensity/clamp.json');

describe('clamp: intensity transforms vs PIL and misas (goldens)', () => {
  for (const [name, golden] of Object.entries(goldens.cases)) {
    const params = golden.params as unknown as ClampParams;
    it(`${name}`, () => {
      const out = applyNamed(
        params.transform,
        imageOf(golden.arrays.image, params.sampleType, params.channels),
        params.value,
        params.options,
      );
      const integerResult =
        params.sampleType !== 'float32' && (params.options.clamp ?? 'dtype-range') === 'dtype-range';
      // Integer results must equal PIL's / misas's bytes exactly; float results to float32 precision.
      const tolerance = integerResult ? { rtol: 0, atol: 0 } : { rtol: 1e-6, atol: 1e-6 };
      const expected = [...golden.arrays.expected.data];
      const beforeCast = golden.arrays.beforeCast?.data;
      if (beforeCast) {
        // Where misas's value lies within rounding error of an integer n, its cast may give n or
        // n − 1 depending on float noise (float32 in misas); the exact result, and ours, is n.
        beforeCast.forEach((v, i) => {
          if (Math.abs(v - Math.round(v)) < 1e-6) expected[i] = Math.round(v);
        });
      }
      assertAllClose(out.data, expected, { ...tolerance, label: name });
    });
  }

  it('the PIL cases cover exactly the default brightness and contrast sweeps', () => {
    for (const transform of ['brightness', 'contrast']) {
      const swept = Object.entries(goldens.cases)
        .filter(([name]) => name.startsWith(`${transform}-uint8-pil-`))
        .map(([, golden]) => (golden.params as unknown as ClampParams).value);
      assert.deepEqual(swept, expandSweep(specNamed(transform).defaultSweep as Sweep));
    }
  });
});

describe('clamp: defaults and what each mode does', () => {
  const misasDefaults = ['brightness', 'contrast', 'spike', 'spike-position', 'bias-field'];
  const libraryDefaults = ['gaussian-noise', 'rician-noise', 'ghosting', 'motion', 'gibbs'];

  it("misas's transforms clip to the file type, the TorchIO/MONAI artifacts do not, and each default says why", () => {
    for (const name of misasDefaults) assert.equal(specNamed(name).options.clamp.default, 'dtype-range', name);
    for (const name of libraryDefaults) assert.equal(specNamed(name).options.clamp.default, 'none', name);
    for (const name of [...misasDefaults, ...libraryDefaults]) {
      const option = specNamed(name).options.clamp;
      assert.deepEqual(option.enum, ['none', 'input-range', 'dtype-range']);
      assert.match(option.description, new RegExp(`Default ${String(option.default)}: \\S`), name);
    }
  });

  it('blur and gamma stay within the input range by construction and take no clamp option', () => {
    for (const name of ['blur', 'gamma']) assert.equal(specNamed(name).options.clamp, undefined);
  });

  const u8 = (values: number[]): Volume => ({
    data: Uint8Array.from(values),
    dims: [values.length, 1],
    spacing: [1, 1],
    affine: identityAffine(),
    channels: 1,
  });

  it("the tester's example: brightness 1.5 on uint8 [0, 100, 150, 185]", () => {
    const image = u8([0, 100, 150, 185]);
    assert.deepEqual([...applyNamed('brightness', image, 1.5).data], [0, 150, 225, 255]);
    assert.deepEqual([...applyNamed('brightness', image, 1.5, { clamp: 'input-range' }).data], [0, 150, 185, 185]);
    assert.deepEqual([...applyNamed('brightness', image, 1.5, { clamp: 'none' }).data], [0, 150, 225, 277.5]);
  });

  it("dtype-range follows the file's sample type when the data are already floats (rescaled or interpolated)", () => {
    const floats: Volume = {
      data: Float32Array.from([0, 100.5, 150, 185]),
      dims: [4, 1],
      spacing: [1, 1],
      affine: identityAffine(),
      channels: 1,
      sampleType: { name: 'uint8', min: 0, max: 255, integer: true },
    };
    assert.deepEqual([...applyNamed('brightness', floats, 1.5).data], [0, 150, 225, 255]);
    const scaled: Volume = {
      ...floats,
      sampleType: { name: 'int16', min: -10, max: 200, integer: false, scaling: { slope: 2, intercept: 0 } },
    };
    assert.deepEqual([...applyNamed('brightness', scaled, 1.5).data], [0, 150.75, 200, 200]);
  });

  it('noise on an 8-bit image may leave 0…255 by default and is clipped with dtype-range', () => {
    const image = u8(Array.from({ length: 64 }, (_, i) => (i % 2) * 250));
    const noisy = applyNamed('gaussian-noise', image, 0.5);
    assert.ok(Math.min(...noisy.data) < 0 && Math.max(...noisy.data) > 255, 'default none keeps the noise whole');
    const clipped = applyNamed('gaussian-noise', image, 0.5, { clamp: 'dtype-range' });
    assert.ok(Math.min(...clipped.data) === 0 && Math.max(...clipped.data) === 255);
    assert.ok(
      clipped.data.every((v) => Number.isInteger(v)),
      'cast to uint8 drops fractions',
    );
  });

  it('refuses an unknown clamp mode naming the transform', () => {
    assert.throws(
      () => applyNamed('spike', u8([1, 2, 3, 4]), 1, { clamp: 'dtype' }),
      /option "clamp" of transform "spike" must be one of none, input-range, dtype-range, got "dtype"/,
    );
  });
});
