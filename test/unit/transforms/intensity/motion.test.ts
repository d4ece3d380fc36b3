import * as assert from 'node:assert/strict';
import {
  acquisitionOrder,
  motionFromMovedImage,
  moveRigidly,
  movedLines,
  rigidMoveMatrix,
} from '../../../../src/engine/transforms/intensity/motion';
import { assertAllClose, dimsOf, loadGoldens } from '../../../helpers/goldens';
import { applyNamed, volumeOf } from './helpers';

const goldens = loadGoldens('intensity/motion.json');
const AXES = { x: 0, y: 1, z: 2 } as const;

function maxAbs(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  return max;
}

describe('motion: k-space line assembly (numpy goldens, moved image given)', () => {
  for (const [name, golden] of Object.entries(goldens.cases).filter(([name]) => name.startsWith('swap-'))) {
    it(name, () => {
      const { axis, movedFraction, ordering } = golden.params as {
        axis: keyof typeof AXES;
        movedFraction: number;
        ordering: 'centric' | 'sequential';
      };
      const dims = dimsOf(golden.arrays.image);
      const lines = movedLines(dims[AXES[axis]], movedFraction, ordering);
      const out = motionFromMovedImage(golden.arrays.image.data, golden.arrays.moved.data, dims, AXES[axis], lines);
      assertAllClose(out, golden.arrays.expected.data, {
        rtol: 1e-7,
        atol: 1e-8 * maxAbs(golden.arrays.expected.data),
        label: name,
      });
    });
  }
});

describe('motion transform (numpy goldens, rigid move by scipy.ndimage.affine_transform)', () => {
  for (const [name, golden] of Object.entries(goldens.cases).filter(([name]) => name.startsWith('motion-'))) {
    const params = golden.params as { value: number; options: Record<string, number | string> };
    it(`${name}: the moved image equals scipy's`, () => {
      const image = volumeOf(golden.arrays.image);
      const shift = ((params.options.shiftPerDegree as number | undefined) ?? 0.5) * params.value;
      const matrix = rigidMoveMatrix(image.dims[0], image.dims[1], params.value, shift, shift);
      const moved = moveRigidly(image.data, image.dims, matrix, Math.min(...image.data));
      assertAllClose(moved, golden.arrays.moved.data, {
        rtol: 1e-5,
        atol: 1e-5 * maxAbs(golden.arrays.moved.data),
        label: name,
      });
    });
    it(`${name}: the artifact equals numpy's`, () => {
      const out = applyNamed('motion', volumeOf(golden.arrays.image), params.value, params.options);
      assertAllClose(out.data, golden.arrays.expected.data, {
        rtol: 1e-4,
        atol: 1e-5 * maxAbs(golden.arrays.expected.data),
        label: name,
      });
    });
  }
});

describe('motion model details', () => {
  it('acquires centric lines from the centre outwards and sequential lines in index order', () => {
    assert.deepEqual(acquisitionOrder(6, 'centric'), [3, 2, 4, 1, 5, 0]);
    assert.deepEqual(acquisitionOrder(5, 'centric'), [2, 1, 3, 0, 4]);
    assert.deepEqual(acquisitionOrder(4, 'sequential'), [0, 1, 2, 3]);
  });

  it('moves the outer half of k-space by default, keeping the centre', () => {
    assert.deepEqual(movedLines(8, 0.5, 'centric'), [true, true, false, false, false, false, true, true]);
    assert.deepEqual(movedLines(5, 0.4, 'sequential'), [false, false, false, true, true]);
    assert.deepEqual(movedLines(4, 0, 'centric'), [false, false, false, false]);
  });

  it('rotates counter-clockwise as displayed (y down) and then shifts', () => {
    // A bright pixel 3 px right of the centre of a 9×9 plane ends up 3 px above it after +90°.
    const plane = new Float64Array(81);
    plane[4 + 3 + 9 * 4] = 1;
    const rotated = moveRigidly(plane, [9, 9], rigidMoveMatrix(9, 9, 90, 0, 0), 0);
    assert.ok(Math.abs(rotated[4 + 9 * 1] - 1) < 1e-9);
    const shifted = moveRigidly(plane, [9, 9], rigidMoveMatrix(9, 9, 0, -2, 1), 0);
    assert.ok(Math.abs(shifted[5 + 9 * 5] - 1) < 1e-9);
  });

  it('leaves the image unchanged when the whole acquisition happens before the move', () => {
    const golden = goldens.cases['motion-2d'];
    const image = volumeOf(golden.arrays.image);
    const out = applyNamed('motion', image, 6, { movedFraction: 0 });
    assertAllClose(out.data, image.data, { rtol: 1e-6, atol: 1e-4 });
  });
});
