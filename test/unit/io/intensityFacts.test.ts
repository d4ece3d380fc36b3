import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  intensityFacts,
  percentileOfSorted,
  PERCENTILE_SAMPLE,
  readIntensityFacts,
} from '../../../src/engine/io/intensityFacts';
import { writeNifti } from '../../../src/engine/io';
import { identityAffine, type VoxelArray } from '../../../src/engine/volume';
import { dimsOf, loadGoldens } from '../../helpers/goldens';
import { rejectsInput, scratchDir } from './fixtures';

const goldens = loadGoldens('intensity/facts.json');
const ARRAY_TYPES: Record<string, new (values: number[]) => VoxelArray> = {
  uint8: Uint8Array as never,
  uint16: Uint16Array as never,
  int16: Int16Array as never,
  float32: Float32Array as never,
};
const REPO = join(import.meta.dirname, '..', '..', '..');

function assertFacts(actual: ReturnType<typeof intensityFacts>, expected: Record<string, unknown>, name: string): void {
  assert.equal(actual.dtype, expected.dtype, `${name}: dtype`);
  for (const key of ['min', 'max', 'mean', 'sd', 'p1', 'p99'] as const) {
    const want = expected[key] as number;
    assert.ok(
      Math.abs(actual[key] - want) <= 1e-9 * Math.max(1, Math.abs(want)),
      `${name}: ${key} ${actual[key]} ≠ numpy ${want}`,
    );
  }
  assert.equal(actual.nonFinite ?? 0, expected.nonFinite, `${name}: non-finite count`);
  assert.equal(actual.sampled, undefined, `${name}: small images are not sampled`);
}

describe('intensity facts against numpy', () => {
  for (const [name, golden] of Object.entries(goldens.cases)) {
    it(`${name}: type, range, mean, sd and 1st/99th percentile`, async () => {
      if (golden.params.file) {
        const facts = await readIntensityFacts(join(REPO, golden.params.file as string));
        assertFacts(facts, golden.params, name);
        assert.equal(facts.integers, true);
        return;
      }
      const image = golden.arrays.image;
      const data = new ARRAY_TYPES[image.dtype](image.data);
      const facts = intensityFacts({
        data,
        dims: dimsOf(image),
        spacing: [1, 1, 1],
        affine: identityAffine(),
        channels: 1,
      });
      assertFacts(facts, golden.params, name);
      assert.deepEqual(facts.dims, dimsOf(image));
      assert.equal(facts.integers, image.dtype !== 'float32');
    });
  }

  it('percentiles interpolate between order statistics as numpy does (hand-checked)', () => {
    // numpy.percentile([1, 2, 3, 4, 10], [0, 1, 50, 99, 100]) = [1, 1.04, 3, 9.76, 10]
    const sorted = [1, 2, 3, 4, 10];
    assert.deepEqual(
      [0, 1, 50, 99, 100].map((q) => Number(percentileOfSorted(sorted, q).toFixed(10))),
      [1, 1.04, 3, 9.76, 10],
    );
  });

  it('a large image: percentiles from a regular sample, said so, within one sample step of the exact value', () => {
    const n = PERCENTILE_SAMPLE * 2 + 5;
    const data = new Uint16Array(n);
    for (let i = 0; i < n; i++) data[i] = Math.floor((i * 65536) / n); // a ramp: the exact q-th percentile is q% of the way up
    const facts = intensityFacts({ data, dims: [n, 1], spacing: [1, 1], affine: identityAffine(), channels: 1 });
    assert.equal(facts.sampled, Math.ceil(n / 3));
    assert.ok(Math.abs(facts.p1 - 0.01 * 65535) < 2, `p1 ${facts.p1}`);
    assert.ok(Math.abs(facts.p99 - 0.99 * 65535) < 2, `p99 ${facts.p99}`);
    assert.equal(facts.max, data[n - 1]);
  });

  it('refuses an image above the size limit from its header, naming the file', async () => {
    const scratch = scratchDir();
    try {
      const file = scratch.path('big.nii');
      await writeNifti(file, {
        data: new Float32Array(64 * 64 * 4),
        dims: [64, 64, 4],
        spacing: [1, 1, 1],
        affine: identityAffine(),
        channels: 1,
      });
      await rejectsInput(
        readIntensityFacts(file, 1000),
        file,
        /image of 64×64×4 voxels \(65536 bytes \(64\.00 KiB\)\) is larger than the 1000 bytes read for its intensity facts$/,
      );
      assert.equal((await readIntensityFacts(file)).dims.join('x'), '64x64x4');
    } finally {
      scratch.cleanup();
    }
  });
});
