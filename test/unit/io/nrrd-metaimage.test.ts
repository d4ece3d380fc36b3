/**
 * NRRD and MetaImage: the real Colin27 crop and slice written by ITK (plastimatch) and teem
 * (teem-unu) from NIfTI files nibabel wrote (tools/testdata/make_nrrd_metaimage.py). Every file
 * must read to the NIfTI's voxels and voxel-to-world affine, exactly.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, symlinkSync, mkdirSync } from 'node:fs';
import { checkSameGrid, readImage, readLabelMap } from '../../../src/engine/io';
import { peekImage } from '../../../src/engine/io/peek';
import type { Volume } from '../../../src/engine/volume';
import { dataPath, rejectsInput, scratchDir } from './fixtures';

const data = (name: string) => dataPath('nrrd-metaimage', name);
const text = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

/** file → what the generator made it with (the array type the reader must return). */
const OBLIQUE_COPIES: [string, string, new (n: number) => Volume['data']][] = [
  ['crop_oblique.nrrd', 'ITK, gzip, LPS, uint8', Uint8Array],
  ['crop_oblique_int16_big_raw.nrrd', 'teem, raw, big-endian int16', Int16Array],
  ['crop_oblique_float.nhdr', 'teem, detached raw float32', Float32Array],
  ['crop_oblique_gzip.nhdr', 'teem, detached gzip uint8', Uint8Array],
  ['crop_oblique_ras_text.nrrd', 'teem from nibabel’s affine, RAS space, text', Uint8Array],
  ['crop_oblique.mha', 'ITK, attached raw uint8', Uint8Array],
  ['crop_oblique_int16.mhd', 'ITK, .raw int16', Int16Array],
  ['crop_oblique_int16_msb.mhd', 'ITK’s, byte-swapped, BinaryDataByteOrderMSB', Int16Array],
  ['crop_oblique_float_zlib.mhd', 'ITK’s, zlib .zraw float32', Float32Array],
];

describe('NRRD and MetaImage (Colin27 written by ITK and teem)', () => {
  const scratch = scratchDir();
  after(() => scratch.cleanup());
  let reference: Volume;
  before(async () => {
    reference = await readImage(data('crop_oblique.nii.gz'));
  });

  it('the reference NIfTI: 40×48×10, oblique, mirrored, 1.25×1.25×2.5 mm', () => {
    assert.deepEqual(reference.dims, [40, 48, 10]);
    assert.deepEqual(reference.spacing, [1.25, 1.25, 2.5]);
    assert.deepEqual(reference.affine, [
      [-0.75, -1, 0, 12.5],
      [-1, 0.75, 0, -30.25],
      [0, 0, 2.5, 7.75],
      [0, 0, 0, 1],
    ]);
  });

  for (const [file, how, ArrayType] of OBLIQUE_COPIES) {
    it(`${file} (${how}) reads to the NIfTI's voxels, affine and spacing`, async () => {
      const image = await readImage(data(file));
      assert.ok(image.data instanceof ArrayType, `array type ${image.data.constructor.name}`);
      assert.deepEqual(image.dims, reference.dims);
      assert.deepEqual(image.spacing, reference.spacing);
      assert.deepEqual(image.affine, reference.affine);
      assert.equal(image.channels, 1);
      assert.deepEqual(Array.from(image.data), Array.from(reference.data));
      const peek = await peekImage(data(file));
      assert.deepEqual(peek, {
        dims: reference.dims,
        spacing: reference.spacing,
        channels: 1,
        bytesPerVoxel: ArrayType === Uint8Array ? 1 : ArrayType === Int16Array ? 2 : 4,
      });
    });
  }

  it('the sample type is the file’s: int16 bounds an int16 file', async () => {
    const image = await readImage(data('crop_oblique_int16_big_raw.nrrd'));
    assert.deepEqual(image.sampleType, { name: 'int16', min: -32768, max: 32767, integer: true });
  });

  it('a header with spacings and no space gives them on the diagonal, as a NIfTI without sform or qform', async () => {
    const image = await readImage(data('crop_spacings.nrrd'));
    assert.deepEqual(Array.from(image.data), Array.from(reference.data));
    assert.deepEqual(image.spacing, [1.25, 1.25, 2.5]);
    assert.deepEqual(image.affine, [
      [1.25, 0, 0, 0],
      [0, 1.25, 0, 0],
      [0, 0, 2.5, 0],
      [0, 0, 0, 1],
    ]);
  });

  it('a single slice (ITK writes 181×217×1) is 2D, with the NIfTI slice’s voxels and affine', async () => {
    const nifti = await readImage(dataPath('colin27', 'ch2bet_z68.nii.gz'));
    for (const file of ['slice_z68.nrrd', 'slice_z68.mha']) {
      const image = await readImage(data(file));
      assert.deepEqual(image.dims, [181, 217], file);
      assert.deepEqual(image.spacing, [1, 1], file);
      assert.deepEqual(image.affine, nifti.affine, file);
      assert.deepEqual(Array.from(image.data), Array.from(nifti.data), file);
      assert.deepEqual((await peekImage(data(file))).dims, [181, 217], file);
    }
  });

  it('a NIfTI mask fits an NRRD or MetaImage image on the same grid; a shifted one is refused', async () => {
    const mask = await readLabelMap(data('crop_oblique_mask.nii.gz'));
    for (const file of ['crop_oblique.nrrd', 'crop_oblique.mha']) {
      checkSameGrid(await readImage(data(file)), data(file), mask, data('crop_oblique_mask.nii.gz'));
    }
    const nrrdMask = await readLabelMap(data('crop_oblique_mask.nrrd'));
    assert.deepEqual(Array.from(nrrdMask.data), Array.from(mask.data));
    checkSameGrid(reference, data('crop_oblique.nii.gz'), nrrdMask, data('crop_oblique_mask.nrrd'));
    const shifted = {
      ...nrrdMask,
      affine: nrrdMask.affine.map((row, r) => (r === 0 ? [...row.slice(0, 3), row[3] + 2] : row)),
    };
    assert.throws(
      () => checkSameGrid(reference, data('crop_oblique.nii.gz'), shifted, data('crop_oblique_mask.nrrd')),
      /the origin is \(14\.5, -30\.25, 7\.75\) mm in the mask and \(12\.5, -30\.25, 7\.75\) mm in the image/,
    );
  });

  describe('hand-written headers (what the format allows beyond the fixtures)', () => {
    it('a 2D MetaImage (NDims = 2) in LPS: both in-plane axes flip to RAS', async () => {
      const header =
        'NDims = 2\nDimSize = 3 2\nElementType = MET_UCHAR\nElementSpacing = 0.5 2\nOffset = 10 20\nElementDataFile = LOCAL\n';
      const file = scratch.write('flat.mha', concat(text(header), new Uint8Array([1, 2, 3, 4, 5, 6])));
      const image = await readImage(file);
      assert.deepEqual(image.dims, [3, 2]);
      assert.deepEqual(image.spacing, [0.5, 2]);
      assert.deepEqual(image.affine, [
        [-0.5, 0, 0, -10],
        [0, -2, 0, -20],
        [0, 0, 1, 0],
        [0, 0, 0, 1],
      ]);
      assert.deepEqual(Array.from(image.data), [1, 2, 3, 4, 5, 6]);
    });

    it('NRRD in left-anterior-superior: only x flips; int64 voxels are narrowed exactly; byte skip', async () => {
      const header =
        'NRRD0005\ntype: int64\ndimension: 2\nsizes: 2 2\nspace: left-anterior-superior\n' +
        'space directions: (2,0,0) (0,3,0)\nspace origin: (1,2,3)\nendian: little\nencoding: raw\nbyte skip: 4\n\n';
      const values = new BigInt64Array([-5n, 7n, 2n ** 40n, 0n]);
      const file = scratch.write('wide.nrrd', concat(text(header), new Uint8Array(4), new Uint8Array(values.buffer)));
      const image = await readImage(file);
      assert.deepEqual(Array.from(image.data), [-5, 7, 2 ** 40, 0]);
      assert.deepEqual(image.affine, [
        [-2, 0, 0, -1],
        [0, 3, 0, 2],
        [0, 0, 1, 3],
        [0, 0, 0, 1],
      ]);
      assert.equal(image.sampleType?.name, 'int64');
    });

    it('the peek reads a header, however long, without the voxels after it; a header without end is refused', async () => {
      const header = (comments: number) =>
        `NRRD0004\n${'# a comment line of some length\n'.repeat(comments)}type: uchar\ndimension: 2\nsizes: 300 300\nencoding: raw\n\n`;
      const voxels = new Uint8Array(300 * 300);
      for (const comments of [0, 4000]) {
        const file = scratch.write(`long${comments}.nrrd`, concat(text(header(comments)), voxels));
        assert.deepEqual((await peekImage(file)).dims, [300, 300], `${comments} comment lines`);
        const cut = scratch.write(`cut${comments}.nrrd`, concat(text(header(comments)), voxels.subarray(1)));
        await rejectsInput(peekImage(cut), cut, /the data holds only 89999 bytes/);
      }
      const endless = scratch.write('endless.nrrd', text(`NRRD0004\n${'# no end\n'.repeat(150_000)}`));
      await rejectsInput(peekImage(endless), endless, /the NRRD header does not end within its first 1 MiB/);
      const mha = scratch.write(
        'long.mha',
        concat(text('NDims = 2\nDimSize = 300 300\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n'), voxels),
      );
      assert.deepEqual((await peekImage(mha)).dims, [300, 300]);
    });

    it('a "-time" space with one time point: its fourth coordinate and unit are not spatial', async () => {
      const header =
        'NRRD0004\ntype: uchar\ndimension: 3\nsizes: 2 1 1\nspace: right-anterior-superior-time\n' +
        'space directions: (1,0,0,0) (0,1,0,0) none\nkinds: domain domain time\nspace units: "mm" "mm" "mm" "s"\nencoding: raw\n\n';
      const image = await readImage(scratch.write('time.nrrd', concat(text(header), new Uint8Array([4, 5]))));
      assert.deepEqual(image.dims, [2, 1]);
      assert.deepEqual(image.affine[0], [1, 0, 0, 0]);
    });

    it('space units in metres are converted to mm', async () => {
      const header =
        'NRRD0004\ntype: uchar\ndimension: 2\nsizes: 1 1\nspace: RAS\nspace directions: (0.001,0,0) (0,0.002,0)\n' +
        'space units: "m" "m" "m"\nspace origin: (0.01,0,0)\nencoding: raw\n\n';
      const image = await readImage(scratch.write('metres.nrrd', concat(text(header), new Uint8Array([9]))));
      assert.deepEqual(image.spacing, [1, 2]);
      assert.deepEqual(image.affine[0], [1, 0, 0, 10]);
    });

    it('a size-1 vector axis is dropped; two components are refused, naming the axis', async () => {
      const header = (n: number) =>
        `NRRD0004\ntype: uchar\ndimension: 3\nsizes: ${n} 2 2\nkinds: vector domain domain\nspacings: nan 1 1\nencoding: raw\n\n`;
      const one = scratch.write('one.nrrd', concat(text(header(1)), new Uint8Array(4)));
      assert.deepEqual((await readImage(one)).dims, [2, 2]);
      const two = scratch.write('two.nrrd', concat(text(header(2)), new Uint8Array(8)));
      await rejectsInput(
        readImage(two),
        two,
        /NRRD axis 0 \(kind vector\) holds 2 values per voxel; misas reads one value per voxel/,
      );
      await rejectsInput(peekImage(two), two, /holds 2 values per voxel/);
      const rgb = scratch.write(
        'rgb.mha',
        concat(
          text(
            'NDims = 2\nDimSize = 1 1\nElementNumberOfChannels = 3\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n',
          ),
          new Uint8Array(3),
        ),
      );
      await rejectsInput(readImage(rgb), rgb, /MetaImage with 3 values per voxel .*misas reads one value per voxel/);
    });
  });

  describe('broken files: a message naming the file and the problem', () => {
    const original = readFileSync(data('crop_oblique_int16_big_raw.nrrd'));

    it('truncated raw data (the peek says so before reading)', async () => {
      const file = scratch.write('cut.nrrd', original.subarray(0, original.length - 100));
      const pattern =
        /truncated or inconsistent NRRD: the header declares 40×48×10 int16 voxels = 38400 bytes .*, but the data holds only 38300 bytes/;
      await rejectsInput(peekImage(file), file, pattern);
      await rejectsInput(readImage(file), file, pattern);
    });

    it('a missing detached data file is named, on the header', async () => {
      const header = readFileSync(data('crop_oblique_float.nhdr'));
      const file = scratch.write('alone.nhdr', header);
      const pattern = /its data file .*crop_oblique_float\.raw: file not found/;
      await rejectsInput(peekImage(file), file, pattern);
      await rejectsInput(readImage(file), file, pattern);
      const mhd = scratch.write('alone.mhd', readFileSync(data('crop_oblique_int16.mhd')));
      await rejectsInput(readImage(mhd), mhd, /its data file .*crop_oblique_int16\.raw: file not found/);
    });

    it('a data file outside the header’s folder, as written or through a link, is refused', async () => {
      const header = readFileSync(data('crop_oblique_float.nhdr'), 'latin1');
      const file = scratch.write(
        'up.nhdr',
        text(header.replace('data file: crop_oblique_float.raw', 'data file: ../secret.raw')),
      );
      await rejectsInput(readImage(file), file, /its data file "\.\.\/secret\.raw" lies outside the header's folder/);
      await rejectsInput(peekImage(file), file, /lies outside the header's folder/);
      mkdirSync(scratch.path('inner'));
      symlinkSync(data('crop_oblique_float.raw'), scratch.path('inner/linked.raw'));
      const linked = scratch.write('inner/linked.nhdr', text(header.replace('crop_oblique_float.raw', 'linked.raw')));
      await rejectsInput(
        readImage(linked),
        linked,
        /is or passes through a symbolic link to .*, outside the header's folder/,
      );
    });

    it('bad header fields, unknown encodings and types', async () => {
      const cases: [string, string, RegExp][] = [
        [
          'sizes.nrrd',
          'NRRD0004\ntype: uchar\ndimension: 3\nsizes: 4 4\nencoding: raw\n\n',
          /invalid NRRD header: sizes: "4 4" is not 3 integer\(s\) ≥ 1/,
        ],
        [
          'bzip.nrrd',
          'NRRD0004\ntype: uchar\ndimension: 2\nsizes: 4 4\nencoding: bzip2\n\n',
          /unsupported NRRD encoding "bzip2" \(read: raw, gzip, text\)/,
        ],
        [
          'block.nrrd',
          'NRRD0004\ntype: block\ndimension: 2\nsizes: 4 4\nencoding: raw\n\n',
          /unsupported NRRD type "block"/,
        ],
        [
          'endian.nrrd',
          'NRRD0004\ntype: short\ndimension: 2\nsizes: 4 4\nencoding: raw\n\n',
          /the field "endian" is missing/,
        ],
        [
          'scanner.nrrd',
          'NRRD0004\ntype: uchar\ndimension: 2\nsizes: 1 1\nspace: scanner-xyz\nspace directions: (1,0,0) (0,1,0)\nencoding: raw\n\n',
          /NRRD space "scanner-xyz" has no anatomical axes, so which side is the patient's left cannot be told/,
        ],
        ['magic.nrrd', 'NRRD9\n', /not a NRRD file/],
        [
          'type.mha',
          'NDims = 3\nDimSize = 1 1 1\nElementType = MET_FLOAT16\nElementDataFile = LOCAL\n',
          /unsupported MetaImage ElementType "MET_FLOAT16"/,
        ],
        [
          'ndims.mha',
          'NDims = 4\nDimSize = 1 1 1 1\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n',
          /MetaImage of NDims = 4; misas reads 2D and 3D images/,
        ],
        [
          'nodata.mha',
          'NDims = 2\nDimSize = 1 1\nElementType = MET_UCHAR\n',
          /invalid MetaImage header: no ElementDataFile line/,
        ],
        [
          'list.mhd',
          'NDims = 2\nDimSize = 1 1\nElementType = MET_UCHAR\nElementDataFile = LIST\n',
          /spreads the voxels over several files/,
        ],
      ];
      for (const [name, header, pattern] of cases) {
        const file = scratch.write(name, text(header));
        await rejectsInput(readImage(file), file, pattern);
        await rejectsInput(peekImage(file), file, pattern);
      }
    });

    it('text data that does not fit the declared type, or is not a number', async () => {
      const header = 'NRRD0004\ntype: uchar\ndimension: 2\nsizes: 2 1\nencoding: text\n\n';
      const big = scratch.write('big.nrrd', text(`${header}7 300\n`));
      await rejectsInput(readImage(big), big, /text data: value 1 \(300\) does not fit the type uint8/);
      const word = scratch.write('word.nrrd', text(`${header}7 seven\n`));
      await rejectsInput(readImage(word), word, /text data: value 1 \("seven"\) is not a number/);
      const short = scratch.write('short.nrrd', text(`${header}7\n`));
      await rejectsInput(readImage(short), short, /declares 2×1 = 2 values, but the text data holds 1/);
    });

    it('corrupt compressed data', async () => {
      const gz = readFileSync(data('crop_oblique.nrrd'));
      const file = scratch.write('corrupt.nrrd', gz.subarray(0, gz.length - 3000));
      await rejectsInput(readImage(file), file, /corrupt compressed \(zlib\/gzip\) data .*damaged or truncated/);
    });

    it('an empty file, and a .raw given instead of its header', async () => {
      const empty = scratch.write('empty.mha', new Uint8Array(0));
      await rejectsInput(readImage(empty), empty, /the file is empty \(0 bytes\)/);
      await rejectsInput(peekImage(empty), empty, /the file is empty \(0 bytes\)/);
      const raw = data('crop_oblique_int16.raw');
      await rejectsInput(
        readImage(raw),
        raw,
        /if this is the data file of a \.nhdr or \.mhd header, give the header instead/,
      );
    });
  });
});
