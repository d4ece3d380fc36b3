import * as assert from 'node:assert/strict';
import { MisasInputError } from '../../../../src/engine/errors';
import { affineWarpPlane, scalePlane } from '../../../../src/engine/transforms/resample';
import { defaultValuesFor } from '../../../../src/engine/transforms/registry';
import { spatialTransforms } from '../../../../src/engine/transforms/spatial';
import { expandSweep } from '../../../../src/engine/transforms/sweep';
import type { Sweep } from '../../../../src/engine/transforms/sweep';
import { context, lcgValues, spec, volume, withDefaults } from './helpers';

/** World position (mm) of a voxel index through a 4×4 affine. */
function world(affine: number[][], index: number[]): number[] {
  return [0, 1, 2].map(
    (r) => affine[r][0] * index[0] + affine[r][1] * index[1] + affine[r][2] * index[2] + affine[r][3],
  );
}

describe('affineWarpPlane and scalePlane', () => {
  const src = [10, 20, 30, 40]; // 2×2: top row 10 20, bottom row 30 40

  it('interpolates bilinearly, blends into the fill across the edge and rounds nearest halves up', () => {
    const out = new Float64Array(4);
    // out(x, y) = src(x + 0.5, y + 0.5)
    affineWarpPlane(src, 2, 2, [1, 0, 0.5, 0, 1, 0.5], out, 2, 2, 'linear', 0);
    assert.deepEqual(Array.from(out), [25, 15, 17.5, 10]);
    affineWarpPlane(src, 2, 2, [1, 0, 0.5, 0, 1, 0], out, 2, 2, 'nearest', -1);
    assert.deepEqual(Array.from(out), [20, -1, 40, -1]);
    affineWarpPlane(src, 2, 2, [1, 0, -3, 0, 1, 0], out, 2, 2, 'linear', 7);
    assert.deepEqual(Array.from(out), [7, 7, 7, 7]);
  });

  it('scales with pixel-centre mapping and repeats the edge pixel', () => {
    const out = new Float64Array(4);
    scalePlane([0, 8], 2, { x0: 0, y0: 0, width: 2, height: 1 }, out, 4, 1, 'linear');
    // centres of 4 output pixels map to −0.25, 0.25, 0.75, 1.25 → clamped 0, 0.25, 0.75, 1
    assert.deepEqual(Array.from(out), [0, 2, 6, 8]);
  });
});

describe('spatial transform behaviour', () => {
  it('rotate +90° moves a bright pixel right of the centre up (counter-clockwise as displayed)', () => {
    const [nx, ny] = [9, 7];
    for (const interpolation of ['linear', 'nearest']) {
      const data = new Float32Array(nx * ny);
      data[6 + nx * 3] = 100; // centre is (4, 3)
      const out = spec('rotate').apply(
        { image: volume(data, [nx, ny]) },
        90,
        withDefaults(spec('rotate'), { interpolation }),
        context(),
      ).image.data;
      const brightest = out.indexOf(Math.max(...out));
      assert.deepEqual([brightest % nx, Math.floor(brightest / nx)], [4, 1], interpolation);
      assert.equal(out[brightest], 100);
    }
  });

  it('rotate by a quarter turn on a square image equals dihedral k = 2', () => {
    const image = volume(lcgValues(100, 3), [10, 10]);
    const rotated = spec('rotate').apply({ image }, 90, withDefaults(spec('rotate')), context()).image.data;
    const turned = spec('dihedral').apply({ image }, 2, withDefaults(spec('dihedral')), context()).image.data;
    assert.deepEqual(Array.from(rotated), Array.from(turned));
  });

  it('dihedral swaps dims and voxel sizes on odd quarter turns of a non-square image', () => {
    const image = volume(lcgValues(6 * 4 * 2, 3), [6, 4, 2], 1, [0.5, 2, 3]);
    const output = spec('dihedral').apply({ image }, 3, {}, context()).image;
    assert.deepEqual(output.dims, [4, 6, 2]);
    assert.deepEqual(output.spacing, [2, 0.5, 3]);
    assert.deepEqual([output.affine[0][0], output.affine[1][1], output.affine[2][2]], [2, 0.5, 3]);
    assert.deepEqual(spec('dihedral').apply({ image }, 4, {}, context()).image.dims, [6, 4, 2]);
  });

  it('resize keeps the field of view: the outer corners stay at the same world position', () => {
    const image = volume(lcgValues(24 * 18 * 2, 3), [24, 18, 2], 1, [0.8, 1.2, 4]);
    image.affine[0][3] = -30;
    image.affine[1][3] = 12;
    const output = spec('resize').apply({ image }, 41, withDefaults(spec('resize')), context()).image;
    assert.deepEqual(output.dims, [41, 31, 2]);
    for (const [corner, newCorner] of [
      [
        [-0.5, -0.5, 0],
        [-0.5, -0.5, 0],
      ],
      [
        [23.5, 17.5, 1],
        [40.5, 30.5, 1],
      ],
    ]) {
      const expected = world(image.affine, corner);
      world(output.affine, newCorner).forEach((v, i) =>
        assert.ok(Math.abs(v - expected[i]) < 1e-9, `corner ${corner}`),
      );
    }
  });

  it('translate moves content right along x and down along y', () => {
    const data = new Float32Array(5 * 4);
    data[1 + 5 * 1] = 9;
    const image = volume(data, [5, 4]);
    const right = spec('translate').apply({ image }, 2, withDefaults(spec('translate'), { fill: 'zero' }), context())
      .image.data;
    assert.equal(right[3 + 5 * 1], 9);
    const down = spec('translate').apply(
      { image },
      2,
      withDefaults(spec('translate'), { axis: 'y', fill: 'zero' }),
      context(),
    ).image.data;
    assert.equal(down[1 + 5 * 3], 9);
  });

  it("fills with each channel's minimum, the one it finds or the one the caller passes (imageMinima)", () => {
    // Two channels of 3×2: minima -4 and 2; a shift by 2 leaves two columns to fill.
    const image = volume(Float32Array.from([5, -4, 7, 6, 1, 3, 9, 2, 8, 4, 6, 5]), [3, 2], 2);
    const options = withDefaults(spec('translate'), { fill: 'min', interpolation: 'nearest' });
    const found = spec('translate').apply({ image }, 2, options, context()).image.data;
    assert.deepEqual([found[0], found[1], found[6], found[7]], [-4, -4, 2, 2]);
    const passed = spec('translate').apply({ image, imageMinima: [-4, 2] }, 2, options, context()).image.data;
    assert.deepEqual(Array.from(passed), Array.from(found));
    // The caller's values are what the fill uses (the runner computes them once per input).
    const told = spec('translate').apply({ image, imageMinima: [-9, 0] }, 2, options, context()).image.data;
    assert.deepEqual([told[0], told[6]], [-9, 0]);
  });

  it('refuses impossible parameters and inputs with MisasInputError', () => {
    const image = volume(lcgValues(12, 1), [4, 3]);
    const attempts: [string, number, Record<string, string>][] = [
      ['zoom', 1.5, {}],
      ['zoom', -0.1, {}],
      ['dihedral', 2.5, {}],
      ['dihedral', 8, {}],
      ['resize', 0, {}],
      ['resize', 1e7, {}],
      ['crop', -1, {}],
      ['rotate', NaN, {}],
      ['anisotropy', 0.5, {}],
      ['anisotropy', 2, { axis: 'z' }],
      ['elastic', -1, {}],
    ];
    for (const [name, value, options] of attempts) {
      assert.throws(
        () => spec(name).apply({ image }, value, withDefaults(spec(name), options), context()),
        MisasInputError,
        `${name} ${value}`,
      );
    }
    const label = volume(new Uint8Array(6), [3, 2]);
    assert.throws(() => spec('rotate').apply({ image, label }, 10, {}, context()), /label dims/);
  });
});

describe('spatial transform registry entries', () => {
  it('registers exactly the eight geometric transforms with their kinds', () => {
    assert.deepEqual(
      spatialTransforms.map((t) => t.name),
      ['rotate', 'crop', 'zoom', 'dihedral', 'resize', 'translate', 'elastic', 'anisotropy'],
    );
    for (const t of spatialTransforms) assert.equal(t.kind, t.name === 'anisotropy' ? 'intensity' : 'spatial', t.name);
    assert.equal(spec('elastic').random, true);
  });

  it('describes every transform and includes its identity in the default sweep', () => {
    for (const dims of [
      [24, 18],
      [181, 217, 181],
      [7, 5],
    ]) {
      for (const t of spatialTransforms) {
        assert.ok(t.title && t.description && t.defaultSweepText && t.parameter.name, t.name);
        assert.deepEqual(t.options.interpolation.enum, ['linear', 'nearest'], t.name);
        assert.equal(t.options.interpolation.default, 'linear', t.name);
        const values = defaultValuesFor(t, dims);
        const identity = t.identityFor ? t.identityFor(dims) : t.identity;
        assert.ok(values.includes(identity), `${t.name} on [${dims}]: ${identity} in ${values}`);
      }
    }
  });

  it('keeps the misas default sweeps where they are not defects', () => {
    assert.deepEqual(expandSweep(spec('zoom').defaultSweep as Sweep).length, 11);
    assert.deepEqual(
      expandSweep((spec('crop').defaultSweep as (d: readonly number[]) => Sweep)([128, 100])),
      [0, 10, 20, 30, 40, 50],
    );
    assert.deepEqual(expandSweep(spec('dihedral').defaultSweep as Sweep), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(
      expandSweep((spec('resize').defaultSweep as (d: readonly number[]) => Sweep)([128, 100])),
      [32, 45, 64, 91, 128, 181, 256, 362, 512],
    );
  });
});
