import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { formatOfPath, readImage, readLabelMap } from '../../../src/engine/io';
import { dataPath, rejectsInput, scratchDir } from './fixtures';

describe('readImage dispatch', () => {
  const scratch = scratchDir();
  after(() => scratch.cleanup());

  it('chooses the reader by extension, case-insensitively', () => {
    assert.equal(formatOfPath('a/b.NII.GZ'), 'nifti');
    assert.equal(formatOfPath('b.nii'), 'nifti');
    assert.equal(formatOfPath('c.Png'), 'png');
    assert.equal(formatOfPath('d.dcm'), 'dicom');
    assert.equal(formatOfPath('IM0001'), undefined);
  });

  it('reads DICOM without an extension, or with a numeric one, by content', async () => {
    const numbered = scratch.path('IM.0001');
    copyFileSync(dataPath('dicom', 'IM0001'), numbered);
    assert.deepEqual((await readImage(numbered)).dims, [5, 4]);
  });

  it('says "file not found" for a missing file', async () => {
    const path = scratch.path('nothing-here.nii.gz');
    await rejectsInput(readImage(path), path, /: file not found$/);
    await rejectsInput(readLabelMap(path), path, /: file not found$/);
  });

  it('refuses directories, unknown formats and .hdr/.img pairs clearly', async () => {
    // A folder is read as a DICOM series (dicom-series.test.ts); one without DICOM files says so.
    await rejectsInput(
      readImage(dataPath('png')),
      dataPath('png'),
      /a folder is read as a DICOM series, but it holds no DICOM image files$/,
    );
    const folder = scratch.path('folder.nii');
    mkdirSync(folder);
    await rejectsInput(readImage(folder), folder, /: is a directory, not a file$/);
    const jpeg = scratch.write('photo.jpg', new Uint8Array([0xff, 0xd8, 0xff]));
    await rejectsInput(
      readImage(jpeg),
      jpeg,
      /unsupported image format: "\.jpg" files are not read \(supported: \.nii, \.nii\.gz, \.png, \.dcm/,
    );
    const noExtension = scratch.write('notes', new TextEncoder().encode('plain text'));
    await rejectsInput(readImage(noExtension), noExtension, /a file without extension is not read/);
    const hdr = scratch.path('brain.hdr');
    await rejectsInput(readImage(hdr), hdr, /\.hdr\/\.img pairs are not read; convert to \.nii/);
  });
});
