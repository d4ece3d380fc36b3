import * as assert from 'node:assert/strict';
import { checkFits, estimateInputBytes } from '../../../src/engine/dataset';
import { peekImage } from '../../../src/engine/io/peek';
import { SOURCES, problemOf } from './fixtures';

const GIB = 1024 ** 3;

describe('memory estimate per input', () => {
  it('counts a 2D slice for a 2D model term by term (documented formula, worked by hand)', async () => {
    const peek = await peekImage(SOURCES.png); // 181×217 grey uint8: V = 39277
    // B = 8 (2D default), S = 2B = 16, K = 4, P = 1, I = V, a mask, a whole-volume transform:
    //   as read 39277 + truth 2·39277 = 78554 + untransformed prediction 39277
    //   + steps 16·39277·(4 + 2) = 3770592 + whole-volume scratch 8·39277 = 314216
    //   + the model's float copy 4·39277 = 157108 + tensors 8·39277·4·5 + 39277·16 = 6912752
    assert.equal(estimateInputBytes(peek, { modelSpatialDims: 2, classes: 4 }), 11311776);
  });

  it('counts a volume for a 3D model (batch 1) and for a 2D model sliced along an axis (no float copy of the volume)', async () => {
    const peek = await peekImage(SOURCES.volume); // 40×48×10 uint8: V = 19200
    // 3D, B = 1, S = 2: 19200 + 38400 + 19200 + 2·19200·6 = 230400 + 153600 + 76800 + (19200·20 + 19200·16 = 691200)
    assert.equal(estimateInputBytes(peek, { modelSpatialDims: 3, classes: 4 }), 1228800);
    // 2D along z, B = 8, S = 16, I = 40·48 = 1920: 19200 + 38400 + 19200 + 1843200 + 153600 + 0 + (8·1920·20 + 1920·16 = 337920)
    assert.equal(estimateInputBytes(peek, { modelSpatialDims: 2, classes: 4 }), 2411520);
    assert.equal(estimateInputBytes(peek, { modelSpatialDims: 2, classes: 4, sliceAxis: 2 }), 2411520);
    // along x, I = 48·10 = 480: tensors 8·480·20 + 480·16 = 84480
    assert.equal(estimateInputBytes(peek, { modelSpatialDims: 2, classes: 4, sliceAxis: 0 }), 2073600 + 84480);
    // The runner's volume path: one step in flight, no mask, only slab-local transforms (no scratch).
    assert.equal(
      estimateInputBytes(peek, {
        modelSpatialDims: 2,
        classes: 4,
        stepsInFlight: 1,
        mask: false,
        wholeVolumeTransform: false,
      }),
      19200 + 19200 + 19200 * 6 + 337920,
    );
  });

  it('counts the calls of a sliding-window model as batches of windows, not of the volume', async () => {
    const peek = await peekImage(SOURCES.volume); // 40×48×10 uint8: V = 19200
    // 3D, B = 8 windows of 16³ = 4096 voxels, S = 1, no mask, slab-local series:
    //   19200 + 0 + 19200 + 1·19200·6 + 0 + float copy 4·19200 + 8·4096·4·(1 + 4)
    assert.equal(
      estimateInputBytes(peek, {
        modelSpatialDims: 3,
        classes: 4,
        batchSize: 8,
        stepsInFlight: 1,
        mask: false,
        wholeVolumeTransform: false,
        windowVoxels: 4096,
      }),
      19200 + 19200 + 115200 + 76800 + 655360,
    );
  });

  it('uses 2-byte predicted labels above 256 classes and the given batch size', () => {
    // V = 4, C = 3, b = 1, B = 1, S = 2, K = 300, P = 2: 12 + 8 + 8 + 2·4·(12 + 4) + 32 + 48 + (4·4·303 + 4·4·300 = 9648)
    assert.equal(
      estimateInputBytes({ dims: [2, 2], channels: 3, bytesPerVoxel: 1 }, { modelSpatialDims: 3, classes: 300 }),
      9884,
    );
    // Same with B = 2 (S = 4): 12 + 8 + 8 + 256 + 32 + 48 + (2·4·4·303 + 4·4·300 = 14496)
    assert.equal(
      estimateInputBytes(
        { dims: [2, 2], channels: 3, bytesPerVoxel: 1 },
        { modelSpatialDims: 3, classes: 300, batchSize: 2 },
      ),
      14860,
    );
  });

  it('refuses an input above the budget, saying how much and how to raise the limit', () => {
    checkFits('/data/a.nii.gz', GIB, GIB);
    const problem = problemOf(() => checkFits('/data/a.nii.gz', 1.5 * GIB, GIB), '/data/a.nii.gz');
    assert.equal(
      problem,
      'needs about 1.50 GiB in memory, more than the limit of 1.00 GiB (raise it with --max-memory <MB> on the command line or the setting misas.maxMemoryMB)',
    );
    assert.match(
      problemOf(() => checkFits('/data/a.nii.gz', GIB + 1, GIB), '/data/a.nii.gz'),
      /^needs about 1\.01 GiB in memory, more than the limit of 1\.00 GiB/,
    );
    // With the process's own share, the message says how much of the need is there before the image is read.
    assert.match(
      problemOf(() => checkFits('/data/a.nii.gz', 1.5 * GIB, GIB, 0.25 * GIB), '/data/a.nii.gz'),
      /misas\.maxMemoryMB\); 0\.25 GiB of it is misas and its models before the image is read$/,
    );
  });
});
