import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readImage } from '../../../src/engine/io';
import { identityAffine } from '../../../src/engine/volume';
import { assertAllClose } from '../../helpers/goldens';
import { assertAffineClose, dataPath, expectedFiles, rejectsInput, scratchDir } from './fixtures';

interface PydicomFacts {
  rows: number;
  columns: number;
  samples: number;
  pixel_spacing: [number, number];
  transfer_syntax: string;
  data: number[];
  affine_ras: number[][] | null;
}

const pydicom = expectedFiles<PydicomFacts>('dicom');

describe('readImage on DICOM written by pydicom', () => {
  const scratch = scratchDir();
  after(() => scratch.cleanup());
  const cases: [string, string][] = [
    ['implicit_le_uint16.dcm', 'Uint16Array'],
    ['explicit_le_uint8.dcm', 'Uint8Array'],
    ['explicit_be_int16_rescale.dcm', 'Float32Array'],
    ['explicit_le_int16_fractional_rescale.dcm', 'Float32Array'],
    ['explicit_le_rgb.dcm', 'Uint8Array'],
    ['explicit_le_rgb_planar.dcm', 'Uint8Array'],
  ];
  for (const [name, arrayType] of cases) {
    const facts = pydicom[name];
    it(`reads ${name} (${facts.transfer_syntax}) as pydicom does, rescale applied`, async () => {
      const volume = await readImage(dataPath('dicom', name));
      assert.deepEqual(volume.dims, [facts.columns, facts.rows]);
      assert.equal(volume.channels, facts.samples);
      assert.equal(volume.data.constructor.name, arrayType);
      // Pixel Spacing is (row spacing, column spacing); engine spacing is [x = column, y = row].
      assert.deepEqual(volume.spacing, [facts.pixel_spacing[1], facts.pixel_spacing[0]]);
      assertAllClose(volume.data, facts.data, { rtol: 1e-7, atol: 0 });
      if (facts.affine_ras) assertAffineClose(volume.affine, facts.affine_ras, 1e-5);
      else assert.deepEqual(volume.affine, identityAffine([volume.spacing[0], volume.spacing[1], 1]));
    });
  }

  it('keeps only the Bits Stored low bits (the high bits may hold overlays)', async () => {
    const bytes = new Uint8Array(readFileSync(dataPath('dicom', 'implicit_le_uint16.dcm')));
    // Implicit VR: Bits Stored (0028,0101), length 2, set from 16 to 12.
    const tag = [0x28, 0x00, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00];
    const at = bytes.findIndex((_, i) => tag.every((byte, k) => bytes[i + k] === byte));
    assert.ok(at > 0, 'Bits Stored element found');
    new DataView(bytes.buffer).setUint16(at + 8, 12, true);
    const path = scratch.write('bits12.dcm', bytes);
    const volume = await readImage(path);
    assert.deepEqual(
      Array.from(volume.data),
      pydicom['implicit_le_uint16.dcm'].data.map((value) => value % 4096),
    );
  });

  it('recognises a DICOM file without extension by its DICM marker', async () => {
    const volume = await readImage(dataPath('dicom', 'IM0001'));
    assertAllClose(volume.data, pydicom['implicit_le_uint16.dcm'].data, { rtol: 0, atol: 0 });
    assert.deepEqual(volume.spacing, [0.8, 0.5]);
  });
});

describe('readImage refuses bad DICOM files', () => {
  const scratch = scratchDir();
  after(() => scratch.cleanup());

  it('truncated files (dicom-parser throws plain objects: the text must come through)', async () => {
    const whole = readFileSync(dataPath('colin27', 'ch2bet_z68.dcm'));
    const inHeader = scratch.write('cut-header.dcm', whole.subarray(0, 300));
    const error = await rejectsInput(
      readImage(inHeader),
      inHeader,
      /unreadable DICOM, the file is damaged or truncated \(.+\)/,
    );
    assert.doesNotMatch(error.message, /\{|undefined/);
    const inPixels = scratch.write('cut-pixels.dcm', whole.subarray(0, whole.length - 1000));
    await rejectsInput(readImage(inPixels), inPixels, /truncated|damaged/);
  });

  it('pixel data shorter than Rows × Columns × samples', async () => {
    const bytes = new Uint8Array(readFileSync(dataPath('dicom', 'explicit_le_uint8.dcm')));
    // Rows (0028,0010), VR US, length 2: raise it from 4 to 40.
    const rowsTag = [0x28, 0x00, 0x10, 0x00, 0x55, 0x53, 0x02, 0x00];
    const at = bytes.findIndex((_, i) => rowsTag.every((byte, k) => bytes[i + k] === byte));
    assert.ok(at > 0, 'Rows element found');
    new DataView(bytes.buffer).setUint16(at + 8, 40, true);
    const path = scratch.write('short-pixels.dcm', bytes);
    await rejectsInput(
      readImage(path),
      path,
      /truncated DICOM: 5×40×1 samples of 8 bits × 1 frame\(s\) need 200 bytes of pixel data, the file holds 20 bytes/,
    );
  });

  it('a .dcm without the Part-10 marker', async () => {
    const path = scratch.write('raw.dcm', new Uint8Array(400));
    await rejectsInput(readImage(path), path, /not a DICOM Part-10 file \(no "DICM" marker at byte 128\)/);
  });
});
