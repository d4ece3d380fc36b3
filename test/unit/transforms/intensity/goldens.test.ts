import * as assert from 'node:assert/strict';
import { axisCoordinates, coefficientCount, logBiasField } from '../../../../src/engine/transforms/intensity/biasField';
import { assertAllClose, dimsOf, loadGoldens, type GoldenCase } from '../../../helpers/goldens';
import { applyNamed, volumeOf } from './helpers';

function maxAbs(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  return max;
}

/** Applies the case's transform to its image and compares with numpy's result. */
function checkTransformCase(name: string, golden: GoldenCase, spacing?: number[]): void {
  const params = golden.params as {
    transform: string;
    value: number;
    options?: Record<string, number | boolean | string>;
    integer?: boolean;
    channels?: number;
  };
  const image = volumeOf(golden.arrays.image, {
    channels: params.channels ?? 1,
    integer: params.integer ?? false,
    spacing,
  });
  const out = applyNamed(params.transform, image, params.value, params.options ?? {});
  assert.ok(out.data instanceof Float32Array, 'output is float32');
  assert.deepEqual(out.dims, image.dims);
  assert.equal(out.channels, image.channels);
  const expected = golden.arrays.expected.data;
  // float32 output: relative 1e-4, and an absolute floor of 1e-5 of the image's scale for values near 0.
  assertAllClose(out.data, expected, { rtol: 1e-4, atol: 1e-5 * maxAbs(expected), label: name });
}

describe('intensity transforms vs numpy goldens', () => {
  const pointwise = loadGoldens('intensity/pointwise.json');
  for (const [name, golden] of Object.entries(pointwise.cases).filter(([, g]) => 'transform' in g.params)) {
    it(`${name}`, () => checkTransformCase(name, golden));
  }

  const blur = loadGoldens('intensity/blur.json');
  for (const [name, golden] of Object.entries(blur.cases)) {
    it(`${name} equals scipy.ndimage.gaussian_filter`, () => {
      const params = golden.params as { value: number; spacing: number[] };
      checkTransformCase(
        name,
        { params: { transform: 'blur', value: params.value }, arrays: golden.arrays },
        params.spacing,
      );
    });
  }

  const kspace = loadGoldens('intensity/kspace.json');
  for (const [name, golden] of Object.entries(kspace.cases)) {
    it(`${name}`, () => checkTransformCase(name, golden));
  }
});

describe('bias field polynomial', () => {
  const pointwise = loadGoldens('intensity/pointwise.json');
  for (const [name, golden] of Object.entries(pointwise.cases).filter(([name]) => name.startsWith('field-'))) {
    it(`${name}: distinct coefficients are consumed in the x > y > z loop order`, () => {
      const { order, coefficients } = golden.params as { order: number; coefficients: number[] };
      const dims = dimsOf(golden.arrays.logField);
      assert.equal(coefficients.length, coefficientCount(order, dims.length));
      assertAllClose(logBiasField(dims, coefficients, order), golden.arrays.logField.data, {
        rtol: 1e-8,
        atol: 1e-8,
        label: name,
      });
    });
  }

  it('normalises centred coordinates to [−1, 1] for even and odd sizes', () => {
    assert.deepEqual([...axisCoordinates(4)], [-1, -1 / 3, 1 / 3, 1]);
    assert.deepEqual([...axisCoordinates(3)], [-1, 0, 1]);
    assert.deepEqual([...axisCoordinates(1)], [0]);
  });
});
