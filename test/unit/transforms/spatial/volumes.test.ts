import * as assert from 'node:assert/strict';
import { spatialTransforms } from '../../../../src/engine/transforms/spatial';
import { planesOf } from '../../../../src/engine/volume';
import { context, lcgValues, volume, withDefaults } from './helpers';

const VALUE: Record<string, number> = {
  rotate: 33,
  crop: 3,
  zoom: 0.4,
  dihedral: 3,
  resize: 29,
  translate: -2.7,
  elastic: 3.5,
  anisotropy: 3,
};

describe('spatial transforms on volumes and multi-channel images', () => {
  for (const transform of spatialTransforms) {
    it(`${transform.name} transforms each slice and channel exactly like the 2D image of that slice`, () => {
      const [nx, ny, nz, channels] = [14, 11, 3, 2];
      const image = volume(lcgValues(nx * ny * nz * channels, 23), [nx, ny, nz], channels);
      const label = volume(Int32Array.from(lcgValues(nx * ny * nz, 2, 4), Math.floor), [nx, ny, nz]);
      // fill 'zero': with 'min' the fill is the minimum of the whole channel, not of one slice.
      // anisotropy along y is in-plane; its default for volumes is z (tested against scipy).
      const options = withDefaults(transform, { fill: 'zero', axis: transform.name === 'anisotropy' ? 'y' : 'x' });
      const value = VALUE[transform.name];
      const output = transform.apply({ image, label }, value, options, context(5));
      const outPlanes = planesOf(output.image.data, output.image.dims);
      const outLabels = planesOf(output.label!.data, output.label!.dims);
      const labelPlanes = planesOf(label.data, label.dims);
      planesOf(image.data, image.dims).forEach((plane, p) => {
        const slice = volume(plane, [nx, ny]);
        const sliceLabel = volume(labelPlanes[p % nz], [nx, ny]);
        const expected = transform.apply({ image: slice, label: sliceLabel }, value, options, context(5));
        assert.deepEqual(output.image.dims.slice(0, 2), expected.image.dims);
        assert.deepEqual(Array.from(outPlanes[p]), Array.from(expected.image.data), `plane ${p}`);
        if (p < nz) assert.deepEqual(Array.from(outLabels[p]), Array.from(expected.label!.data), `label plane ${p}`);
      });
    });
  }

  it("fills with each channel's minimum over the whole volume by default", () => {
    const [nx, ny, nz] = [8, 8, 2];
    const data = new Float32Array(nx * ny * nz * 2).fill(50);
    data[3] = 10; // channel 0, slice 0
    data[nx * ny * nz + nx * ny + 5] = -4; // channel 1, slice 1
    const output = spatialTransforms
      .find((t) => t.name === 'crop')!
      .apply({ image: volume(data, [nx, ny, nz], 2) }, 1, withDefaults(spatialTransforms[1]), context());
    const planes = planesOf(output.image.data, output.image.dims);
    assert.deepEqual([planes[0][0], planes[1][0], planes[2][0], planes[3][0]], [10, 10, -4, -4]);
  });
});
