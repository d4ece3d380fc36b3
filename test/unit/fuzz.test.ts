/**
 * A short run of the mutation fuzzer (`npm run fuzz` runs thousands of cases, with a time
 * budget per case): every mutated NIfTI, PNG, DICOM, NRRD, MetaImage and experiment file must be read or
 * refused with the project's MisasInputError naming the file — never anything else.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNifti } from '../../src/engine/io';
import { FORMATS, makeCase, runCase } from '../../scripts/fuzz/cases';

const SEED = 2026;
const CASES = 400;

describe('fuzzing the readers (smoke run)', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'misas-fuzz-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`${CASES} mutated files of seed ${SEED}: read or refused with a message naming the file`, async () => {
    const image = encodeNifti({
      data: new Float32Array(16),
      dims: [4, 4],
      spacing: [1, 1],
      affine: [
        [1, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 1, 0],
        [0, 0, 0, 1],
      ],
      channels: 1,
    });
    for (const name of ['image.nii', 'mask.nii', 'model.onnx']) writeFileSync(join(dir, name), image);
    const crashes: string[] = [];
    const kinds = new Map<string, number>();
    for (let id = 0; id < CASES; id++) {
      const fuzzCase = makeCase(SEED, id);
      const outcome = await runCase(fuzzCase, dir);
      kinds.set(`${fuzzCase.format} ${outcome.kind}`, (kinds.get(`${fuzzCase.format} ${outcome.kind}`) ?? 0) + 1);
      if (outcome.kind === 'crash')
        crashes.push(`case ${id} (${fuzzCase.format}, ${fuzzCase.mutation}): ${outcome.message}`);
    }
    assert.deepEqual(crashes, []);
    // The mutations must reach every reader both ways: some files still read, most are refused.
    for (const format of FORMATS) assert.ok((kinds.get(`${format} refused`) ?? 0) > 0, `${format}: nothing refused`);
    for (const format of ['nifti', 'dicom', 'nrrd', 'metaimage', 'experiment'])
      assert.ok((kinds.get(`${format} ok`) ?? 0) > 0, `${format}: nothing read`);
  });

  it('case i of a seed is the same file every time (reproducible findings)', () => {
    assert.deepEqual(makeCase(SEED, 17).bytes, makeCase(SEED, 17).bytes);
    assert.notDeepEqual(makeCase(SEED, 17).bytes, makeCase(SEED + 1, 17).bytes);
  });
});
