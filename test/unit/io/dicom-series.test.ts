/**
 * A folder of DICOM files read as one volume. The series were written by pydicom from the real
 * Colin27 crop (tools/testdata/make_dicom_series.py: random file names, shuffled Instance
 * Numbers, mixed transfer syntaxes, a double-oblique orientation); nibabel wrote the same grid as
 * NIfTI, which is the reference for the voxels and the affine.
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSameGrid, readImage, readLabelMap } from '../../../src/engine/io';
import { peekImage } from '../../../src/engine/io/peek';
import { assertAffineClose, dataPath, rejectsInput, scratchDir } from './fixtures';

const series = (name: string) => dataPath('dicom-series', name);

describe('readImage on a folder: a DICOM series as one volume', () => {
  const scratch = scratchDir();
  after(() => scratch.cleanup());

  it('sorts the slices by position (not name or Instance Number) into the NIfTI’s voxels and affine', async () => {
    const reference = await readImage(series('reference.nii.gz'));
    const volume = await readImage(series('oblique'));
    assert.deepEqual(volume.dims, [40, 48, 10]);
    assert.equal(volume.channels, 1);
    assert.equal(volume.data.constructor.name, 'Uint8Array');
    assert.deepEqual(volume.data, reference.data);
    assert.deepEqual(volume.sampleType, reference.sampleType);
    assertAffineClose(volume.affine, reference.affine, 1e-5);
    assert.deepEqual(
      volume.spacing.map((s) => +s.toFixed(6)),
      [1.25, 1.5, 2.5],
    );
  });

  it('reports each file read, so a long read can show progress', async () => {
    const reports: string[] = [];
    await readImage(series('oblique'), { onProgress: (done, total) => reports.push(`${done}/${total}`) });
    assert.deepEqual(
      reports,
      Array.from({ length: 10 }, (_, k) => `${k + 1}/10`),
    );
  });

  it('applies Rescale Slope/Intercept: int16 + 1024 with intercept −1024 reads as the NIfTI’s values', async () => {
    const reference = await readImage(series('reference.nii.gz'));
    const volume = await readImage(series('rescaled'));
    assert.equal(volume.data.constructor.name, 'Float32Array');
    assert.deepEqual(Array.from(volume.data), Array.from(reference.data));
    assert.deepEqual(volume.sampleType, {
      name: 'int16',
      min: -33792,
      max: 31743,
      integer: false,
      scaling: { slope: 1, intercept: -1024 },
    });
    assertAffineClose(volume.affine, reference.affine, 1e-5);
  });

  for (const name of ['oblique', 'rescaled']) {
    it(`peeks the ${name} series' size from the headers alone, as the reader returns it`, async () => {
      const peek = await peekImage(series(name));
      const volume = await readImage(series(name));
      assert.deepEqual(peek.dims, volume.dims);
      assert.deepEqual(peek.spacing, volume.spacing);
      assert.equal(peek.channels, 1);
      assert.equal(peek.bytesPerVoxel, volume.data.BYTES_PER_ELEMENT);
    });
  }

  it('a NIfTI mask on the same grid pairs with the series (the affine check applies)', async () => {
    const volume = await readImage(series('oblique'));
    const mask = await readLabelMap(series('reference_mask.nii.gz'));
    checkSameGrid(volume, series('oblique'), mask, series('reference_mask.nii.gz'));
    // The same mask shifted by a voxel is refused: the check really compares the series' affine.
    const shifted = {
      ...mask,
      affine: mask.affine.map((row, r) => row.map((v, c) => (c === 3 && r === 0 ? v + 1 : v))),
    };
    assert.throws(
      () => checkSameGrid(volume, series('oblique'), shifted, series('reference_mask.nii.gz')),
      /the origin is .*shifted by \(1, 0, 0\) mm/,
    );
  });

  const refusals: [string, RegExp][] = [
    ['gap', /uneven slice spacing: \S+ → \S+ is 5 mm, the typical step 2\.5 mm \(a missing slice\?\)/],
    ['duplicate', /\S+ and \S+ are at the same position .* duplicate slices/],
    ['two-series', /holds 2 DICOM series .*series 1 "colin27 crop": 10 file\(s\).*series 2 "localizer": 3 file\(s\)/],
    [
      'tilted',
      /not stacked along their normal \(a tilted stack, e.g\. CT gantry tilt\): \S+ is offset [\d.]+ mm in-plane/,
    ],
  ];
  for (const [name, pattern] of refusals) {
    it(`refuses the ${name} series with a message naming the folder and files`, async () => {
      await rejectsInput(readImage(series(name)), series(name), pattern);
      await rejectsInput(peekImage(series(name)), series(name), pattern);
    });
  }

  it('refuses a folder without DICOM images, pointing at its subfolders', async () => {
    const folder = scratch.path('study');
    mkdirSync(join(folder, 'series1'), { recursive: true });
    scratch.write('study/notes.txt', new TextEncoder().encode('not an image'));
    await rejectsInput(readImage(folder), folder, /holds no DICOM image files; it has 1 subfolder\(s\)/);
  });

  it('refuses a file that is a symbolic link out of the series folder', async () => {
    const folder = scratch.path('linked');
    mkdirSync(folder);
    const files = readdirSync(series('oblique'));
    for (const name of files.slice(1)) copyFileSync(join(series('oblique'), name), join(folder, name));
    symlinkSync(join(series('oblique'), files[0]), join(folder, files[0]));
    await rejectsInput(readImage(folder), folder, /is a symbolic link to .* outside the series folder/);
  });

  it('reads a header longer than the 64 KiB it looks at first (a large private element)', async () => {
    const folder = scratch.path('long-header');
    cpSync(series('oblique'), folder, { recursive: true });
    // An Explicit VR Little Endian slice gets a 70 000-byte private OB element (0007,1000) where
    // its data set starts, after the File Meta group (whose length is at byte 140).
    const explicitLE = new TextEncoder().encode('1.2.840.10008.1.2.1\0');
    const name = readdirSync(folder).find((file) => {
      const bytes = readFileSync(join(folder, file));
      return bytes.subarray(0, 400).indexOf(explicitLE) > 0;
    })!;
    const bytes = readFileSync(join(folder, name));
    const start = 144 + bytes.readUInt32LE(140);
    const element = Buffer.alloc(12 + 70_000);
    element.set([0x07, 0x00, 0x00, 0x10, 0x4f, 0x42, 0x00, 0x00]);
    element.writeUInt32LE(70_000, 8);
    writeFileSync(join(folder, name), Buffer.concat([bytes.subarray(0, start), element, bytes.subarray(start)]));
    const reference = await readImage(series('reference.nii.gz'));
    assert.deepEqual((await peekImage(folder)).dims, [40, 48, 10]);
    assert.deepEqual((await readImage(folder)).data, reference.data);
  });

  it('refuses a series larger than maxBytes before reading its pixels', async () => {
    await rejectsInput(
      readImage(series('oblique'), { maxBytes: 1000 }),
      series('oblique'),
      /40×48×10×1 voxels needs 19200 bytes .* more than the limit/,
    );
  });

  it('a "frame" other than 0 is refused: the folder is one volume whose files are slices', async () => {
    await rejectsInput(
      peekImage(series('oblique'), 2),
      series('oblique'),
      /frame 2 requested, but a DICOM series folder/,
    );
    await rejectsInput(
      readImage(series('oblique'), { frame: 2 }),
      series('oblique'),
      /frame 2 requested, but a DICOM series folder is one volume of 10 slices \(its files are slices, not frames\); remove the input's "frame"/,
    );
  });

  it('a glob of a series’ files reads as the folder does, also across folders (**) and without extensions', async () => {
    const reference = await readImage(series('reference.nii.gz'));
    const folder = scratch.path('study');
    // The oblique series split over two subfolders, with a non-DICOM file the glob also matches.
    mkdirSync(join(folder, 'a'), { recursive: true });
    mkdirSync(join(folder, 'b', 'deeper'), { recursive: true });
    readdirSync(series('oblique')).forEach((name, i) =>
      copyFileSync(join(series('oblique'), name), join(folder, i % 2 ? 'a' : 'b/deeper', name)),
    );
    scratch.write('study/a/notes.txt', new TextEncoder().encode('not an image'));
    for (const pattern of [join(series('oblique'), '*'), join(folder, '**', '*')]) {
      const volume = await readImage(pattern);
      assert.deepEqual(volume.data, reference.data, pattern);
      assertAffineClose(volume.affine, reference.affine, 1e-5);
      assert.deepEqual((await peekImage(pattern)).dims, [40, 48, 10]);
    }
  });

  it('a glob matching several series lists them; one matching no DICOM says so', async () => {
    const twoSeries = join(series('two-series'), '*');
    await rejectsInput(
      readImage(twoSeries),
      twoSeries,
      /matches files of 2 DICOM series \(Series Instance UID\): .*series 1 "colin27 crop": 10 file\(s\).*series 2 "localizer": 3 file\(s\).*Give a glob that matches the files of one series/,
    );
    const none = dataPath('nifti', '*.nii*');
    await rejectsInput(
      readImage(none),
      none,
      /a glob is read as one DICOM series, but it matches \d+ file\(s\), none a DICOM image/,
    );
    const nothing = join(series('oblique'), 'IM*');
    await rejectsInput(readImage(nothing), nothing, /a glob is read as one DICOM series, but it matches no files/);
  });

  it('a one-file folder reads as that file', async () => {
    const folder = scratch.path('single');
    mkdirSync(folder);
    const name = readdirSync(series('oblique'))[0];
    copyFileSync(join(series('oblique'), name), join(folder, name));
    const volume = await readImage(folder);
    assert.deepEqual(volume, await readImage(join(folder, name)));
  });
});

describe('readImage on an enhanced multi-frame DICOM: its frames as one volume', () => {
  it('sorts the frames by their Plane Position into the NIfTI’s voxels and affine, shared rescale applied', async () => {
    const reference = await readImage(series('reference.nii.gz'));
    const volume = await readImage(series('enhanced.dcm'));
    assert.deepEqual(volume.dims, [40, 48, 10]);
    assert.equal(volume.data.constructor.name, 'Float32Array');
    assert.deepEqual(Array.from(volume.data), Array.from(reference.data));
    assertAffineClose(volume.affine, reference.affine, 1e-5);
    assert.deepEqual((await peekImage(series('enhanced.dcm'))).dims, [40, 48, 10]);
  });

  it('"frame" still picks one frame, as stored', async () => {
    const reference = await readImage(series('reference.nii.gz'));
    const frame = await readImage(series('enhanced.dcm'), { frame: 0 });
    assert.deepEqual(frame.dims, [40, 48]);
    // The generator stored the slices shuffled: frame 0 is one of the reference's slices.
    const plane = 40 * 48;
    const slices = Array.from({ length: 10 }, (_, k) =>
      Array.from(reference.data.subarray(k * plane, (k + 1) * plane)),
    );
    assert.ok(slices.some((slice) => JSON.stringify(slice) === JSON.stringify(Array.from(frame.data))));
  });

  it('frames at one position (a time series) are frames, not a volume: one must be chosen', async () => {
    const file = series('enhanced_cine.dcm');
    await rejectsInput(
      readImage(file),
      file,
      /holds 3 frames and no frame was chosen; give the input a "frame" \(0…2\)/,
    );
    assert.deepEqual((await readImage(file, { frame: 2 })).dims, [40, 48]);
  });
});
