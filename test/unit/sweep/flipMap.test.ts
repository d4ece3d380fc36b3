import * as assert from 'node:assert/strict';
import { FlipMapAccumulator, sourceIndexLabel } from '../../../src/engine/sweep/analysis/flipMap';
import { getTransform, resolveOptions } from '../../../src/engine/transforms/registry';
import { createRandom } from '../../../src/engine/random';
import { identityAffine, type Volume } from '../../../src/engine/volume';

const volume = (data: Float32Array | Uint8Array | Uint32Array, dims: number[]): Volume => ({
  data,
  dims,
  spacing: dims.map(() => 1),
  affine: identityAffine(),
  channels: 1,
});

/** Moves `label` like the runner moves the truth, and the index label with it. */
function moved(
  transform: string,
  value: number,
  label: Uint8Array,
  dims: number[],
  params: Record<string, string> = {},
) {
  const spec = getTransform(transform);
  const options = resolveOptions(spec, { interpolation: 'nearest', ...params });
  const image = volume(new Float32Array(label.length), dims);
  const apply = (l: Volume) => spec.apply({ image, label: l }, value, options, { random: createRandom(1) }).label!;
  return {
    labels: apply(volume(label, dims)).data,
    sourceIndex: apply(volume(sourceIndexLabel(label.length), dims)).data,
  };
}

describe('flip maps', () => {
  it('counts flips per voxel and class membership changes on the input grid (worked by hand)', () => {
    const baseline = [0, 0, 1, 1, 2, 2];
    const flips = new FlipMapAccumulator(6, 3, baseline, 0);
    flips.addStep(-1, [0, 1, 1, 1, 2, 0]);
    flips.addStep(0, [2, 2, 2, 2, 2, 2]); // the identity is the baseline: ignored
    flips.addStep(1, [0, 0, 1, 2, 2, 2]);
    flips.addStep(2, [1, 1, 1, 2, 0, 2]);
    const { flips: share, classFlips } = flips.result();
    assert.deepEqual(Array.from(share), [1 / 3, 2 / 3, 0, 2 / 3, 1 / 3, 1 / 3].map(Math.fround));
    // Class 1 is gained at voxel 1 (steps −1 and 2) and voxel 0 (step 2), lost at voxel 3 (steps 1 and 2).
    assert.deepEqual(Array.from(classFlips[1]), [1 / 3, 2 / 3, 0, 2 / 3, 0, 0].map(Math.fround));
    // Class 2 changes at voxel 3 (gained twice), 4 (lost at 2), 5 (lost at −1).
    assert.deepEqual(Array.from(classFlips[2]), [0, 0, 0, 2 / 3, 1 / 3, 1 / 3].map(Math.fround));
    // Tolerated range [−1, 1]: class 0's voxel 1 flips (−1), class 1's voxel 3 (1), class 2's voxel 5 (−1).
    assert.deepEqual(flips.shareFlippingWithin(-1, 1), [0.5, 0.5, 0.5]);
    // [0, 1]: only steps above the identity up to 1 count.
    assert.deepEqual(flips.shareFlippingWithin(0, 1), [0, 0.5, 0]);
    assert.deepEqual(flips.shareFlippingWithin(-0.5, 0.5), [0, 0, 0]);
  });

  it('an equivariant prediction does not flip under translation or quarter turns; a model that ignores them does', () => {
    const dims = [6, 5];
    const baseline = Uint8Array.from({ length: 30 }, (_, i) => ((i % 6) * 3 + Math.floor(i / 6)) % 3);
    for (const [transform, value, params] of [
      ['translate', 2, {}],
      ['translate', -3, { axis: 'y' }],
      ['rotate', 90, {}],
    ] as const) {
      const { labels, sourceIndex } = moved(transform, value, baseline, dims, params);
      const equivariant = new FlipMapAccumulator(30, 3, baseline, 0);
      equivariant.addStep(value, labels, sourceIndex);
      const map = equivariant.result();
      for (let p = 0; p < 30; p++) {
        const seen = Array.from(sourceIndex).includes(p + 1);
        if (seen) assert.equal(map.flips[p], 0, `${transform} ${value}: voxel ${p}`);
        else assert.ok(Number.isNaN(map.flips[p]), `${transform} ${value}: voxel ${p} moved out, never seen`);
      }
      // A "model" that ignores the transform predicts the baseline as it was: it flips wherever
      // the moved content has another label than the voxel it came from.
      const stubborn = new FlipMapAccumulator(30, 3, baseline, 0);
      stubborn.addStep(value, baseline, sourceIndex);
      const flipped = stubborn.result().flips;
      for (let o = 0; o < 30; o++) {
        const p = sourceIndex[o] - 1;
        if (p >= 0) assert.equal(flipped[p], baseline[o] === baseline[p] ? 0 : 1, `${transform} ${value}: voxel ${p}`);
      }
    }
  });

  it('averages over every step voxel that came from one input voxel (zoom in repeats voxels)', () => {
    const dims = [8, 8];
    const baseline = Uint8Array.from({ length: 64 }, (_, i) => (i % 8 < 4 ? 0 : 1));
    const { labels, sourceIndex } = moved('zoom', 0.5, baseline, dims);
    const counts = new Map<number, number>();
    for (const s of sourceIndex) if (s > 0) counts.set(s - 1, (counts.get(s - 1) ?? 0) + 1);
    assert.ok(
      [...counts.values()].some((n) => n > 1),
      'zooming in to half the field of view maps several voxels to one',
    );
    const wrongEverywhere = Uint8Array.from(labels, (l) => 1 - l);
    const flips = new FlipMapAccumulator(64, 2, baseline, 1);
    flips.addStep(0.5, wrongEverywhere, sourceIndex);
    const map = flips.result().flips;
    for (let p = 0; p < 64; p++) assert.equal(map[p], counts.has(p) ? 1 : NaN, `voxel ${p}`);
  });
});
