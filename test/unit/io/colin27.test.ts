/**
 * Real MRI: the Colin27 slice and crop cut from Debian's mricron-data by
 * tools/testdata/make_colin27.py. The numbers below are what nibabel printed for the same files.
 */
import * as assert from 'node:assert/strict';
import { checkSameGrid, readImage, readLabelMap } from '../../../src/engine/io';
import type { Volume } from '../../../src/engine/volume';
import { dataPath } from './fixtures';

const SLICE = 'ch2bet_z68';
const LABELS = 'aal4_z68';
const NX = 181;

/** (i, j) → [T1 value, class] as printed by nibabel. */
const SLICE_FACTS: [number, number, number, number][] = [
  [90, 108, 29, 0],
  [60, 150, 81, 1],
  [120, 60, 117, 1],
  [45, 100, 114, 0],
  [0, 0, 0, 0],
];
/** The first voxel (in x-fastest order) of each class. */
const FIRST_OF_CLASS: [number, number][] = [
  [0, 0],
  [77, 20],
  [57, 108],
  [87, 60],
];
const CLASS_COUNTS = [24083, 13079, 1562, 553];

function sum(volume: Volume): number {
  let total = 0;
  for (const value of volume.data) total += value;
  return total;
}

describe('Colin27 slice z = 68 (mricron-data, cut with nibabel)', () => {
  it('NIfTI: 181×217 uint8, 1 mm, nibabel’s affine and voxel values', async () => {
    const image = await readImage(dataPath('colin27', `${SLICE}.nii.gz`));
    assert.deepEqual(image.dims, [181, 217]);
    assert.deepEqual(image.spacing, [1, 1]);
    assert.ok(image.data instanceof Uint8Array);
    assert.deepEqual(image.affine, [
      [1, 0, 0, -90],
      [0, 1, 0, -125],
      [0, 0, 1, -3],
      [0, 0, 0, 1],
    ]);
    for (const [i, j, value] of SLICE_FACTS) assert.equal(image.data[i + NX * j], value, `voxel (${i}, ${j})`);
    assert.equal(sum(image), 1771616);
  });

  it('PNG and DICOM copies hold the same voxels in the same order', async () => {
    const nifti = await readImage(dataPath('colin27', `${SLICE}.nii.gz`));
    for (const file of [`${SLICE}.png`, `${SLICE}.dcm`]) {
      const image = await readImage(dataPath('colin27', file));
      assert.deepEqual(image.dims, [181, 217], file);
      assert.deepEqual(image.spacing, [1, 1], file);
      assert.equal(image.channels, 1, file);
      assert.ok(image.data instanceof Uint8Array, file);
      assert.deepEqual(image.data, nifti.data, file);
    }
  });

  it('the 4-class label map is the same in NIfTI, grey PNG and palette PNG, on the image grid', async () => {
    const image = await readImage(dataPath('colin27', `${SLICE}.nii.gz`));
    for (const file of [`${LABELS}.nii.gz`, `${LABELS}.png`, `${LABELS}_palette.png`]) {
      const labels = await readLabelMap(dataPath('colin27', file));
      checkSameGrid(image, SLICE, labels, file);
      assert.equal(labels.channels, 1);
      const counts = [0, 0, 0, 0];
      for (const value of labels.data) counts[value]++;
      assert.deepEqual(counts, CLASS_COUNTS, `${file}: voxels per class`);
      assert.deepEqual([...new Set(labels.data)].sort(), [0, 1, 2, 3]);
      for (const [i, j, , label] of SLICE_FACTS) assert.equal(labels.data[i + NX * j], label, `${file} (${i}, ${j})`);
      FIRST_OF_CLASS.forEach(([i, j], label) =>
        assert.equal(labels.data.indexOf(label), i + NX * j, `${file}: first voxel of class ${label}`),
      );
    }
  });
});

describe('Colin27 3D crop 40×48×10', () => {
  it('reads dims, spacing, nibabel’s affine and voxel values', async () => {
    const crop = await readImage(dataPath('colin27', 'ch2bet_crop40x48x10.nii.gz'));
    assert.deepEqual(crop.dims, [40, 48, 10]);
    assert.deepEqual(crop.spacing, [1, 1, 1]);
    assert.deepEqual(crop.affine, [
      [1, 0, 0, -20],
      [0, 1, 0, -41],
      [0, 0, 1, 14],
      [0, 0, 0, 1],
    ]);
    const at = (i: number, j: number, k: number) => crop.data[i + 40 * (j + 48 * k)];
    assert.equal(at(0, 0, 0), 66);
    assert.equal(at(20, 24, 5), 33);
    assert.equal(at(39, 47, 9), 111);
    assert.equal(at(10, 30, 2), 99);
    assert.equal(sum(crop), 1427784);
  });
});
