import * as assert from 'node:assert/strict';
import { displacementWarpPlane, type Interpolation } from '../../../../src/engine/transforms/resample';
import type { TransformOptions } from '../../../../src/engine/transforms/types';
import { assertAllClose, dimsOf, loadGoldens } from '../../../helpers/goldens';
import { context, spec, typedFromGolden, volume, withDefaults } from './helpers';

// Each golden case: the transform called on `input` with {value, options} must give scipy's `expected`.
for (const file of ['rotate', 'crop', 'zoom', 'resize', 'dihedral', 'translate', 'anisotropy']) {
  describe(`spatial goldens: ${file} vs numpy/scipy`, () => {
    const golden = loadGoldens(`spatial/${file}.json`);
    for (const [name, { params, arrays }] of Object.entries(golden.cases)) {
      it(name, () => {
        const transform = spec(params.transform as string);
        const input = volume(typedFromGolden(arrays.input), dimsOf(arrays.input));
        const options = withDefaults(transform, params.options as TransformOptions);
        const output = transform.apply({ image: input }, params.value as number, options, context());
        assert.deepEqual(output.image.dims, dimsOf(arrays.expected));
        assertAllClose(output.image.data, arrays.expected.data, { rtol: 1e-4, atol: 1e-5, label: name });
        // Nearest neighbour (and pixel moves) keep the array type; linear gives float32.
        const exact = options.interpolation === 'nearest' || file === 'crop' || file === 'dihedral';
        assert.equal(output.image.data.constructor, exact ? input.data.constructor : Float32Array);
        if (params.spacing)
          assertAllClose(output.image.spacing, params.spacing as number[], { rtol: 1e-12, label: `${name} spacing` });
      });
    }
  });
}

describe('spatial goldens: displacementWarpPlane vs scipy.ndimage.map_coordinates (grid-constant)', () => {
  const golden = loadGoldens('spatial/warp.json');
  for (const [name, { params, arrays }] of Object.entries(golden.cases)) {
    it(name, () => {
      const [width, height] = dimsOf(arrays.input);
      const out = new Float64Array(width * height);
      displacementWarpPlane(
        arrays.input.data,
        width,
        height,
        arrays.dx.data,
        arrays.dy.data,
        out,
        params.interpolation as Interpolation,
        params.fill as number,
      );
      assertAllClose(out, arrays.expected.data, { rtol: 1e-4, atol: 1e-5, label: name });
    });
  }
});
