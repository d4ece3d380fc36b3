import { strict as assert } from 'node:assert';
import { MisasInputError } from '../../../src/engine/errors';
import { createRandom } from '../../../src/engine/random';
import { readOptions } from '../../../src/engine/transforms/options';
import { getTransform, resolveOptions, transforms } from '../../../src/engine/transforms/registry';
import type { OptionSpecs } from '../../../src/engine/transforms/types';
import { identityAffine } from '../../../src/engine/volume';

const declared = {
  axis: { type: 'string', default: 'y', enum: ['x', 'y'], description: 'an enum' },
  count: { type: 'integer', default: 4, minimum: 1, maximum: 8, description: 'bounded integer' },
  relative: { type: 'boolean', default: true, description: 'a switch' },
  positions: { type: 'string', default: '0.1,0.1', description: 'free text' },
  scale: { type: 'number', default: 0.5, description: 'unbounded number' },
} as const satisfies OptionSpecs;

describe('transform options', () => {
  it('fills in the declared defaults and keeps given values, with types derived from the declarations', () => {
    const options = readOptions('t', declared, { axis: 'x', scale: -2 });
    assert.deepEqual(options, { axis: 'x', count: 4, relative: true, positions: '0.1,0.1', scale: -2 });
    // The types OptionsOf derives: an enum's union, number, boolean, string.
    const axis: 'x' | 'y' = options.axis;
    const count: number = options.count;
    const relative: boolean = options.relative;
    const positions: string = options.positions;
    // @ts-expect-error an enum option is its values' union, not any string
    const onlyX: 'x' = options.axis;
    // @ts-expect-error a number option is not a string
    const text: string = options.count;
    assert.deepEqual([axis, count, relative, positions, onlyX, text], ['x', 4, true, '0.1,0.1', 'x', 4]);
  });

  it('refuses a value that does not fit its declaration, naming the option and the transform', () => {
    const refusals: [Record<string, number | boolean | string>, RegExp][] = [
      [{ axis: 'z' }, /option "axis" of transform "t" must be one of x, y, got "z"/],
      [{ count: 2.5 }, /option "count" of transform "t" must be integer, got 2.5/],
      [{ count: 0 }, /option "count" of transform "t" must be at least 1, got 0/],
      [{ count: 9 }, /option "count" of transform "t" must be at most 8, got 9/],
      [{ relative: 'yes' }, /option "relative" of transform "t" must be boolean, got "yes"/],
      [{ scale: '1' }, /option "scale" of transform "t" must be number, got "1"/],
    ];
    for (const [given, message] of refusals) {
      assert.throws(
        () => readOptions('t', declared, given),
        (thrown: unknown) => thrown instanceof MisasInputError && message.test(thrown.message),
        JSON.stringify(given),
      );
    }
  });

  it('leaves out options that are not declared when applying (a run folder from an older version), but an experiment may not name them', () => {
    assert.deepEqual(Object.keys(readOptions('t', declared, { retired: 1 })), [
      'axis',
      'count',
      'relative',
      'positions',
      'scale',
    ]);
    assert.throws(
      () => resolveOptions(getTransform('gamma'), { clamp: 'none' }),
      /transform "gamma" has no option "clamp"; it takes: none/,
    );
  });

  it("every transform's defaults pass its own declarations, and applying checks what it is given", () => {
    for (const spec of transforms) {
      const defaults = Object.fromEntries(Object.entries(spec.options).map(([key, option]) => [key, option.default]));
      assert.deepEqual(resolveOptions(spec, {}), defaults, spec.name);
    }
    const image = {
      data: new Float32Array(16).fill(1),
      dims: [4, 4],
      spacing: [1, 1],
      affine: identityAffine(),
      channels: 1,
    };
    const random = createRandom(1);
    assert.throws(
      () => getTransform('motion').apply({ image }, 1, { ordering: 'random' }, { random }),
      /option "ordering" of transform "motion" must be one of centric, sequential/,
    );
    assert.throws(
      () => getTransform('rotate').apply({ image }, 1, { interpolation: 'cubic' }, { random }),
      /option "interpolation" of transform "rotate" must be one of linear, nearest/,
    );
  });
});
