/**
 * Compressed DICOM: series folders made from the real Colin27 crop's uncompressed series by
 * Debian's GDCM and DCMTK (tools/testdata/make_dicom_compressed.py), decoded by the codecs
 * (src/engine/io/dicom-codecs.ts) and compared with the same grid as NIfTI (nibabel wrote it):
 * identical voxels for the lossless syntaxes, bounded differences for the lossy ones, the same
 * affine, and the same sample type as the uncompressed series they were made from.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { readImage } from '../../../src/engine/io';
import { peekImage } from '../../../src/engine/io/peek';
import type { Volume } from '../../../src/engine/volume';
import { assertAffineClose, dataPath, rejectsInput, scratchDir } from './fixtures';

const compressed = (name: string) => dataPath('dicom-compressed', name);
const reference = () => readImage(dataPath('dicom-series', 'reference.nii.gz'));

const firstFile = (folder: string) => join(folder, readdirSync(folder).sort()[0]);

/** The largest and the mean absolute voxel difference. */
function differences(volume: Volume, expected: Volume): { max: number; mean: number } {
  assert.equal(volume.data.length, expected.data.length);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const difference = Math.abs(volume.data[i] - expected.data[i]);
    max = Math.max(max, difference);
    sum += difference;
  }
  return { max, mean: sum / expected.data.length };
}

describe('readImage on compressed DICOM series (GDCM/DCMTK-compressed Colin27 crop)', () => {
  // [folder, syntax, what it was made from: the uncompressed series whose sample type it keeps]
  const lossless: [string, string, 'rescaled' | 'signed12'][] = [
    ['jpeg-lossless-sv1', 'JPEG Lossless SV1 (.70), 12 bits signed', 'signed12'],
    ['jpeg-lossless-p14', 'JPEG Lossless process 14 (.57), selection value 6', 'rescaled'],
    ['jpeg-ls', 'JPEG-LS lossless (.80), 12 bits signed', 'signed12'],
    ['j2k', 'JPEG 2000 lossless (.90)', 'rescaled'],
    ['j2k-fragments', 'JPEG 2000 lossless (.90), each frame in several fragments', 'signed12'],
    ['rle', 'RLE Lossless (.5), 12 bits signed', 'signed12'],
  ];
  for (const [folder, syntax, source] of lossless) {
    it(`${syntax}: the NIfTI’s voxels exactly, and its affine`, async () => {
      const expected = await reference();
      const volume = await readImage(compressed(folder));
      assert.deepEqual(volume.dims, [40, 48, 10]);
      assert.equal(volume.data.constructor.name, 'Float32Array'); // rescaled, as uncompressed
      assert.deepEqual(differences(volume, expected), { max: 0, mean: 0 });
      assertAffineClose(volume.affine, expected.affine, 1e-5);
      assert.deepEqual(
        volume.spacing.map((s) => +s.toFixed(6)),
        [1.25, 1.5, 2.5],
      );
      if (source === 'rescaled') {
        // The same stored type and rescale the uncompressed series reads with.
        assert.deepEqual(volume.sampleType, (await readImage(dataPath('dicom-series', 'rescaled'))).sampleType);
      } else {
        // 12 bits stored, signed (values below 0 before the +128 intercept): sign-extended as uncompressed data is.
        assert.equal(volume.sampleType?.name, folder === 'j2k-fragments' ? 'int16' : 'int12');
        assert.equal(volume.sampleType?.scaling?.intercept, 128);
      }
    });
  }

  for (const folder of ['rle-8bit', 'jpeg-ls-8bit']) {
    it(`${folder}: the NIfTI’s uint8 voxels exactly`, async () => {
      const volume = await readImage(compressed(folder));
      assert.equal(volume.data.constructor.name, 'Uint8Array');
      assert.deepEqual(volume.data, (await reference()).data);
      assert.deepEqual(volume.sampleType, (await reference()).sampleType);
    });
  }

  // Measured: baseline JPEG max 11 / mean 1.29, JPEG 2000 max 15 / mean 2.13 (a decoder that
  // misplaced rows or bytes would differ by tens on average).
  const lossy: [string, string, number, number][] = [
    ['jpeg-baseline', 'JPEG Baseline (.50), quality 90', 16, 2],
    ['j2k-lossy', 'JPEG 2000 (.91), irreversible', 24, 3],
  ];
  for (const [folder, syntax, maxBound, meanBound] of lossy) {
    it(`${syntax}: close to the NIfTI’s voxels (lossy), its affine`, async () => {
      const expected = await reference();
      const volume = await readImage(compressed(folder));
      assert.equal(volume.data.constructor.name, 'Uint8Array');
      const { max, mean } = differences(volume, expected);
      assert.ok(max <= maxBound && mean <= meanBound, `max ${max}, mean ${mean}`);
      assert.ok(mean > 0, 'lossy: not identical');
      assertAffineClose(volume.affine, expected.affine, 1e-5);
    });
  }

  it('JPEG-LS near-lossless (.81) with allowed error 2: no voxel differs by more than 2', async () => {
    const { max, mean } = differences(await readImage(compressed('jpeg-ls-near')), await reference());
    assert.equal(max, 2);
    assert.ok(mean > 0);
  });

  it('an enhanced multi-frame JPEG-LS file (one fragment per frame, no offset table) reads as a volume', async () => {
    const file = compressed('enhanced-jpeg-ls.dcm');
    const expected = await reference();
    const volume = await readImage(file);
    assert.deepEqual(differences(volume, expected), { max: 0, mean: 0 });
    assertAffineClose(volume.affine, expected.affine, 1e-5);
    // "frame" still picks one stored frame: the same frame the uncompressed file holds.
    const frame = await readImage(file, { frame: 3 });
    const uncompressed = await readImage(dataPath('dicom-series', 'enhanced.dcm'), { frame: 3 });
    assert.deepEqual(frame.data, uncompressed.data);
  });

  it('peeks a compressed series’ size from its headers, as the reader returns it', async () => {
    const peek = await peekImage(compressed('jpeg-ls'));
    const volume = await readImage(compressed('jpeg-ls'));
    assert.deepEqual(peek.dims, volume.dims);
    assert.equal(peek.bytesPerVoxel, volume.data.BYTES_PER_ELEMENT);
  });

  it('a single RLE file written by pydicom’s encoder (another encoder than GDCM’s) reads as its ramp', async () => {
    // tools/testdata/make_dicom.py: 4 rows × 5 columns, uint16 ((column + 10·row)·1000 + 7) mod 2^16.
    const volume = await readImage(dataPath('dicom', 'rle_compressed.dcm'));
    assert.deepEqual(volume.dims, [5, 4]);
    const ramp = Array.from({ length: 20 }, (_, i) => (((i % 5) + 10 * Math.floor(i / 5)) * 1000 + 7) % 65536);
    assert.deepEqual(Array.from(volume.data), ramp);
  });
});

describe('compressed DICOM that cannot be read', () => {
  const scratch = scratchDir();
  after(() => scratch.cleanup());

  /** The first file of a fixture folder with its first fragment cut to half its length (the item length fixed). */
  function truncatedFragment(folder: string): string {
    const file = firstFile(compressed(folder));
    const bytes = readFileSync(file);
    const pixelData = dicomParser.parseDicom(bytes).elements.x7fe00010;
    const fragment = pixelData.fragments![0];
    const keep = Math.floor(fragment.length / 2) & ~1;
    const cut = Buffer.concat([
      bytes.subarray(0, fragment.position + keep),
      bytes.subarray(fragment.position + fragment.length),
    ]);
    cut.writeUInt32LE(keep, fragment.position - 4);
    return scratch.write(`${folder}-truncated.dcm`, cut);
  }

  const syntaxes: [string, RegExp][] = [
    ['jpeg-baseline', /JPEG Baseline \(1\.2\.840\.10008\.1\.2\.4\.50\)/],
    ['jpeg-lossless-sv1', /JPEG Lossless SV1 \(1\.2\.840\.10008\.1\.2\.4\.70\)/],
    ['jpeg-lossless-p14', /JPEG Lossless \(1\.2\.840\.10008\.1\.2\.4\.57\)/],
    ['jpeg-ls', /JPEG-LS Lossless \(1\.2\.840\.10008\.1\.2\.4\.80\)/],
    ['j2k', /JPEG 2000 Lossless \(1\.2\.840\.10008\.1\.2\.4\.90\)/],
    ['rle', /RLE Lossless \(1\.2\.840\.10008\.1\.2\.5\)/],
  ];
  for (const [folder, syntax] of syntaxes) {
    it(`a truncated ${folder} fragment: the file and the syntax named, and the codec still works after`, async () => {
      const file = truncatedFragment(folder);
      const exitCode = process.exitCode;
      const pattern = new RegExp(
        `the ${syntax.source} pixel data of frame 0 could not be decoded, the file is damaged or truncated \\(.+\\)`,
      );
      await rejectsInput(readImage(file), file, pattern);
      assert.equal(process.exitCode, exitCode, 'a failed decode leaves the process exit code alone');
      assert.deepEqual((await readImage(compressed(folder))).dims, [40, 48, 10]);
    });
  }

  it('a file cut inside its pixel data names its transfer syntax', async () => {
    const file = firstFile(compressed('jpeg-ls'));
    const bytes = readFileSync(file);
    const cut = scratch.write('cut.dcm', bytes.subarray(0, bytes.length - 200));
    await rejectsInput(
      readImage(cut),
      cut,
      /unreadable DICOM, the file is damaged or truncated \(.+\); transfer syntax 1\.2\.840\.10008\.1\.2\.4\.80 \(JPEG-LS Lossless\)/,
    );
  });

  it('a compressed syntax without a decoder is refused by name (JPEG Extended, .51)', async () => {
    const bytes = Buffer.from(readFileSync(firstFile(compressed('jpeg-baseline'))));
    const at = bytes.indexOf('1.2.840.10008.1.2.4.50');
    bytes.write('1.2.840.10008.1.2.4.51', at);
    const file = scratch.write('extended.dcm', bytes);
    await rejectsInput(
      readImage(file),
      file,
      /unsupported transfer syntax 1\.2\.840\.10008\.1\.2\.4\.51 \(JPEG Extended\); uncompressed, JPEG \(baseline, lossless\), JPEG-LS, JPEG 2000 and RLE DICOM are read — decompress it first, e\.g\. with gdcmconv --raw/,
    );
  });
});
