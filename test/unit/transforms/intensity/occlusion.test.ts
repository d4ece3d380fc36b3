import * as assert from 'node:assert/strict';
import { gaussianFilter } from '../../../../src/engine/transforms/intensity/gaussianFilter';
import {
  occlusionPatch,
  occlusionPositionCount,
  patchStarts,
} from '../../../../src/engine/transforms/intensity/occlusion';
import { defaultValuesFor, getTransform } from '../../../../src/engine/transforms/registry';
import { applyNamed, testVolume } from './helpers';

/** Indices of the voxels that differ between two images. */
function changed(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) out.push(i);
  return out;
}

describe('occlusion', () => {
  it('lays patches every stride voxels, adds one flush with the far edge, and covers a short axis with one', () => {
    assert.deepEqual(patchStarts(64, 16, 16), [0, 16, 32, 48]);
    assert.deepEqual(patchStarts(70, 16, 16), [0, 16, 32, 48, 54]);
    assert.deepEqual(patchStarts(40, 16, 8), [0, 8, 16, 24]);
    assert.deepEqual(patchStarts(10, 16, 16), [0]);
    assert.equal(occlusionPositionCount([181, 217], 16, 16), 12 * 14);
    assert.equal(occlusionPositionCount([40, 30, 20], 16, 16), 3 * 2 * 2);
  });

  it('numbers positions in raster order, x fastest, then y, then z', () => {
    // 40×30: x starts 0, 16, 24; y starts 0, 14.
    assert.deepEqual(occlusionPatch([40, 30], 16, 16, 0), { x0: 0, x1: 16, y0: 0, y1: 16, z0: 0, z1: 1 });
    assert.deepEqual(occlusionPatch([40, 30], 16, 16, 2), { x0: 24, x1: 40, y0: 0, y1: 16, z0: 0, z1: 1 });
    assert.deepEqual(occlusionPatch([40, 30], 16, 16, 4), { x0: 16, x1: 32, y0: 14, y1: 30, z0: 0, z1: 1 });
    assert.deepEqual(occlusionPatch([40, 30, 20], 16, 16, 6), { x0: 0, x1: 16, y0: 0, y1: 16, z0: 4, z1: 20 });
  });

  it('changes exactly the patch, to zero, the mean or the blurred image', () => {
    const image = testVolume([40, 30]);
    let mean = 0;
    for (const v of image.data) mean += v / image.data.length;
    const blurred = gaussianFilter(image.data, image.dims, [8, 8]);
    for (const fill of ['zero', 'mean', 'blur']) {
      const out = applyNamed('occlusion', image, 4, { fill });
      const inside: number[] = [];
      for (let y = 14; y < 30; y++) for (let x = 16; x < 32; x++) inside.push(y * 40 + x);
      assert.deepEqual(changed(out.data, image.data), inside, fill);
      const expected = (i: number) => (fill === 'zero' ? 0 : fill === 'mean' ? mean : blurred[i]);
      for (const i of inside) assert.ok(Math.abs(out.data[i] - expected(i)) < 1e-3, `${fill} at ${i}`);
    }
  });

  it('hides a cube in a volume and nothing at −1', () => {
    const image = testVolume([20, 18, 12]);
    const out = applyNamed('occlusion', image, 3, { size: 8, stride: 8, fill: 'zero' });
    // 20: 0, 8, 12; 18: 0, 8, 10; 12: 0, 4 → position 3 = (x 0, y 8, z 0).
    const cube: number[] = [];
    for (let z = 0; z < 8; z++)
      for (let y = 8; y < 16; y++) for (let x = 0; x < 8; x++) cube.push((z * 18 + y) * 20 + x);
    assert.deepEqual(changed(out.data, image.data), cube);
    assert.deepEqual(changed(applyNamed('occlusion', image, -1).data, image.data), []);
  });

  it('sweeps −1 and every position of the default grid, and names the count for a position beyond it', () => {
    const spec = getTransform('occlusion');
    const values = defaultValuesFor(spec, [40, 30]);
    assert.deepEqual(values, [-1, 0, 1, 2, 3, 4, 5]);
    // The default sweep follows the series' own size and stride: 40 → 0, 8, …, 32; 30 → 0, 8, 16, 22.
    assert.equal(defaultValuesFor(spec, [40, 30], { size: 8, stride: 8 }).length, 1 + 5 * 4);
    assert.throws(
      () => applyNamed('occlusion', testVolume([40, 30]), 6),
      /position must be a whole number from −1 \(nothing hidden\) to 5: 16-voxel patches at stride 16 give 6 positions on 40×30, got 6/,
    );
    assert.throws(() => applyNamed('occlusion', testVolume([40, 30]), 1.5), /got 1\.5/);
  });
});
