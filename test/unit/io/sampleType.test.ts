/**
 * The readers record the type each file stores its samples in (Volume.sampleType), which the
 * intensity transforms' clamp "dtype-range" clips to, and the record survives the steps that
 * turn the data into floats (rescaling on reading, interpolating spatial transforms, slicing).
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readImage } from '../../../src/engine/io';
import { loadInput } from '../../../src/engine/sweep/run/loadInput';
import { getTransform } from '../../../src/engine/transforms/registry';
import { createRandom } from '../../../src/engine/random';
import { dataPath, scratchDir } from './fixtures';

const u8 = { name: 'uint8', min: 0, max: 255, integer: true };

describe('Volume.sampleType from the readers', () => {
  const scratch = scratchDir();
  after(() => scratch.cleanup());

  it('NIfTI: the datatype; scl_slope/scl_inter move the range and make the values non-integer; floats have none', async () => {
    assert.deepEqual((await readImage(dataPath('nifti', 'uint8_sform_over_qform.nii.gz'))).sampleType, u8);
    assert.deepEqual((await readImage(dataPath('nifti', 'int8_2d.nii'))).sampleType, {
      name: 'int8',
      min: -128,
      max: 127,
      integer: true,
    });
    assert.deepEqual((await readImage(dataPath('nifti', 'uint16_4d.nii.gz'), { frame: 1 })).sampleType, {
      name: 'uint16',
      min: 0,
      max: 65535,
      integer: true,
    });
    // int16 with scl_slope 0.5, scl_inter −10.
    assert.deepEqual((await readImage(dataPath('nifti', 'int16_be_scaled_qform.nii'))).sampleType, {
      name: 'int16',
      min: -32768 * 0.5 - 10,
      max: 32767 * 0.5 - 10,
      integer: false,
      scaling: { slope: 0.5, intercept: -10 },
    });
    assert.equal((await readImage(dataPath('nifti', 'float32_nifti2.nii'))).sampleType, undefined);
  });

  it('PNG: the bit depth (8, 16, and 1 for a bilevel file); palette colours are 8-bit', async () => {
    assert.deepEqual((await readImage(dataPath('png', 'grey8.png'))).sampleType, u8);
    assert.deepEqual((await readImage(dataPath('png', 'grey16.png'))).sampleType, {
      name: 'uint16',
      min: 0,
      max: 65535,
      integer: true,
    });
    assert.deepEqual((await readImage(dataPath('png', 'grey1.png'))).sampleType, {
      name: 'uint1',
      min: 0,
      max: 1,
      integer: true,
    });
    assert.deepEqual((await readImage(dataPath('png', 'palette.png'))).sampleType, u8);
  });

  it('DICOM: Bits Stored and Pixel Representation, moved by Rescale Slope/Intercept', async () => {
    assert.deepEqual((await readImage(dataPath('dicom', 'explicit_le_uint8.dcm'))).sampleType, u8);
    // slope 2, intercept −1024 on signed 16-bit samples.
    assert.deepEqual((await readImage(dataPath('dicom', 'explicit_be_int16_rescale.dcm'))).sampleType, {
      name: 'int16',
      min: -32768 * 2 - 1024,
      max: 32767 * 2 - 1024,
      integer: false,
      scaling: { slope: 2, intercept: -1024 },
    });
    const bytes = new Uint8Array(readFileSync(dataPath('dicom', 'implicit_le_uint16.dcm')));
    const tag = [0x28, 0x00, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00]; // Bits Stored (0028,0101), implicit VR
    const at = bytes.findIndex((_, i) => tag.every((byte, k) => bytes[i + k] === byte));
    new DataView(bytes.buffer).setUint16(at + 8, 12, true);
    const volume = await readImage(scratch.write('bits12.dcm', bytes));
    assert.deepEqual(volume.sampleType, { name: 'uint12', min: 0, max: 4095, integer: true });
  });
});

describe('dtype-range after the data became floats', () => {
  it('an 8-bit PNG rotated with linear interpolation is float32 but brightness still clips to 255', async () => {
    const image = await readImage(dataPath('png', 'grey8.png'));
    const ctx = { random: createRandom(1) };
    const rotated = getTransform('rotate').apply({ image }, 10, { interpolation: 'linear', fill: 'min' }, ctx).image;
    assert.ok(rotated.data instanceof Float32Array);
    assert.deepEqual(rotated.sampleType, u8);
    const bright = getTransform('brightness').apply({ image: rotated }, 8, {}, ctx).image;
    const max = Math.max(...bright.data);
    assert.equal(max, 255);
    assert.ok(
      bright.data.every((v) => Number.isInteger(v)),
      'cast to uint8',
    );
    assert.ok(
      Math.max(...getTransform('brightness').apply({ image: rotated }, 8, { clamp: 'none' }, ctx).image.data) > 255,
    );
  });

  it("a slice of a scaled NIfTI volume keeps the file's sample type", async () => {
    const path = dataPath('nifti', 'int16_be_scaled_qform.nii');
    const volume = await readImage(path);
    if (volume.dims.length !== 3) return assert.fail('fixture is expected to be 3D');
    const [slice] = await loadInput({ image: path, slices: [0] }, 0, 2);
    assert.deepEqual(slice.image.sampleType, volume.sampleType);
  });
});
