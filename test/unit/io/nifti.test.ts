import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { readImage } from '../../../src/engine/io';
import { assertAllClose } from '../../helpers/goldens';
import { assertAffineClose, dataPath, expectedFiles, rejectsInput, scratchDir } from './fixtures';

interface NibabelFacts {
  shape: number[];
  dtype: string;
  endianness: string;
  zooms: number[];
  affine: number[][];
  data: number[];
}

const nibabel = expectedFiles<NibabelFacts>('nifti');

/** The bytes of a test file with `edit` applied to a DataView over them (header offsets from nifti1.h). */
function patched(name: string, edit: (view: DataView, bytes: Uint8Array) => void): Uint8Array {
  const raw = readFileSync(dataPath('nifti', name));
  const bytes = new Uint8Array(name.endsWith('.gz') ? gunzipSync(raw) : raw);
  edit(new DataView(bytes.buffer), bytes);
  return bytes;
}

describe('readImage on NIfTI written by nibabel', () => {
  const cases: [string, string, number | undefined][] = [
    ['int16_be_scaled_qform.nii', 'int16_be_scaled_qform.nii', undefined],
    ['uint8_sform_over_qform.nii.gz', 'uint8_sform_over_qform.nii.gz', undefined],
    ['float32_nifti2.nii', 'float32_nifti2.nii', undefined],
    ['float64_be_nifti2.nii.gz', 'float64_be_nifti2.nii.gz', undefined],
    ['uint16_4d.nii.gz', 'uint16_4d.nii.gz#frame0', 0],
    ['uint16_4d.nii.gz', 'uint16_4d.nii.gz#frame2', 2],
    ['labels_float32.nii.gz', 'labels_float32.nii.gz', undefined],
    ['int8_2d.nii', 'int8_2d.nii', undefined],
  ];
  for (const [file, key, frame] of cases) {
    it(`reads ${key} as nibabel does (values, dims, spacing, affine)`, async () => {
      const facts = nibabel[key];
      const volume = await readImage(dataPath('nifti', file), { frame });
      const spatial = facts.shape.slice(0, 3);
      assert.deepEqual(volume.dims, spatial[2] === 1 ? spatial.slice(0, 2) : spatial);
      assert.equal(volume.channels, 1);
      assertAllClose(volume.spacing, facts.zooms.slice(0, volume.dims.length), { rtol: 1e-6, label: 'spacing' });
      assertAffineClose(volume.affine, facts.affine);
      assertAllClose(volume.data, facts.data, { rtol: 1e-6, atol: 1e-9, label: 'voxels' });
    });
  }

  it('keeps the stored integer type when there is no scaling and gives floats when there is', async () => {
    assert.ok((await readImage(dataPath('nifti', 'uint16_4d.nii.gz'), { frame: 1 })).data instanceof Uint16Array);
    assert.ok((await readImage(dataPath('nifti', 'int8_2d.nii'))).data instanceof Int8Array);
    assert.ok((await readImage(dataPath('nifti', 'uint8_sform_over_qform.nii.gz'))).data instanceof Uint8Array);
    assert.ok((await readImage(dataPath('nifti', 'float64_be_nifti2.nii.gz'))).data instanceof Float64Array);
    // int16 with scl_slope 0.5, scl_inter −10 (big-endian): scaled into float32.
    assert.ok((await readImage(dataPath('nifti', 'int16_be_scaled_qform.nii'))).data instanceof Float32Array);
  });

  it('converts spacing and affine from metres to millimetres (xyzt_units), nibabel values × 1000', async () => {
    const facts = nibabel['int32_metres.nii'];
    const volume = await readImage(dataPath('nifti', 'int32_metres.nii'));
    assert.ok(volume.data instanceof Int32Array);
    assertAllClose(
      volume.spacing,
      facts.zooms.map((z) => z * 1000),
      { rtol: 1e-6 },
    );
    const inMm = facts.affine.map((row, r) => (r < 3 ? row.map((v) => v * 1000) : row));
    assertAffineClose(volume.affine, inMm, 1e-3);
    assertAllClose(volume.data, facts.data, { rtol: 0, atol: 0 });
  });
});

describe('readImage on unusual but valid NIfTI', () => {
  const scratch = scratchDir();
  after(() => scratch.cleanup());

  it('reads data right after the header when vox_offset is 0 (as in mricron-data templates)', async () => {
    const bytes = patched('int8_2d.nii', (view) => view.setFloat32(108, 0, true));
    const volume = await readImage(scratch.write('offset0.nii', bytes));
    assertAllClose(volume.data, nibabel['int8_2d.nii'].data, { rtol: 0, atol: 0 });
  });

  it('treats scl_slope 0 as "no scaling"', async () => {
    const bytes = patched('int16_be_scaled_qform.nii', (view) => view.setFloat32(112, 0, false));
    const volume = await readImage(scratch.write('slope0.nii', bytes));
    assert.ok(volume.data instanceof Int16Array);
    assert.deepEqual(Array.from(volume.data.slice(0, 3)), [0, 1, 2]);
  });

  it('reads a .nii.gz that is not actually compressed, and a gzipped .nii', async () => {
    const plain = readFileSync(dataPath('nifti', 'int8_2d.nii'));
    const expected = nibabel['int8_2d.nii'].data;
    assertAllClose((await readImage(scratch.write('plain.nii.gz', plain))).data, expected, { rtol: 0, atol: 0 });
    assertAllClose((await readImage(scratch.write('packed.nii', gzipSync(plain)))).data, expected, {
      rtol: 0,
      atol: 0,
    });
  });

  it('uses the pixdim diagonal when neither sform nor qform is set', async () => {
    const bytes = patched('int16_be_scaled_qform.nii', (view) => view.setInt16(252, 0, false));
    const volume = await readImage(scratch.write('noxform.nii', bytes));
    assert.deepEqual(volume.affine, [
      [0.5, 0, 0, 0],
      [0, 0.75, 0, 0],
      [0, 0, 2, 0],
      [0, 0, 0, 1],
    ]);
  });
});

describe('readImage refuses bad NIfTI files with the file and the problem', () => {
  const scratch = scratchDir();
  after(() => scratch.cleanup());

  it('truncated data (header fine, voxels missing)', async () => {
    const whole = readFileSync(dataPath('nifti', 'int16_be_scaled_qform.nii'));
    const path = scratch.write('truncated.nii', whole.subarray(0, whole.length - 10));
    await rejectsInput(
      readImage(path),
      path,
      /truncated or inconsistent NIfTI: the header declares 5×4×3 int16 voxels = 120 bytes from byte 352, but the file holds only 110 bytes/,
    );
  });

  it('a header that declares more voxels than the data holds', async () => {
    const bytes = patched('int16_be_scaled_qform.nii', (view) => view.setInt16(46, 30, false)); // dim[3]
    const path = scratch.write('mismatch.nii', bytes);
    await rejectsInput(readImage(path), path, /declares 5×4×30 int16 voxels = 1200 bytes .* only 120 bytes/);
  });

  it('a truncated 4D series even when the requested frame is complete', async () => {
    const whole = gunzipSync(readFileSync(dataPath('nifti', 'uint16_4d.nii.gz')));
    const path = scratch.write('short4d.nii', whole.subarray(0, whole.length - 2));
    await rejectsInput(readImage(path, { frame: 0 }), path, /4×3×2×3 uint16/);
  });

  it('corrupt and truncated gzip', async () => {
    const packed = readFileSync(dataPath('nifti', 'uint16_4d.nii.gz'));
    const damaged = new Uint8Array(packed);
    for (let i = 20; i < 40; i++) damaged[i] ^= 0x5a;
    const path = scratch.write('damaged.nii.gz', damaged);
    await rejectsInput(readImage(path), path, /corrupt gzip data/);
    const cut = scratch.write('cut.nii.gz', packed.subarray(0, packed.length >> 1));
    await rejectsInput(readImage(cut), cut, /corrupt gzip data \(unexpected end of file\)/);
  });

  it('unsupported datatypes, named', async () => {
    const complex = scratch.write(
      'complex.nii',
      patched('int8_2d.nii', (view) => {
        view.setInt16(70, 32, true);
        view.setInt16(72, 64, true);
      }),
    );
    await rejectsInput(readImage(complex), complex, /unsupported NIfTI datatype 32 \(complex64\)$/);
    const rgb = scratch.write(
      'rgb.nii',
      patched('int8_2d.nii', (view) => {
        view.setInt16(70, 128, true);
        view.setInt16(72, 24, true);
      }),
    );
    await rejectsInput(readImage(rgb), rgb, /unsupported NIfTI datatype 128 \(RGB24\)$/);
    const bogus = scratch.write(
      'bogus.nii',
      patched('int8_2d.nii', (view) => view.setInt16(70, 3, true)),
    );
    await rejectsInput(readImage(bogus), bogus, /unsupported NIfTI datatype 3 \(not a NIfTI datatype\)/);
  });

  it('bitpix that contradicts the datatype', async () => {
    const path = scratch.write(
      'bitpix.nii',
      patched('int8_2d.nii', (view) => view.setInt16(72, 16, true)),
    );
    await rejectsInput(readImage(path), path, /bitpix 16 does not match datatype int8 \(8 bits\)/);
  });

  it('zero, negative and impossible dims', async () => {
    const zero = scratch.write(
      'zero.nii',
      patched('int8_2d.nii', (view) => view.setInt16(44, 0, true)),
    );
    await rejectsInput(readImage(zero), zero, /dim\[2\] = 0 \(dims 4, 0, 1\); every dimension must be at least 1/);
    const negative = scratch.write(
      'negative.nii',
      patched('int8_2d.nii', (view) => view.setInt16(42, -4, true)),
    );
    await rejectsInput(readImage(negative), negative, /dim\[1\] = -4/);
    const rank = scratch.write(
      'rank.nii',
      patched('int8_2d.nii', (view) => view.setInt16(40, 0, true)),
    );
    await rejectsInput(readImage(rank), rank, /dim\[0\] = 0 is not a dimension count/);
  });

  it('absurd voxel counts, before allocating anything, and a configurable limit', async () => {
    const huge = scratch.write(
      'huge.nii',
      patched('int16_be_scaled_qform.nii', (view) => {
        [32767, 32767, 32767].forEach((n, i) => view.setInt16(42 + 2 * i, n, false));
      }),
    );
    await rejectsInput(
      readImage(huge),
      huge,
      /32767×32767×32767 voxels needs 70362301923326 bytes \(63\.99 TiB\), more than the limit of 2147483648 bytes \(2\.00 GiB\)/,
    );
    const path = dataPath('nifti', 'uint16_4d.nii.gz');
    await rejectsInput(
      readImage(path, { maxBytes: 100 }),
      path,
      /4×3×2×3 voxels needs 144 bytes, more than the limit of 100 bytes/,
    );
  });

  it('a frame the file does not have', async () => {
    const path = dataPath('nifti', 'uint16_4d.nii.gz');
    await rejectsInput(readImage(path, { frame: 3 }), path, /frame 3 requested but the file holds frames 0…2/);
    const single = dataPath('nifti', 'int8_2d.nii');
    await rejectsInput(readImage(single, { frame: 1 }), single, /holds only frame 0/);
  });

  it('files that are not NIfTI, or .hdr/.img pairs', async () => {
    const text = scratch.write('text.nii', new TextEncoder().encode('hello, this is not an image'.repeat(20)));
    await rejectsInput(readImage(text), text, /not a NIfTI file: the header size field is/);
    const short = scratch.write('short.nii', new Uint8Array(100));
    await rejectsInput(readImage(short), short, /too short for a NIfTI header \(100 bytes/);
    const pair = scratch.write(
      'pair.nii',
      patched('int8_2d.nii', (_view, bytes) => bytes.set([0x6e, 0x69, 0x31, 0], 344)),
    );
    await rejectsInput(readImage(pair), pair, /\.hdr\/\.img pair/);
  });
});
