import * as assert from 'node:assert/strict';
import { intensityTransforms } from '../../../../src/engine/transforms/intensity';
import { defaultValuesFor } from '../../../../src/engine/transforms/registry';
import { expandSweep } from '../../../../src/engine/transforms/sweep';
import { MisasInputError } from '../../../../src/engine/errors';
import { identityAffine, type Volume } from '../../../../src/engine/volume';
import { createRandom } from '../../../../src/engine/random';
import { assertAllClose } from '../../../helpers/goldens';
import { applyNamed, specNamed, testVolume } from './helpers';

const NAMES = [
  'brightness',
  'contrast',
  'gamma',
  'gaussian-noise',
  'rician-noise',
  'blur',
  'spike',
  'spike-position',
  'ghosting',
  'bias-field',
  'motion',
  'gibbs',
  'occlusion',
];
/** spike-position has no value that leaves the image unchanged (there is always a spike). */
const WITHOUT_NO_OP = new Set(['spike-position']);

describe('intensity transform registry', () => {
  it('registers exactly the thirteen intensity transforms, all of kind intensity', () => {
    assert.deepEqual(intensityTransforms.map((spec) => spec.name).sort(), [...NAMES].sort());
    for (const spec of intensityTransforms) assert.equal(spec.kind, 'intensity', spec.name);
  });

  it('describes every parameter and includes the identity value in every default sweep', () => {
    for (const spec of intensityTransforms) {
      assert.ok(spec.title && spec.description && spec.defaultSweepText, spec.name);
      assert.ok(spec.parameter.name && typeof spec.parameter.unit === 'string', spec.name);
      // Only occlusion's default sweep depends on the image (its grid of patches).
      assert.equal(typeof spec.defaultSweep === 'function', spec.name === 'occlusion', spec.name);
      const values = defaultValuesFor(spec, [40, 30]);
      if (!WITHOUT_NO_OP.has(spec.name))
        assert.ok(values.includes(spec.identity), `${spec.name}: ${spec.identity} not in ${values.join(', ')}`);
      for (const [key, option] of Object.entries(spec.options)) assert.ok(option.description, `${spec.name}.${key}`);
    }
  });

  it('keeps the misas default sweeps for spike, spike position and bias field', () => {
    const values = (name: string) =>
      expandSweep(specNamed(name).defaultSweep as { start: number; stop: number; step: number });
    assert.deepEqual(values('spike').length, 26);
    assert.deepEqual(values('spike-position'), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    assert.equal(values('bias-field').at(-1), -0.55);
    assert.equal(specNamed('spike-position').options.intensity.default, 0.1);
    const brightness = expandSweep(
      specNamed('brightness').defaultSweep as { start: number; stop: number; steps: number; scale: 'log' },
    );
    assert.equal(brightness[0], 0.25);
    assert.equal(brightness.at(-1), 4);
  });
});

/** A value of each transform that changes a test image. */
const AWAY_FROM_IDENTITY: Record<string, number> = {
  brightness: 2,
  contrast: 2,
  gamma: 2,
  'gaussian-noise': 0.2,
  'rician-noise': 0.2,
  blur: 1,
  spike: 0.5,
  'spike-position': 0.3,
  ghosting: 0.5,
  'bias-field': -0.3,
  motion: 5,
  gibbs: 0.5,
  occlusion: 0,
};

describe('intensity transforms at their identity value', () => {
  const images: Array<[string, Volume]> = [
    ['2D', testVolume([13, 10])],
    ['3D', testVolume([9, 8, 5])],
    ['2-channel 2D', testVolume([12, 9], 2)],
  ];
  for (const spec of intensityTransforms.filter((s) => !WITHOUT_NO_OP.has(s.name))) {
    for (const [kind, image] of images) {
      it(`${spec.name} gives a ${kind} image back`, () => {
        const label: Volume = {
          data: new Uint8Array(image.data.length / image.channels).fill(2),
          dims: image.dims,
          spacing: image.spacing,
          affine: identityAffine(),
          channels: 1,
        };
        const out = spec.apply({ image, label }, spec.identity, {}, { random: createRandom(3) });
        assert.equal(out.label, label, 'label map returned unchanged');
        assert.ok(out.image.data instanceof Float32Array);
        assertAllClose(out.image.data, image.data, { rtol: 1e-6, atol: 1e-5, label: spec.name });
      });
    }
  }

  it('leaves the input volume untouched', () => {
    const image = testVolume([10, 8]);
    const before = Float32Array.from(image.data);
    for (const spec of intensityTransforms)
      spec.apply({ image }, AWAY_FROM_IDENTITY[spec.name], {}, { random: createRandom(1) });
    assert.deepEqual(image.data, before);
  });

  it('changes the image away from the identity value', () => {
    const image = testVolume([16, 12]);
    for (const spec of intensityTransforms) {
      const out = applyNamed(spec.name, image, AWAY_FROM_IDENTITY[spec.name]);
      let diff = 0;
      for (let i = 0; i < image.data.length; i++) diff = Math.max(diff, Math.abs(out.data[i] - image.data[i]));
      assert.ok(diff > 1e-3, `${spec.name} changed nothing`);
    }
  });
});

describe('intensity transform input checks', () => {
  it('refuses impossible parameters and options with MisasInputError', () => {
    const image = testVolume([10, 8]);
    assert.throws(() => applyNamed('blur', image, -1), MisasInputError);
    assert.throws(() => applyNamed('gaussian-noise', image, -0.1), MisasInputError);
    assert.throws(() => applyNamed('ghosting', image, 0.5, { axis: 'z' }), /axis z does not exist in a 2D image/);
    assert.throws(() => applyNamed('ghosting', image, 0.5, { ghosts: 0 }), MisasInputError);
    assert.throws(() => applyNamed('spike', image, 0.5, { positions: '0.1,1.2' }), MisasInputError);
    assert.throws(() => applyNamed('gibbs', image, 1.5), MisasInputError);
    assert.throws(() => applyNamed('bias-field', image, 0.1, { order: 9 }), MisasInputError);
  });
});
