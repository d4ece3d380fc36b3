import * as assert from 'node:assert/strict';
import { spatialTransforms } from '../../../../src/engine/transforms/spatial';
import { context, lcgValues, volume, withDefaults } from './helpers';

function identityOf(name: string, dims: number[]): number {
  const transform = spatialTransforms.find((t) => t.name === name)!;
  return transform.identityFor ? transform.identityFor(dims) : transform.identity;
}

describe('spatial transforms at their identity value', () => {
  const cases: { title: string; dims: number[]; channels: number }[] = [
    { title: '2D 23×17', dims: [23, 17], channels: 1 },
    { title: '3D 12×15×4', dims: [12, 15, 4], channels: 1 },
    { title: '2-channel 2D 16×10', dims: [16, 10], channels: 2 },
  ];
  for (const transform of spatialTransforms) {
    for (const { title, dims, channels } of cases) {
      for (const interpolation of ['linear', 'nearest']) {
        it(`${transform.name} returns a ${title} image and its label unchanged (${interpolation})`, () => {
          const voxels = dims.reduce((a, n) => a * n, 1);
          const image = volume(
            lcgValues(voxels * channels, 17),
            dims,
            channels,
            dims.map((_, i) => 0.5 + i),
          );
          const labelData = Uint16Array.from(lcgValues(voxels, 4, 5), Math.floor);
          const label = volume(labelData, dims);
          const before = Float32Array.from(image.data);
          const output = transform.apply(
            { image, label },
            identityOf(transform.name, dims),
            withDefaults(transform, { interpolation }),
            context(9),
          );
          assert.deepEqual(output.image.dims, dims);
          assert.deepEqual(output.image.spacing, image.spacing);
          assert.deepEqual(output.image.affine, image.affine);
          assert.equal(output.image.channels, channels);
          assert.deepEqual(Array.from(output.image.data), Array.from(image.data));
          assert.deepEqual(Array.from(output.label!.data), Array.from(labelData));
          assert.deepEqual(image.data, before, 'input untouched');
        });
      }
    }
  }
});
