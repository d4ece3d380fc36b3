import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { readImage, writeNifti } from '../../../src/engine/io';
import { MisasInputError } from '../../../src/engine/errors';
import type { Affine, Volume, VoxelArrayConstructor } from '../../../src/engine/volume';
import { assertAffineClose, dataPath, rejectsInput, scratchDir } from './fixtures';

const ARRAY_TYPES: VoxelArrayConstructor[] = [
  Uint8Array,
  Int8Array,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
];

/** Values that use each type's range: negatives for signed, fractions for floats. */
function sampleVolume(ArrayType: VoxelArrayConstructor, dims: number[], affine: Affine, spacing: number[]): Volume {
  const count = dims.reduce((a, b) => a * b, 1);
  const signed = ArrayType !== Uint8Array && ArrayType !== Uint16Array && ArrayType !== Uint32Array;
  const data = new ArrayType(count);
  for (let i = 0; i < count; i++) {
    const base = (i * 37) % 120;
    data[i] = ArrayType === Float32Array || ArrayType === Float64Array ? base / 8 - 3.3 : signed ? base - 60 : base;
  }
  return { data, dims, spacing, affine, channels: 1 };
}

/** 25° about z, then an x flip (det < 0, so the qform needs qfac = −1), spacing 0.7/0.9/2.5. */
const ROTATED: Affine = (() => {
  const angle = (25 * Math.PI) / 180;
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  const spacing = [0.7, 0.9, 2.5];
  const rotation = [
    [-c, -s, 0],
    [-s, c, 0],
    [0, 0, 1],
  ];
  return [...rotation.map((row, r) => [...row.map((v, k) => v * spacing[k]), [12.5, -40, 7][r]]), [0, 0, 0, 1]];
})();

describe('writeNifti', () => {
  const scratch = scratchDir();
  after(() => scratch.cleanup());

  for (const ArrayType of ARRAY_TYPES) {
    for (const name of ['volume.nii', 'volume.nii.gz']) {
      it(`round-trips ${ArrayType.name} 3D data, spacing and affine through ${name}`, async () => {
        const volume = sampleVolume(ArrayType, [5, 4, 3], ROTATED, [0.7, 0.9, 2.5]);
        const path = scratch.path(`${ArrayType.name}-${name}`);
        await writeNifti(path, volume);
        const back = await readImage(path);
        assert.equal(back.data.constructor, ArrayType);
        assert.deepEqual(Array.from(back.data), Array.from(volume.data));
        assert.deepEqual(back.dims, [5, 4, 3]);
        assert.deepEqual(
          back.spacing.map((v) => Math.fround(v)),
          volume.spacing.map((v) => Math.fround(v)),
        );
        assertAffineClose(back.affine, ROTATED);
      });
    }
  }

  it('round-trips a 2D image as a 2D volume', async () => {
    const volume = sampleVolume(
      Int16Array,
      [6, 3],
      [
        [0.5, 0, 0, -1],
        [0, 0.25, 0, 2],
        [0, 0, 1, 3],
        [0, 0, 0, 1],
      ],
      [0.5, 0.25],
    );
    const path = scratch.path('plane.nii.gz');
    await writeNifti(path, volume);
    const back = await readImage(path);
    assert.deepEqual(back.dims, [6, 3]);
    assert.deepEqual(back.spacing, [0.5, 0.25]);
    assert.deepEqual(Array.from(back.data), Array.from(volume.data));
    assertAffineClose(back.affine, volume.affine);
  });

  it('writes a qform that describes the same geometry as the sform (incl. qfac = −1)', async () => {
    const path = scratch.path('qform.nii');
    await writeNifti(path, sampleVolume(Uint8Array, [5, 4, 3], ROTATED, [0.7, 0.9, 2.5]));
    const bytes = new Uint8Array(readFileSync(path));
    const view = new DataView(bytes.buffer);
    assert.equal(view.getInt16(252, true), 2, 'qform_code');
    assert.equal(view.getFloat32(76, true), -1, 'pixdim[0] = qfac');
    view.setInt16(254, 0, true); // sform_code 0: the reader must fall back to the qform
    const back = await readImage(scratch.write('qform-only.nii', bytes));
    assertAffineClose(back.affine, ROTATED);
  });

  it('leaves the qform unset for a sheared affine and keeps it in the sform', async () => {
    const sheared: Affine = [
      [1, 0.3, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 2, 0],
      [0, 0, 0, 1],
    ];
    const path = scratch.path('sheared.nii.gz');
    await writeNifti(path, sampleVolume(Float32Array, [3, 3, 2], sheared, [1, 1, 2]));
    assert.equal(new DataView(gunzipSync(readFileSync(path)).buffer).getInt16(252, true), 0, 'qform_code');
    assertAffineClose((await readImage(path)).affine, sheared);
  });

  it('rewrites a file nibabel wrote without changing voxels or geometry', async () => {
    const original = await readImage(dataPath('colin27', 'ch2bet_crop40x48x10.nii.gz'));
    const path = scratch.path('crop-again.nii.gz');
    await writeNifti(path, original);
    const back = await readImage(path);
    assert.deepEqual(back, original);
  });

  it('refuses multi-channel volumes and data that does not match dims', async () => {
    const rgb: Volume = { data: new Uint8Array(12), dims: [2, 2], spacing: [1, 1], affine: ROTATED, channels: 3 };
    const path = scratch.path('rgb.nii');
    await rejectsInput(writeNifti(path, rgb), path, /cannot write 3 channels/);
    const wrong: Volume = {
      data: new Uint8Array(5),
      dims: [2, 2, 2],
      spacing: [1, 1, 1],
      affine: ROTATED,
      channels: 1,
    };
    await rejectsInput(writeNifti(path, wrong), path, /holds 5 values but dims 2×2×2 need 8/);
  });

  it('reports a folder that does not exist as a MisasInputError naming the path', async () => {
    const path = scratch.path('missing-dir/out.nii');
    await assert.rejects(
      writeNifti(path, sampleVolume(Uint8Array, [2, 2, 2], ROTATED, [0.7, 0.9, 2.5])),
      (thrown: unknown) => {
        assert.ok(thrown instanceof MisasInputError);
        assert.match(
          thrown.message,
          /out\.nii: cannot write: a part of the path is not a directory|out\.nii: cannot write: file not found/,
        );
        return true;
      },
    );
  });
});
