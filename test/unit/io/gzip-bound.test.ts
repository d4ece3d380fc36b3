/**
 * A .nii.gz is inflated no further than its header declares (+ 1 MiB): a small gzip that would
 * inflate to far more (a gzip bomb, or a damaged file) is refused early with the file named,
 * instead of being read in full up to the memory limit. Files are made here with the writer.
 */
import * as assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { MisasInputError } from '../../../src/engine/errors';
import { encodeNifti, readNifti } from '../../../src/engine/io';

/** A real 16×16 uint8 NIfTI followed by `extra` zero bytes, gzipped. */
function niftiGz(extra: number): Uint8Array {
  const data = new Uint8Array(256).map((_, i) => i);
  const nii = encodeNifti({
    data,
    dims: [16, 16],
    spacing: [1, 1],
    affine: [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ],
    channels: 1,
  });
  const whole = new Uint8Array(nii.length + extra);
  whole.set(nii);
  return gzipSync(whole, { level: 9 });
}

describe('io/gzip: inflating bounded by the header', () => {
  it('refuses a .nii.gz that inflates past what its header declares, naming the file and the declared size', async () => {
    const bomb = niftiGz(64 * 1024 * 1024);
    assert.ok(bomb.length < 200 * 1024, `${bomb.length} bytes compressed`);
    await assert.rejects(readNifti('bomb.nii.gz', bomb), (thrown: unknown) => {
      assert.ok(thrown instanceof MisasInputError);
      assert.equal(thrown.file, 'bomb.nii.gz');
      // 352 bytes of header and extension flag + 16 × 16 one-byte voxels = 608; the limit is that + 1 MiB.
      assert.equal(
        thrown.problem,
        `decompresses to more than ${608 + 1024 * 1024} bytes (1.00 MiB) though its header declares 608 bytes (data offset + voxels): a damaged file or a gzip bomb`,
      );
      return true;
    });
  });

  it('reads a file with a little padding past the data, and its voxels as written', async () => {
    const volume = await readNifti('padded.nii.gz', niftiGz(1000));
    assert.deepEqual(volume.dims, [16, 16]);
    assert.deepEqual(Array.from(volume.data.subarray(250)), [250, 251, 252, 253, 254, 255]);
  });
});
