/** The registry's severity levels: five valid, distinct values per transform that grow in strength. */
import * as assert from 'node:assert/strict';
import { parameterRangeProblem } from '../../../src/engine/transforms/range';
import { transforms } from '../../../src/engine/transforms/registry';
import { severityValues } from '../../../src/engine/transforms/severities';
import type { TransformSpec } from '../../../src/engine/transforms/types';

/** How far a value is from the identity, on the parameter's own axis (log for factors). */
function distance(spec: TransformSpec, value: number, identity: number): number {
  return spec.parameter.scale === 'log' ? Math.abs(Math.log(value / identity)) : Math.abs(value - identity);
}

// The example's slices (181 × 217) and a small 2D image.
const SIZES = [
  [181, 217, 1],
  [64, 48],
];

describe('severity levels', () => {
  for (const spec of transforms) {
    const ordered = spec.severities?.ordered !== false;
    it(`${spec.name}: five valid, distinct values${ordered ? ', increasing in strength' : ' (labels: no order of strength)'}`, () => {
      assert.ok(spec.severities, 'every transform has severity levels');
      assert.ok(spec.severities.text.length > 10, 'and documents them');
      for (const dims of SIZES) {
        const values = severityValues(spec.severities, dims);
        assert.equal(values.length, 5);
        const identity = spec.identityFor ? spec.identityFor(dims) : spec.identity;
        for (const value of values) {
          assert.equal(parameterRangeProblem(spec, value), undefined, `${value} is a valid ${spec.parameter.name}`);
          if (spec.parameter.integer) assert.ok(Number.isInteger(value));
        }
        assert.equal(new Set(values).size, 5, `distinct at ${dims.join('×')}: ${values.join(', ')}`);
        if (spec.severities.ordered === false) continue;
        const distances = values.map((v) => distance(spec, v, identity));
        assert.ok(distances[0] > 0, 'level 1 changes the input');
        for (let i = 1; i < 5; i++)
          assert.ok(
            distances[i] > distances[i - 1],
            `level ${i + 1} is stronger than level ${i}: ${values.join(', ')}`,
          );
      }
    });
  }

  it("follows ROOD-MRI's levels where it has the transform", () => {
    const levels = (name: string, dims = [181, 217]) =>
      severityValues(transforms.find((t) => t.name === name)!.severities!, dims);
    // roodmri/transforms/defaults.py: linspace(0, max, 6)[1:].
    assert.deepEqual(levels('rotate'), [6, 12, 18, 24, 30]);
    assert.deepEqual(levels('rician-noise'), [0.16, 0.32, 0.48, 0.64, 0.8]);
    assert.deepEqual(levels('blur'), [0.8, 1.6, 2.4, 3.2, 4]);
    assert.deepEqual(levels('anisotropy'), [2.8, 4.6, 6.4, 8.2, 10]);
    assert.deepEqual(levels('gamma'), [1.4, 1.8, 2.2, 2.6, 3]);
    // Millimetres on ROOD-MRI's ~1 mm grid become pixels at shorter side / 180: 8 mm at 180 px = 8 px;
    // at 90 px it is 4 px (40 mm → 20 px).
    assert.deepEqual(levels('translate', [180, 200]), [8, 16, 24, 32, 40]);
    assert.deepEqual(levels('translate', [90, 120]), [4, 8, 12, 16, 20]);
    assert.deepEqual(levels('elastic', [180, 200]), [6, 12, 18, 24, 30]);
    // Resize divides the longest side (217) by 1.6 … 4: 135.6 → 136, 98.6 → 99, 77.5 → 78, 63.8 → 64, 54.25 → 54.
    assert.deepEqual(levels('resize'), [136, 99, 78, 64, 54]);
  });
});
