/**
 * The header-time memory check on volumes (issue 16 item 2): a volume too large for the budget
 * is refused from its header alone, before a voxel is read, saying what it would need.
 */
import * as assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeNifti } from '../../../src/engine/io/nifti-write';
import { MisasInputError } from '../../../src/engine/errors';
import { loadModel, type SegmentationModel } from '../../../src/engine/model';
import { loadExperiment } from '../../../src/engine/sweep/experiment/load';
import { runSweeps } from '../../../src/engine/sweep/run/runner';
import { identityAffine } from '../../../src/engine/volume';

const EXAMPLE = join(import.meta.dirname, '..', '..', '..', 'examples', 'colin27');
const GIB = 1024 ** 3;
const DIMS = [512, 512, 400];
const VOXELS = 512 * 512 * 400;

describe('memory check before a volume is read', () => {
  let dir: string;
  let model: SegmentationModel;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-memory-'));
    await copyFile(join(EXAMPLE, 'model.onnx'), join(dir, 'model.onnx'));
    await copyFile(join(EXAMPLE, 'model.onnx.misas.json'), join(dir, 'model.onnx.misas.json'));
    // A gzipped NIfTI header claiming 512×512×400 int16 (CT-sized, 200 MiB of samples) and one
    // slice row of samples: only reading the samples would find them missing.
    const header = encodeNifti({
      data: new Int16Array(0),
      dims: DIMS,
      spacing: [1, 1, 1],
      affine: identityAffine(),
      channels: 1,
    });
    await writeFile(join(dir, 'ct.nii.gz'), gzipSync(Buffer.concat([header, Buffer.alloc(1024)])));
    model = await loadModel(join(dir, 'model.onnx'), { threads: 1 });
  });
  after(async () => {
    await model.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  async function refusal(series: unknown[]): Promise<string> {
    const file = join(dir, 'ct.misas.json');
    await writeFile(
      file,
      JSON.stringify({ name: 'ct', model: 'model.onnx', inputs: [{ image: 'ct.nii.gz' }], series }),
    );
    const experiment = await loadExperiment(file);
    try {
      for await (const event of runSweeps(experiment, [model], { memoryBudgetBytes: GIB })) void event;
    } catch (thrown) {
      assert.ok(thrown instanceof MisasInputError, String(thrown));
      return thrown.problem;
    }
    assert.fail('the run was not refused');
  }

  function neededGiB(problem: string): number {
    const match =
      /ct\.nii\.gz: needs about (\d+\.\d\d) GiB in memory, more than the limit of 1\.00 GiB \(raise it with --max-memory <MB>.*\); (\d+\.\d\d) GiB of it is misas and its models before the image is read/.exec(
        problem,
      );
    assert.ok(match, problem);
    return Number(match[1]);
  }

  it('refuses a 512×512×400 header with no samples from the header alone, saying what it would need', async () => {
    const problem = await refusal([{ transform: 'rotate', values: [0, 15] }]);
    // Had it read the file, the problem would be the missing samples, not the memory.
    assert.doesNotMatch(problem, /truncated|end of file|bytes/i);
    // At least what a slice-wise rotate run holds: the int16 image, its untransformed labels, one
    // step's float32 image, labels and truth (2 + 1 + 4 + 1 + 1 bytes per voxel).
    const needed = neededGiB(problem);
    assert.ok(needed >= (9 * VOXELS) / GIB, `${needed} GiB`);
    assert.ok(needed < (9 * VOXELS) / GIB + 1, `${needed} GiB`);
  });

  it('counts the float64 working set of a whole-volume transform (gibbs), which rotate does not need', async () => {
    const rotate = neededGiB(await refusal([{ transform: 'rotate', values: [0, 15] }]));
    const gibbs = neededGiB(await refusal([{ transform: 'gibbs', values: [0, 0.3] }]));
    // The half spectrum of the volume in float64, 8 bytes per voxel, less rounding of the printed GiB and RSS drift.
    assert.ok(Math.abs(gibbs - rotate - (8 * VOXELS) / GIB) < 0.05, `rotate ${rotate} GiB, gibbs ${gibbs} GiB`);
  });
});
