import * as assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNifti } from '../../../src/engine/io';
import { loadModel, type SegmentationModel } from '../../../src/engine/model';
import { occlusionMapOf, sensitivityShareInside } from '../../../src/engine/sweep/analysis/occlusionMap';
import { resolveExperiment } from '../../../src/engine/sweep/experiment/load';
import { executeRun } from '../../../src/engine/sweep/run/execute';
import { identityAffine } from '../../../src/engine/volume';

/**
 * quadrant2d.onnx (tools/testmodels/make_quadrant_model.py) tiles the top-left 16×16 quadrant
 * of a 32×32 image 2×2 and labels "bright" where the tiled value is above 0.5. Without a mask the
 * truth is its prediction on the whole image, so hiding an 8×8 patch with zeros inside the
 * quadrant turns its bright pixels dark in all four copies, and a patch elsewhere changes nothing:
 * with T bright pixels in the prediction and R = 4 × (bright pixels under the patch),
 *   Dice(bright) = 2(T − R) / (2T − R),  Dice(background) = 2(N − T) / (2(N − T) + R).
 */
const MODEL = join(import.meta.dirname, '..', '..', 'data', 'models', 'quadrant2d.onnx');
const N = 32;
const value = (x: number, y: number) => ((x * 7 + y * 13) % 10) / 10 + 0.05;

describe('occlusion sensitivity of a model that only looks at one quadrant (real onnxruntime-node)', () => {
  let model: SegmentationModel;
  before(async () => {
    model = await loadModel(MODEL, { threads: 1 });
  });
  after(async () => model.dispose());

  it('maps each patch to its closed-form Dice drop: the top-left quadrant only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'misas-occlusion-'));
    const data = Float32Array.from({ length: N * N }, (_, i) => value(i % N, Math.floor(i / N)));
    await writeNifti(join(dir, 'img.nii'), {
      data,
      dims: [N, N],
      spacing: [1, 1],
      affine: identityAffine(),
      channels: 1,
    });
    const file = join(dir, 'exp.misas.json');
    const positions = Array.from({ length: 17 }, (_, i) => i - 1);
    const experiment = resolveExperiment(
      {
        name: 'occlusion',
        model: 'model.onnx',
        inputs: [{ image: 'img.nii' }],
        series: [{ transform: 'occlusion', values: positions, params: { size: 8, stride: 8, fill: 'zero' } }],
      },
      file,
      '/',
    );
    const { results } = await executeRun(
      { ...experiment, models: [{ path: MODEL, label: 'quadrant2d.onnx' }] },
      [model],
      {
        outDir: join(dir, 'run'),
      },
    );
    const map = occlusionMapOf(results, results.series[0].name, 0, 0);
    assert.ok(map, 'an occlusion map');
    assert.deepEqual(map.dims, [N, N]);
    assert.deepEqual(map.classes, ['background', 'bright']);

    let brightInQuadrant = 0;
    for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) if (value(x, y) > 0.5) brightInQuadrant++;
    const T = 4 * brightInQuadrant;
    for (let y = 0; y < N; y++) {
      for (let x = 0; x < N; x++) {
        let expectedBright = 0,
          expectedBackground = 0;
        if (x < 16 && y < 16) {
          const [x0, y0] = [x - (x % 8), y - (y % 8)];
          let under = 0;
          for (let v = y0; v < y0 + 8; v++) for (let u = x0; u < x0 + 8; u++) if (value(u, v) > 0.5) under++;
          const R = 4 * under;
          expectedBright = 1 - (2 * (T - R)) / (2 * T - R);
          expectedBackground = 1 - (2 * (N * N - T)) / (2 * (N * N - T) + R);
        }
        const at = y * N + x;
        assert.ok(
          Math.abs(map.maps[1][at] - expectedBright) < 1e-6,
          `bright at (${x}, ${y}): ${map.maps[1][at]} ≠ ${expectedBright}`,
        );
        assert.ok(
          Math.abs(map.maps[0][at] - expectedBackground) < 1e-6,
          `background at (${x}, ${y}): ${map.maps[0][at]} ≠ ${expectedBackground}`,
        );
      }
    }
    assert.ok(Math.max(...map.maps[1]) > 0.1, 'hiding part of the quadrant must hurt "bright"');
    assert.equal(sensitivityShareInside(map.maps[1], map.dims, { x0: 0, x1: 16, y0: 0, y1: 16 }), 1);
  });
});
