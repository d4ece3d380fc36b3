/**
 * `misas run` over a DICOM series folder, end to end through the CLI (in-process): the real
 * Colin27 crop written by pydicom as one file per slice (shuffled names and Instance Numbers, a
 * double-oblique orientation), scored by the example U-Net slice by slice against the NIfTI mask
 * nibabel wrote on the same grid, must give the rows the same crop gives as NIfTI; as an
 * experiment entry and as a manifest row.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resultsFromJson, type RunResults } from '../../../src/engine/report/results';
import { misas } from '../../helpers/cli';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const DATA = join(ROOT, 'test', 'data', 'dicom-series');
const EXAMPLE = join(ROOT, 'examples', 'colin27');

describe('misas run on a DICOM series folder (real Colin27 crop, example U-Net)', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-dicom-series-'));
    for (const name of ['reference.nii.gz', 'reference_mask.nii.gz']) await copyFile(join(DATA, name), join(dir, name));
    for (const name of ['oblique', 'two-series']) await cp(join(DATA, name), join(dir, name), { recursive: true });
    for (const name of ['model.onnx', 'model.onnx.misas.json']) await copyFile(join(EXAMPLE, name), join(dir, name));
    await writeFile(join(dir, 'inputs.csv'), 'image,mask\noblique,reference_mask.nii.gz\n');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function run(name: string, inputs: unknown): Promise<{ code: number; stderr: string; results?: RunResults }> {
    const file = join(dir, `${name}.misas.json`);
    await writeFile(
      file,
      JSON.stringify({ name, model: 'model.onnx', inputs, series: [{ transform: 'brightness', values: [0.5, 1.5] }] }),
    );
    const out = join(dir, `run-${name}`);
    const { code, stderr } = await misas('run', file, '--out', out, '--threads', '1');
    if (code !== 0) return { code, stderr };
    return { code, stderr, results: resultsFromJson(await readFile(join(out, 'results.json'), 'utf8')) };
  }

  /** What sha256sum prints for each file, by name, hashed again: the series' recorded digest. */
  async function folderDigest(folder: string): Promise<string> {
    const names = (await readdir(folder)).sort();
    const sha = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
    const lines = await Promise.all(names.map(async (name) => `${sha(await readFile(join(folder, name)))}  ${name}\n`));
    return sha(lines.join(''));
  }

  const rows = (results: RunResults) => results.series[0].rows.map(({ value, metrics }) => ({ value, metrics }));

  it('a series folder as an entry and as a manifest row gives the NIfTI’s rows, scored against a NIfTI mask', async () => {
    const nifti = await run('nifti', [{ image: 'reference.nii.gz', mask: 'reference_mask.nii.gz' }]);
    assert.equal(nifti.code, 0, nifti.stderr);
    assert.equal(nifti.results!.series[0].rows.length, 3);
    assert.ok(nifti.results!.series[0].rows.some((row) => row.metrics.dice!.cortex !== undefined));
    for (const [name, inputs] of [
      ['entry', [{ image: 'oblique', mask: 'reference_mask.nii.gz' }]],
      ['manifest', { manifest: 'inputs.csv' }],
      // A glob of the series' files in an entry: one volume (its digest names files from the glob's folder).
      ['glob', [{ image: 'oblique/*', mask: 'reference_mask.nii.gz' }]],
    ] as const) {
      const series = await run(name, inputs);
      assert.equal(series.code, 0, series.stderr);
      assert.equal(series.results!.status, 'completed', name);
      assert.deepEqual(series.results!.problems ?? [], [], name);
      assert.deepEqual(rows(series.results!), rows(nifti.results!), name);
      assert.equal(series.results!.inputs[0].imageSha256, await folderDigest(join(dir, 'oblique')), name);
    }
  });

  it('a glob matching files of two series is a problem listing them', async () => {
    const { code, stderr, results } = await run('two-glob', [{ image: 'two-series/*' }]);
    const text = `${stderr}${JSON.stringify(results?.problems ?? [])}`;
    assert.notEqual(code, 0);
    assert.match(
      text,
      /two-series\/\*: matches files of 2 DICOM series .*"localizer": 3 file\(s\).* Give a glob that matches the files of one series/,
    );
  });

  it('a folder with two series is a problem naming both, not a crash', async () => {
    const { code, stderr, results } = await run('two', [{ image: 'two-series' }]);
    const text = `${stderr}${JSON.stringify(results?.problems ?? [])}`;
    assert.notEqual(code, 0, 'a run without any readable input fails');
    assert.match(text, /two-series: holds 2 DICOM series/);
    assert.match(text, /"localizer"/);
    assert.doesNotMatch(text, /\n\s+at /);
  });
});
