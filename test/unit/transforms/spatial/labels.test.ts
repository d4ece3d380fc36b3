import * as assert from 'node:assert/strict';
import { spatialTransforms } from '../../../../src/engine/transforms/spatial';
import { context, lcgValues, spec, volume, withDefaults } from './helpers';

const LABEL_VALUES = [0, 3, 7, 200];

/** A 24×18 label map of blocks and a diagonal band holding 0, 3, 7 and 200, sharp class borders everywhere. */
function labelMap(): Uint8Array {
  const [nx, ny] = [24, 18];
  const data = new Uint8Array(nx * ny);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      let v = 0;
      if (x >= 3 && x < 12 && y >= 2 && y < 10) v = 3;
      if (x >= 12 && x < 21 && y >= 5 && y < 15) v = 7;
      if (Math.abs(x - y - 4) <= 1 && x > 6) v = 200;
      data[x + nx * y] = v;
    }
  }
  return data;
}

/** Several parameter values per transform, most of them between pixels. */
const VALUES: Record<string, number[]> = {
  rotate: [-170, -33.3, 45, 90, 123.7],
  crop: [0, 3, 9.4, 11],
  zoom: [0.15, 0.5, 0.83, 1],
  dihedral: [0, 1, 2, 3, 4, 5, 6, 7],
  resize: [7, 13, 31, 50],
  translate: [-3.5, 2.25, 7, -11.7],
  elastic: [1.5, 4, 9],
  anisotropy: [1, 2.5, 4],
};

describe('spatial transforms never invent label values', () => {
  for (const transform of spatialTransforms) {
    for (const interpolation of ['linear', 'nearest']) {
      it(`${transform.name} (${interpolation} image) keeps every label value in {0, 3, 7, 200}`, () => {
        const label = volume(labelMap(), [24, 18]);
        const image = volume(lcgValues(24 * 18, 5), [24, 18]);
        const values = VALUES[transform.name];
        assert.ok(values, `test values for ${transform.name}`);
        for (const value of values) {
          const options = withDefaults(transform, {
            interpolation,
            ...(transform.name === 'translate' ? { axis: value > 0 ? 'x' : 'y' } : {}),
          });
          const output = transform.apply({ image, label }, value, options, context(11));
          assert.ok(output.label, `${transform.name} ${value}: label returned`);
          assert.ok(output.label.data instanceof Uint8Array, `${transform.name} ${value}: label type kept`);
          assert.deepEqual(output.label.dims, output.image.dims, `${transform.name} ${value}: label on the image grid`);
          const seen = new Set(output.label.data);
          for (const v of seen)
            assert.ok(LABEL_VALUES.includes(v), `${transform.name} ${value}: label value ${v} was not in the input`);
        }
      });
    }
  }

  it('moves the label with the image (rotate and elastic agree between a label and the same map as image, nearest)', () => {
    const data = labelMap();
    const label = volume(data, [24, 18]);
    const image = volume(Float32Array.from(data), [24, 18]);
    for (const name of ['rotate', 'zoom', 'resize', 'translate', 'elastic', 'dihedral', 'crop']) {
      const transform = spec(name);
      const value = { rotate: 37, zoom: 0.4, resize: 31, translate: 2.6, elastic: 5, dihedral: 3, crop: 4 }[
        name
      ] as number;
      const options = withDefaults(transform, { interpolation: 'nearest', fill: 'zero' });
      const output = transform.apply({ image, label }, value, options, context(3));
      assert.deepEqual(Array.from(output.image.data), Array.from(output.label!.data), name);
    }
  });

  it('anisotropy leaves the label map as it is', () => {
    const label = volume(labelMap(), [24, 18]);
    const image = volume(lcgValues(24 * 18, 5), [24, 18]);
    const output = spec('anisotropy').apply({ image, label }, 3, withDefaults(spec('anisotropy')), context());
    assert.equal(output.label, label);
    assert.equal(spec('anisotropy').kind, 'intensity');
  });
});
