import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { MisasInputError } from '../../../src/engine/errors';
import { readImage } from '../../../src/engine/io';
import { peekImage, type ImagePeek } from '../../../src/engine/io/peek';
import { SOURCES, tempTree, type TempTree } from './fixtures';

const REPO = join(import.meta.dirname, '..', '..', '..');
const IMAGE_FOLDERS = [
  'test/data/colin27',
  'test/data/nifti',
  'test/data/png',
  'test/data/dicom',
  'examples/colin27/data',
];

function imageFiles(): string[] {
  return IMAGE_FOLDERS.flatMap((folder) =>
    readdirSync(join(REPO, folder))
      .filter((name) => !name.endsWith('.json') && !name.endsWith('.md'))
      .map((name) => join(REPO, folder, name)),
  );
}

/** The value, or the message of the MisasInputError it was refused with. */
async function outcome<T>(promise: Promise<T>): Promise<T | { error: string }> {
  try {
    return await promise;
  } catch (thrown) {
    assert.ok(thrown instanceof MisasInputError, `expected MisasInputError, got ${String(thrown)}`);
    return { error: thrown.message };
  }
}

async function rejects(promise: Promise<unknown>, file: string, pattern: RegExp): Promise<void> {
  const result = await outcome(promise);
  assert.ok(result && typeof result === 'object' && 'error' in result, `expected ${file} to be refused`);
  const message = String(result.error);
  assert.ok(message.startsWith(`${file}: `), `message names the file: ${message}`);
  assert.match(message, pattern);
}

describe('peekImage (image size from the header)', () => {
  let tree: TempTree;
  before(() => (tree = tempTree()));
  after(() => tree.cleanup());

  it('agrees with the full readers on every bundled image (or refuses the same files)', async () => {
    const files = imageFiles();
    assert.ok(files.length >= 40, `found ${files.length} files`);
    for (const file of files) {
      const full = await outcome(
        readImage(file).then((v): ImagePeek => ({
          dims: v.dims,
          spacing: v.spacing,
          channels: v.channels,
          bytesPerVoxel: v.data.BYTES_PER_ELEMENT,
        })),
      );
      assert.deepEqual(await outcome(peekImage(file)), full, file);
    }
  });

  it('reads only the head of a .nii.gz: a file cut after its header still gives the size', async () => {
    const bytes = readFileSync(SOURCES.volume);
    const cut = tree.write('cut.nii.gz', bytes.subarray(0, Math.floor(bytes.length / 2)));
    await rejects(readImage(cut), cut, /corrupt gzip data|truncated/);
    assert.deepEqual(await peekImage(cut), { dims: [40, 48, 10], spacing: [1, 1, 1], channels: 1, bytesPerVoxel: 1 });
  });

  it('reads a NIfTI header that declares a huge volume without touching its data', async () => {
    // The Colin27 crop's real header patched to 2000×2000×2000 int16: 16 GB of voxels that are not there.
    const nifti = gunzipSync(readFileSync(SOURCES.volume));
    [2000, 2000, 2000].forEach((n, axis) => nifti.writeInt16LE(n, 42 + 2 * axis));
    nifti.writeInt16LE(4, 70); // datatype int16
    nifti.writeInt16LE(16, 72); // bitpix
    const file = tree.write('huge.nii.gz', gzipSync(nifti));
    assert.deepEqual(await peekImage(file), {
      dims: [2000, 2000, 2000],
      spacing: [1, 1, 1],
      channels: 1,
      bytesPerVoxel: 2,
    });
  });

  it('refuses damaged, truncated and missing files, naming them', async () => {
    const nii = gunzipSync(readFileSync(SOURCES.image));
    const png = readFileSync(SOURCES.png);
    const cases: [string, Uint8Array, RegExp][] = [
      ['short.nii', nii.subarray(0, 200), /too short for a NIfTI header/],
      ['data-cut.nii', nii.subarray(0, nii.length - 10), /truncated or inconsistent NIfTI: .* but the file holds only/],
      [
        'head-cut.nii.gz',
        gzipSync(nii).subarray(0, 40),
        /corrupt gzip data .*damaged or truncated|too short for a NIfTI header/,
      ],
      ['png-as.nii', png, /not a NIfTI file/],
      ['cut.png', png.subarray(0, 20), /corrupt PNG: .*truncated/],
      ['no-data.png', png.subarray(0, 33), /corrupt PNG: the file ends before the image data/],
      ['text.png', Buffer.from('not a png at all'), /not a PNG file/],
      ['cut.dcm', readFileSync(SOURCES.dicom).subarray(0, 600), /DICOM/],
    ];
    for (const [name, bytes, pattern] of cases)
      await rejects(peekImage(tree.write(name, bytes)), tree.path(name), pattern);
    for (const name of ['nothing.nii.gz', 'nothing.nii', 'nothing.png', 'nothing.dcm']) {
      await rejects(peekImage(tree.path(name)), tree.path(name), /: file not found$/);
    }
  });
});
