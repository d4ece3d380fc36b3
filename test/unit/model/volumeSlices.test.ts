import * as assert from 'node:assert/strict';
import type { ModelCard } from '../../../src/engine/model/cardTypes';
import { applyIntensityMap, intensityMapFor } from '../../../src/engine/model/normalize';
import { extractSlice, padValueOf, prepareImage, toModelChannels } from '../../../src/engine/model/preprocess';
import { identityAffine, type Volume } from '../../../src/engine/volume';

/**
 * A 2D model on a volume gets its slices made one at a time (no float copy of the volume,
 * issue 16). The reference here is the earlier way, written out from the public steps: the
 * whole volume copied to float32 model channels, normalised with whole-volume statistics, and
 * sliced. Values, pad values and maps must be bit-identical.
 */
function card(normalization: ModelCard['normalization'], overrides: Partial<ModelCard> = {}): ModelCard {
  return {
    spatialDims: 2,
    layout: 'NCHW',
    channels: 1,
    channelMode: 'grey',
    geometry: { policy: 'pad-crop', size: [16, 16], padValue: 'min' },
    normalization,
    output: { kind: 'logits', name: 'logits', layout: 'NCHW' },
    classes: ['background', 'object'],
    sliceAxis: 2,
    orientation: 'as-stored',
    ...overrides,
  } as ModelCard;
}

/** Irregular values (not a smooth ramp) so that summation order would show in the last bits. */
function volumeOf(dims: number[], channels: number, Type: Float64ArrayConstructor | Uint8ArrayConstructor): Volume {
  const n = dims[0] * dims[1] * dims[2] * channels;
  const data = new Type(n);
  let state = 12345;
  for (let i = 0; i < n; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    data[i] = Type === Uint8Array ? state % 251 : (state / 2147483648) * 1000 - 137.25;
  }
  return { data, dims, spacing: [1, 1, 1], affine: identityAffine(), channels };
}

function wholeCopyReference(volume: Volume, c: ModelCard): { slices: Float32Array[][]; padValue: number } {
  const voxels = volume.dims[0] * volume.dims[1] * volume.dims[2];
  const planes = toModelChannels(
    Array.from(
      { length: volume.channels },
      (_, k) => new Float32Array(volume.data.subarray(k * voxels, (k + 1) * voxels)),
    ),
    c.channels,
  );
  const axis = c.sliceAxis ?? 2;
  if (c.normalization.statistics === 'image') applyIntensityMap(intensityMapFor(c.normalization, planes), planes);
  const slices = Array.from({ length: volume.dims[axis] }, (_, i) =>
    planes.map((plane) => extractSlice(plane, volume.dims, axis, i)),
  );
  return { slices, padValue: c.normalization.statistics === 'image' ? padValueOf(c, planes) : 0 };
}

describe('a volume for a 2D model, prepared slice by slice', () => {
  const normalizations: ModelCard['normalization'][] = [
    { kind: 'z-score', statistics: 'image' },
    { kind: 'percentile', lo: 0.5, hi: 99.5, statistics: 'image' },
    { kind: 'min-max', statistics: 'image' },
    { kind: 'scale', factor: 1 / 255, statistics: 'image' },
    { kind: 'z-score', statistics: 'slice' },
  ];
  for (const normalization of normalizations) {
    for (const [Type, channels, modelChannels] of [
      [Float64Array, 1, 1],
      [Uint8Array, 3, 1],
      [Uint8Array, 1, 3],
    ] as const) {
      for (const sliceAxis of [0, 1, 2] as const) {
        it(`${normalization.kind} (${normalization.statistics}), ${Type.name} ×${channels} → ${modelChannels} channels, slices along axis ${sliceAxis}: equal to a whole float32 copy`, () => {
          const volume = volumeOf([13, 11, 7], channels, Type);
          const c = card(normalization, { sliceAxis, channels: modelChannels });
          const prepared = prepareImage(volume, c);
          const reference = wholeCopyReference(volume, c);
          assert.equal(prepared.planes.length, 0, 'no whole-volume planes are kept');
          assert.equal(prepared.normalized, normalization.statistics === 'image');
          assert.equal(prepared.padValue, reference.padValue);
          reference.slices.forEach((expected, i) => assert.deepEqual(prepared.slicePlanes!(i), expected, `slice ${i}`));
        });
      }
    }
  }

  it('the pad value is 0 where the geometry step never pads with the minimum', () => {
    const volume = volumeOf([5, 4, 3], 1, Float64Array);
    const resize = card(
      { kind: 'z-score', statistics: 'image' },
      { geometry: { policy: 'resize', size: [8, 8], padValue: 'min' } },
    );
    assert.equal(prepareImage(volume, resize).padValue, 0);
    assert.ok(prepareImage(volume, card({ kind: 'z-score', statistics: 'image' })).padValue < 0);
  });
});
