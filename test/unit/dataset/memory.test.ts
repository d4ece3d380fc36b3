import * as assert from 'node:assert/strict';
import { checkFits, estimateInputBytes } from '../../../src/engine/dataset';
import { peekImage } from '../../../src/engine/io/peek';
import { SOURCES, problemOf } from './fixtures';

const GIB = 1024 ** 3;

describe('memory estimate per input', () => {
  it('counts a 2D slice for a 2D model term by term (documented formula, worked by hand)', async () => {
    const peek = await peekImage(SOURCES.png); // 181×217 grey uint8: V = 39277
    // B = 8 (2D default), K = 4, P = 1, I = V:
    //   as read 39277 + float images 3·8·39277·4 = 3770592 + transform scratch 32·39277 = 1256864
    //   + truths 17·39277·4 = 2670836 + predictions 9·39277 = 353493 + tensors 8·39277·4·5 + 39277·16 = 6912752
    assert.equal(estimateInputBytes(peek, { modelSpatialDims: 2, classes: 4 }), 15003814);
  });

  it('counts a volume for a 3D model (batch 1) and for a 2D model sliced along an axis', async () => {
    const peek = await peekImage(SOURCES.volume); // 40×48×10 uint8: V = 19200
    // 3D, B = 1: 19200 + 230400 + 614400 + 230400 + 38400 + (19200·20 + 19200·16 = 691200)
    assert.equal(estimateInputBytes(peek, { modelSpatialDims: 3, classes: 4 }), 1824000);
    // 2D along z, B = 8, I = 40·48 = 1920: 19200 + 1843200 + 614400 + 1305600 + 172800 + (8·1920·20 + 1920·16 = 337920)
    assert.equal(estimateInputBytes(peek, { modelSpatialDims: 2, classes: 4 }), 4293120);
    assert.equal(estimateInputBytes(peek, { modelSpatialDims: 2, classes: 4, sliceAxis: 2 }), 4293120);
    // along x, I = 48·10 = 480: tensors 8·480·20 + 480·16 = 84480
    assert.equal(estimateInputBytes(peek, { modelSpatialDims: 2, classes: 4, sliceAxis: 0 }), 3955200 + 84480);
  });

  it('uses 2-byte predicted labels above 256 classes and the given batch size', () => {
    // V = 4, C = 3, b = 1, B = 1, K = 300, P = 2: 12 + 144 + 128 + 48 + 16 + (4·4·303 + 4·4·300 = 9648)
    assert.equal(
      estimateInputBytes({ dims: [2, 2], channels: 3, bytesPerVoxel: 1 }, { modelSpatialDims: 3, classes: 300 }),
      9996,
    );
    // Same with B = 2: 12 + 288 + 128 + 80 + 24 + (2·4·4·303 + 4·4·300 = 14496)
    assert.equal(
      estimateInputBytes(
        { dims: [2, 2], channels: 3, bytesPerVoxel: 1 },
        { modelSpatialDims: 3, classes: 300, batchSize: 2 },
      ),
      15028,
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
  });
});
