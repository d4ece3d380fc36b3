/**
 * `misas run` over NRRD and MetaImage inputs, end to end through the CLI (in-process): the real
 * Colin27 crop written by teem (a detached, gzip-encoded .nhdr) and by ITK (.mha), with the
 * NIfTI mask nibabel wrote on the same grid, must give the rows the same crop gives as NIfTI.
 */
import * as assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resultsFromJson, type RunResults } from '../../../src/engine/report/results';
import { misas } from '../../helpers/cli';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const DATA = join(ROOT, 'test', 'data', 'nrrd-metaimage');
const EXAMPLE = join(ROOT, 'examples', 'colin27');

describe('misas run on NRRD and MetaImage inputs (real Colin27 crop, example U-Net)', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-formats-'));
    for (const name of [
      'crop_oblique.nii.gz',
      'crop_oblique_mask.nii.gz',
      'crop_oblique_gzip.nhdr',
      'crop_oblique_gzip.raw.gz',
      'crop_oblique.mha',
    ])
      await copyFile(join(DATA, name), join(dir, name));
    for (const name of ['model.onnx', 'model.onnx.misas.json']) await copyFile(join(EXAMPLE, name), join(dir, name));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function run(image: string): Promise<RunResults> {
    const name = image.replace(/\W+/g, '-');
    const file = join(dir, `${name}.misas.json`);
    await writeFile(
      file,
      JSON.stringify({
        name,
        model: 'model.onnx',
        inputs: [{ image, mask: 'crop_oblique_mask.nii.gz' }],
        series: [{ transform: 'brightness', values: [0.5, 1.5] }],
      }),
    );
    const out = join(dir, `run-${name}`);
    const { code, stderr } = await misas('run', file, '--out', out, '--threads', '1');
    assert.equal(code, 0, stderr);
    return resultsFromJson(await readFile(join(out, 'results.json'), 'utf8'));
  }

  it('a detached gzip NRRD and a MetaImage give the NIfTI’s rows, scored against a NIfTI mask', async () => {
    const nifti = await run('crop_oblique.nii.gz');
    const rows = (results: RunResults) => results.series[0].rows.map(({ value, metrics }) => ({ value, metrics }));
    assert.equal(nifti.series[0].rows.length, 3);
    assert.ok(nifti.series[0].rows.some((row) => row.metrics.dice!.cortex !== undefined));
    for (const image of ['crop_oblique_gzip.nhdr', 'crop_oblique.mha']) {
      const results = await run(image);
      assert.equal(results.status, 'completed', image);
      assert.deepEqual(results.problems ?? [], [], image);
      assert.deepEqual(rows(results), rows(nifti), image);
    }
  });
});
