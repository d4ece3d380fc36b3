/**
 * Surface distances found near the edges (nearest.ts) equal those of the distance transform of
 * the whole grid (edt.ts, itself checked against scipy in golden.test.ts), which is how misas
 * computed them before: every route of the search (near offsets, far cubes, transform fallback)
 * on 2D and 3D masks, isotropic and anisotropic.
 */
import * as assert from 'node:assert/strict';
import {
  computeMetrics,
  directedDistances,
  maskEdges,
  squaredDistanceTransform,
  surfaceDistances,
} from '../../../src/engine/metrics';
import { edgeSet, nearestEdgeDistances, paddedBox } from '../../../src/engine/metrics/nearest';
import { percentileOfSorted } from '../../../src/engine/metrics/percentile';
import { createRandom } from '../../../src/engine/random';
import { identityAffine, type Volume } from '../../../src/engine/volume';
import { assertAllClose } from '../../helpers/goldens';

/** The distance transform route: distances from every `from` edge voxel to the nearest `to` edge voxel, ascending. */
function byTransform(fromEdges: Uint8Array, toEdges: Uint8Array, dims: number[], spacing: number[]): Float64Array {
  const field = Float64Array.from(toEdges, (v) => (v ? 0 : Infinity));
  squaredDistanceTransform(field, dims, spacing);
  const distances: number[] = [];
  fromEdges.forEach((v, i) => v && distances.push(Math.sqrt(field[i])));
  return Float64Array.from(distances).sort();
}

/** A blobby 0/1 mask: a few random spheres (ellipses in 2D), in index units. */
function blobs(dims: number[], count: number, seed: number, radius: [number, number]): Uint8Array {
  const random = createRandom(seed);
  const uniform = () => random.uniform();
  const [nx, ny, nz = 1] = dims;
  const mask = new Uint8Array(nx * ny * nz);
  for (let b = 0; b < count; b++) {
    const c = [uniform() * nx, uniform() * ny, uniform() * nz];
    const r = radius[0] + uniform() * (radius[1] - radius[0]);
    for (let z = 0, i = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++, i++) {
          const dz = dims.length === 3 ? z - c[2] : 0;
          if ((x - c[0]) ** 2 + (y - c[1]) ** 2 + dz ** 2 <= r * r) mask[i] = 1;
        }
  }
  return mask;
}

const CASES: { name: string; dims: number[]; spacing: number[]; pred: Uint8Array; truth: Uint8Array }[] = [
  { name: '2D isotropic', dims: [60, 50], spacing: [1, 1] },
  { name: '2D anisotropic', dims: [60, 50], spacing: [1.7, 0.6] },
  { name: '3D isotropic', dims: [40, 36, 30], spacing: [1, 1, 1] },
  { name: '3D anisotropic', dims: [40, 36, 30], spacing: [0.8, 1.0, 3.0] },
  { name: '3D one slice', dims: [40, 36, 1], spacing: [1, 1, 2.5] },
].map((c, n) => ({
  ...c,
  pred: blobs(c.dims, 4, 10 + n, [3, 9]),
  // Far apart from the prediction in places: distances well beyond the near radius.
  truth: blobs(c.dims, 3, 50 + n, [2, 12]),
}));

describe('surface distances near the edges equal the distance transform of the grid', () => {
  for (const { name, dims, spacing, pred, truth } of CASES) {
    it(`${name}: both directions, every route`, () => {
      const predEdges = maskEdges(pred, dims);
      const truthEdges = maskEdges(truth, dims);
      const box = paddedBox(dims, spacing);
      for (const [from, to, label] of [
        [predEdges, truthEdges, 'P→G'],
        [truthEdges, predEdges, 'G→P'],
      ] as const) {
        const expected = byTransform(from, to, dims, spacing);
        assertAllClose(directedDistances(from, to, dims, spacing), expected, {
          rtol: 1e-12,
          label: `${name} ${label}`,
        });
        // Budget −1: every far voxel is read from the transform instead.
        const viaTransform = nearestEdgeDistances(box, edgeSet(box, from), edgeSet(box, to), -1);
        assertAllClose(viaTransform, expected, { rtol: 1e-12, label: `${name} ${label} (transform)` });
      }
      const p = byTransform(predEdges, truthEdges, dims, spacing);
      const g = byTransform(truthEdges, predEdges, dims, spacing);
      const farthest = Math.max(p.at(-1)!, g.at(-1)!);
      assert.ok(farthest > 10 * Math.min(...spacing), `${name}: some distances are beyond the near radius`);
      const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
      const { hd95, assd } = surfaceDistances(pred, truth, dims, spacing);
      assertAllClose(
        [hd95!, assd!],
        [Math.max(percentileOfSorted(p, 95), percentileOfSorted(g, 95)), (sum(p) + sum(g)) / (p.length + g.length)],
        { rtol: 1e-12, label: name },
      );
    });
  }

  it('computeMetrics on a 4-class volume: every class, background included, as the whole-grid transform gives', () => {
    const dims = [34, 30, 26];
    const spacing = [0.9, 1.1, 2.0];
    const labels = (seed: number) => {
      const data = new Uint8Array(34 * 30 * 26);
      [1, 2, 3].forEach((label, k) => blobs(dims, 3, seed + k, [3, 8]).forEach((v, i) => v && (data[i] = label)));
      return data;
    };
    const volume = (data: Uint8Array): Volume => ({
      data,
      dims,
      spacing,
      affine: identityAffine(spacing),
      channels: 1,
    });
    const pred = labels(7);
    const truth = labels(70);
    const result = computeMetrics(volume(pred), volume(truth), { classes: 4, metrics: ['hd95', 'assd'] });
    for (const label of [0, 1, 2, 3]) {
      const mask = (data: Uint8Array) => data.map((v) => (v === label ? 1 : 0));
      const p = byTransform(maskEdges(mask(pred), dims), maskEdges(mask(truth), dims), dims, spacing);
      const g = byTransform(maskEdges(mask(truth), dims), maskEdges(mask(pred), dims), dims, spacing);
      const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
      assertAllClose(
        [result.values.hd95![label]!, result.values.assd![label]!],
        [Math.max(percentileOfSorted(p, 95), percentileOfSorted(g, 95)), (sum(p) + sum(g)) / (p.length + g.length)],
        { rtol: 1e-12, label: `class ${label}` },
      );
    }
  });
});
