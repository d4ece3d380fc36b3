import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkSameGrid, readImage, readLabelMap, writeNifti } from '../../../src/engine/io';
import { MisasInputError } from '../../../src/engine/errors';
import { identityAffine, type Volume } from '../../../src/engine/volume';
import { dataPath, expectedFiles, rejectsInput, scratchDir } from './fixtures';

const nibabel = expectedFiles<{ data: number[] }>('nifti');

function volume(data: Volume['data'], dims: number[], channels = 1): Volume {
  return { data, dims, spacing: dims.map(() => 1), affine: identityAffine(), channels };
}

describe('readLabelMap', () => {
  const scratch = scratchDir();
  after(() => scratch.cleanup());

  it('turns float labels with integral values (as nibabel wrote them) into an integer array', async () => {
    const labels = await readLabelMap(dataPath('nifti', 'labels_float32.nii.gz'));
    assert.ok(labels.data instanceof Uint8Array, labels.data.constructor.name);
    assert.deepEqual(Array.from(labels.data), nibabel['labels_float32.nii.gz'].data);
    assert.deepEqual(labels.dims, [5, 4, 2]);
  });

  it('picks an integer type wide enough for the values, and keeps integer data as it is', async () => {
    const path = scratch.path('wide.nii');
    await writeNifti(path, volume(Float64Array.from([0, 2, 300, 7]), [2, 2]));
    const labels = await readLabelMap(path);
    assert.ok(labels.data instanceof Uint16Array, labels.data.constructor.name);
    assert.deepEqual(Array.from(labels.data), [0, 2, 300, 7]);
    // int8 data with a negative value is not a label map.
    const int8 = dataPath('nifti', 'int8_2d.nii');
    await rejectsInput(readLabelMap(int8), int8, /voxel \(3, 1\) has the negative value -13/);
  });

  it('keeps labels integers when scl_slope/scl_inter give integral values, and refuses them otherwise', async () => {
    // int16 raw values r = x + 10y + 100z with slope 0.5, inter −10: r = 1 gives −9.5.
    const path = dataPath('nifti', 'int16_be_scaled_qform.nii');
    await rejectsInput(readLabelMap(path), path, /voxel \(1, 0, 0\) has the value -9\.5/);
    // The same file with slope 2, inter 1 (big-endian header floats): 2r + 1, all integral.
    const bytes = new Uint8Array(readFileSync(path));
    new DataView(bytes.buffer).setFloat32(112, 2, false);
    new DataView(bytes.buffer).setFloat32(116, 1, false);
    const labels = await readLabelMap(scratch.write('integral-scaling.nii', bytes));
    assert.ok(labels.data instanceof Uint16Array, labels.data.constructor.name);
    assert.deepEqual(Array.from(labels.data.slice(0, 3)), [1, 3, 5]);
    assert.equal(labels.data[4 + 5 * (3 + 4 * 2)], 2 * (4 + 30 + 200) + 1);
  });

  it('names the file and an offending voxel for non-integer labels', async () => {
    const path = scratch.path('soft.nii.gz');
    await writeNifti(path, volume(Float32Array.from([0, 1, 2, 1, 0, 0.25, 1, 1]), [2, 2, 2]));
    await rejectsInput(
      readLabelMap(path),
      path,
      /a label map must hold integer class numbers, but voxel \(1, 0, 1\) has the value 0\.25$/,
    );
    const nan = scratch.path('nan.nii');
    await writeNifti(nan, volume(Float32Array.from([0, 1, NaN, 1]), [2, 2]));
    await rejectsInput(readLabelMap(nan), nan, /voxel \(0, 1\) has the value NaN/);
  });

  it('accepts an RGB mask whose channels are equal and refuses a coloured one', async () => {
    const grey = await readLabelMap(dataPath('png', 'rgb_grey_labels.png'));
    assert.equal(grey.channels, 1);
    assert.deepEqual(
      Array.from(grey.data),
      expectedFiles<{ data: number[] }>('png')['rgb_grey_labels.png'].data.slice(0, 24),
    );
    const path = dataPath('png', 'rgb.png');
    await rejectsInput(
      readLabelMap(path),
      path,
      /3 channels that differ, e\.g\. at \(0, 0\): \(0, 50, 200\); save the mask as a grey or palette PNG/,
    );
  });

  it('still expands a palette PNG read as an image', async () => {
    assert.equal((await readImage(dataPath('png', 'palette.png'))).channels, 3);
    assert.equal((await readLabelMap(dataPath('png', 'palette.png'))).channels, 1);
  });
});

describe('checkSameGrid', () => {
  it('passes for equal dims and names both files otherwise', () => {
    const image = volume(new Uint8Array(12), [4, 3]);
    checkSameGrid(image, 'img.png', volume(new Uint8Array(12), [4, 3]), 'mask.png');
    assert.throws(
      () => checkSameGrid(image, 'scans/img.nii.gz', volume(new Uint8Array(12), [3, 4]), 'masks/mask.nii.gz'),
      (thrown: unknown) => {
        assert.ok(thrown instanceof MisasInputError);
        assert.equal(thrown.file, 'masks/mask.nii.gz');
        assert.equal(
          thrown.message,
          'masks/mask.nii.gz: the mask is 3×4 voxels but its image scans/img.nii.gz is 4×3; a mask must have the same dims as its image',
        );
        return true;
      },
    );
    assert.throws(
      () => checkSameGrid(volume(new Uint8Array(24), [4, 3, 2]), 'a.nii', image, 'b.png'),
      /b\.png: the mask is 4×3 voxels but its image a\.nii is 4×3×2/,
    );
  });

  it('refuses a PNG paired with a NIfTI or DICOM file of the same dims: a PNG has no geometry to check', () => {
    const image = volume(new Uint8Array(12), [4, 3]);
    assert.throws(
      () => checkSameGrid(image, 'img.png', volume(new Uint8Array(12), [4, 3]), 'seg.nii.gz'),
      /seg\.nii\.gz: the mask is a NIfTI file and its image img\.png a PNG file; a PNG has no voxel-to-world geometry/,
    );
    assert.throws(
      () => checkSameGrid(image, 'img.dcm', volume(new Uint8Array(12), [4, 3]), 'seg.PNG'),
      /seg\.PNG: the mask is a PNG file and its image img\.dcm a DICOM file; .*PNG column x, row y counted from the top, is voxel \(x, y\)/,
    );
    // NIfTI with DICOM: both have a geometry (not compared across formats), so no refusal here.
    checkSameGrid(image, 'img.dcm', volume(new Uint8Array(12), [4, 3]), 'seg.nii');
  });

  it("compares a single slice's in-plane axes and origin, not its thickness or normal", () => {
    const slice = (affine: number[][]) => ({ ...volume(new Uint8Array(12), [4, 3]), affine });
    const withColumns = (i: number[], j: number[], k: number[], origin: number[]) =>
      [0, 1, 2].map((r) => [i[r], j[r], k[r], origin[r]]).concat([[0, 0, 0, 1]]);
    const nifti = slice(withColumns([-0.9, 0, 0], [0, 0.9, 0], [0, 0, 3], [90, -120, 12]));
    // A 2D NRRD of the same slice says 1 mm along the normal, or the normal reversed: the same voxels.
    checkSameGrid(
      nifti,
      'slice.nii.gz',
      slice(withColumns([-0.9, 0, 0], [0, 0.9, 0], [0, 0, 1], [90, -120, 12])),
      'seg.nrrd',
    );
    checkSameGrid(
      nifti,
      'slice.nii.gz',
      slice(withColumns([-0.9, 0, 0], [0, 0.9, 0], [0, 0, -1], [90, -120, 12])),
      'seg.nrrd',
    );
    assert.throws(
      () =>
        checkSameGrid(
          nifti,
          'slice.nii.gz',
          slice(withColumns([0.9, 0, 0], [0, 0.9, 0], [0, 0, 3], [90, -120, 12])),
          'seg.nrrd',
        ),
      /seg\.nrrd: .*voxel axis i points along \(0\.9, 0, 0\) mm in the mask and \(-0\.9, 0, 0\) mm in the image \(mirrored\)/,
    );
    assert.throws(
      () =>
        checkSameGrid(
          nifti,
          'slice.nii.gz',
          slice(withColumns([-0.9, 0, 0], [0, 0.9, 0], [0, 0, 3], [90, -120, 15])),
          'seg.nrrd',
        ),
      /seg\.nrrd: .*the origin is \(90, -120, 15\) mm in the mask and \(90, -120, 12\) mm in the image/,
    );
    // A volume of several slices still compares its third axis.
    const stack = (k: number[]) => ({
      ...volume(new Uint8Array(24), [4, 3, 2]),
      affine: withColumns([1, 0, 0], [0, 1, 0], k, [0, 0, 0]),
    });
    assert.throws(
      () => checkSameGrid(stack([0, 0, 3]), 'a.nii', stack([0, 0, 1]), 'b.nrrd'),
      /b\.nrrd: .*voxel axis k points along/,
    );
  });
});
