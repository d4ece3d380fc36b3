import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { readIntensityFacts, type IntensityFacts } from '../../../src/engine/io/intensityFacts';
import type { NormalizationKind } from '../../../src/engine/model/cardTypes';
import {
  checkNormalization,
  describeFacts,
  factorText,
  impliedNormalization,
} from '../../../src/extension/workspace/intensityFit';

const KINDS: NormalizationKind[] = ['none', 'min-max', 'z-score', 'percentile', 'fixed', 'scale'];
const facts = (dtype: string, min: number, max: number, integers = true, dims = [64, 64]): IntensityFacts => ({
  dtype,
  dims,
  channels: 1,
  min,
  max,
  mean: (min + max) / 2,
  sd: (max - min) / 4,
  p1: min,
  p99: max,
  integers,
});
const verdicts = (images: IntensityFacts[]) =>
  Object.fromEntries(KINDS.map((kind) => [kind, checkNormalization({ kind }, images).verdict]));

describe('extension/workspace/intensityFit: which normalisation the images imply or contradict', () => {
  it('an 8-bit image implies ×1/255 (into 0…1); z-score, min-max, percentile, fixed and none stay open', () => {
    assert.deepEqual(verdicts([facts('uint8', 3, 201)]), {
      none: 'open',
      'min-max': 'open',
      'z-score': 'open',
      percentile: 'open',
      fixed: 'open',
      scale: 'fits',
    });
    assert.equal(impliedNormalization(KINDS, [facts('uint8', 3, 201)]), 'scale');
  });

  it('×1/255 on a uint16 image with maximum 4000 is contradicted, and nothing is implied', () => {
    const check = checkNormalization({ kind: 'scale', factor: 1 / 255 }, [facts('uint16', 0, 4000)]);
    assert.deepEqual(check, {
      verdict: 'contradicted',
      effect: '×1/255 → 0…15.7',
      why: 'leaves 0…1: the values reach 0…4000',
    });
    assert.equal(impliedNormalization(KINDS, [facts('uint16', 0, 4000)]), undefined);
  });

  it('"none" fits a float image already within 0…1; ×1/255 contradicts it (no 8-bit encoding to undo)', () => {
    const unit = [facts('float32', 0, 1, false)];
    assert.equal(impliedNormalization(KINDS, unit), 'none');
    assert.equal(checkNormalization({ kind: 'scale' }, unit).verdict, 'contradicted');
  });

  it('signed CT-like values: nothing implied, ×1/255 contradicted', () => {
    assert.equal(impliedNormalization(KINDS, [facts('int16', -1024, 3071)]), undefined);
    assert.equal(checkNormalization({ kind: 'scale' }, [facts('int16', -1024, 3071)]).verdict, 'contradicted');
  });

  it('a constant image contradicts the statistics-based choices (they divide by zero)', () => {
    const constant = [facts('uint8', 7, 7)];
    for (const kind of ['min-max', 'z-score', 'percentile'] as const)
      assert.equal(checkNormalization({ kind }, constant).verdict, 'contradicted', kind);
  });

  it('over several images: fits only when every image fits, contradicted when any is', () => {
    const mixed = [facts('uint8', 0, 255), facts('uint16', 0, 4000)];
    const scale = checkNormalization({ kind: 'scale' }, mixed);
    assert.equal(scale.verdict, 'contradicted');
    assert.match(scale.why!, /\(in 1 of 2 images\)$/);
    assert.equal(impliedNormalization(KINDS, mixed), undefined);
    assert.equal(impliedNormalization(KINDS, [facts('uint8', 0, 255), facts('uint8', 0, 90)]), 'scale');
    assert.equal(describeFacts(mixed), 'uint8/uint16, 0…4000 (p1 0, p99 4000)');
  });

  it("the example's real uint8 images: facts as the wizard shows them, ×1/255 implied", async () => {
    const images = await Promise.all(
      ['colin27_z065_image.png', 'colin27_z085_image.png'].map((name) =>
        readIntensityFacts(join(import.meta.dirname, '..', '..', '..', 'examples', 'colin27', 'data', name)),
      ),
    );
    assert.match(describeFacts(images), /^uint8, 0…\d+ \(p1 0, p99 \d+\)$/);
    assert.equal(impliedNormalization(KINDS, images), 'scale');
    assert.equal(factorText(1 / 255), '1/255');
    assert.equal(factorText(0.5), '0.5');
  });
});
