import * as assert from 'node:assert/strict';
import {
  CalibrationAccumulator,
  classProbabilities,
  ECE_BINS,
  eceBin,
  type Calibration,
} from '../../../src/engine/metrics/calibration';
import { assertAllClose, loadGoldens } from '../../helpers/goldens';

const goldens = loadGoldens('metrics/calibration.json');

function calibrationOf(
  probabilities: Float32Array,
  classCount: number,
  labels: number[],
  truth?: number[],
): Calibration {
  const accumulator = new CalibrationAccumulator(classCount);
  accumulator.add(probabilities, labels.length, labels, truth);
  return accumulator.result();
}

describe('confidence and calibration (golden: tools/goldens/calibration.py)', () => {
  for (const [name, golden] of Object.entries(goldens.cases)) {
    it(`${name}: probabilities, per-class confidence, entropy, confidently wrong, classwise and top-label ECE`, () => {
      const { planes, truth, labels } = golden.arrays;
      const [k, ny, nx] = planes.shape;
      const voxels = ny * nx;
      const outcome = classProbabilities(golden.params.kind as 'logits', Float32Array.from(planes.data), k, voxels);
      assert.ok('probabilities' in outcome, JSON.stringify(outcome));
      assert.equal(outcome.classCount, golden.params.classCount);
      assertAllClose(outcome.probabilities, golden.arrays.probabilities.data, {
        rtol: 1e-6,
        atol: 1e-7,
        label: 'probabilities',
      });
      const result = calibrationOf(outcome.probabilities, outcome.classCount, labels.data, truth.data);
      const close = (actual: number[], expected: number[], label: string) =>
        assertAllClose(actual, expected, { rtol: 1e-6, atol: 1e-9, label });
      close(
        result.classes.map((c) => c.confidence),
        golden.arrays.confidence.data,
        'confidence',
      );
      close(
        result.classes.map((c) => c.entropy),
        golden.arrays.entropy.data,
        'entropy',
      );
      close(
        result.classes.map((c) => c.confidentlyWrong),
        golden.arrays.confidentlyWrong.data,
        'confidently wrong',
      );
      close(
        result.classes.map((c) => c.ece),
        golden.arrays.classwiseEce.data,
        'classwise ECE',
      );
      close([result.ece], golden.arrays.ece.data, 'top-label ECE');
      close([result.confidentlyWrong], golden.arrays.allConfidentlyWrong.data, 'confidently wrong, all pixels');
    });
  }

  it('gives the same numbers when a volume adds its slices one by one', () => {
    const { planes, truth, labels } = goldens.cases.random_k4.arrays;
    const [k, ny, nx] = planes.shape;
    const whole = classProbabilities('logits', Float32Array.from(planes.data), k, ny * nx);
    assert.ok('probabilities' in whole);
    const sliced = new CalibrationAccumulator(k);
    // Rows as "slices": each call gets its own planar probabilities for nx pixels.
    for (let y = 0; y < ny; y++) {
      const slice = new Float32Array(k * nx);
      for (let c = 0; c < k; c++)
        slice.set(whole.probabilities.subarray(c * ny * nx + y * nx, c * ny * nx + (y + 1) * nx), c * nx);
      sliced.add(slice, nx, labels.data, truth.data, y * nx);
    }
    const once = calibrationOf(whole.probabilities, k, labels.data, truth.data);
    const parts = sliced.result();
    assertAllClose([parts.ece, parts.confidentlyWrong], [once.ece, once.confidentlyWrong], { rtol: 1e-12, atol: 0 });
    for (let c = 0; c < k; c++) {
      const a = parts.classes[c],
        b = once.classes[c];
      assertAllClose(
        [a.confidence, a.entropy, a.confidentlyWrong, a.ece],
        [b.confidence, b.entropy, b.confidentlyWrong, b.ece],
        {
          rtol: 1e-12,
          atol: 0,
          label: `class ${c}`,
        },
      );
    }
  });

  it('works out a two-pixel example by hand', () => {
    // Pixel 0: p = (0.95, 0.05), predicted 0, truth 1 → confidently wrong. Pixel 1: p = (0.3, 0.7), predicted 1, truth 1.
    const result = calibrationOf(Float32Array.of(0.95, 0.3, 0.05, 0.7), 2, [0, 1], [1, 1]);
    const h = (p: number) => -(p * Math.log(p) + (1 - p) * Math.log(1 - p)) / Math.log(2);
    assert.ok(Math.abs(result.classes[0].confidence - 0.95) < 1e-7);
    assert.ok(Math.abs(result.classes[1].entropy - h(0.7)) < 1e-7);
    assert.deepEqual(
      result.classes.map((c) => c.confidentlyWrong),
      [1, 0],
    );
    assert.equal(result.confidentlyWrong, 0.5);
    // Top label: 0.95 (miss) in bin 14, 0.7 (hit) in bin 10 → (|0 − 0.95| + |1 − 0.7|) / 2.
    assert.ok(Math.abs(result.ece - (0.95 + 0.3) / 2) < 1e-7, String(result.ece));
    // Class 1: p = 0.05 (truth 1) in bin 0 and 0.7 (truth 1) in bin 10 → (|1 − 0.05| + |1 − 0.7|) / 2.
    assert.ok(Math.abs(result.classes[1].ece - (0.95 + 0.3) / 2) < 1e-7, String(result.classes[1].ece));
  });

  it('without truth: confidence and entropy only, the rest NaN', () => {
    const result = calibrationOf(Float32Array.of(0.95, 0.3, 0.05, 0.7), 2, [0, 1]);
    assert.ok(Math.abs(result.classes[0].confidence - 0.95) < 1e-7);
    assert.ok(Number.isNaN(result.ece) && Number.isNaN(result.confidentlyWrong));
    assert.ok(result.classes.every((c) => Number.isNaN(c.ece) && Number.isNaN(c.confidentlyWrong)));
  });

  it('puts probabilities on bin edges into the lower bin, and 0 into the first', () => {
    assert.equal(eceBin(0), 0);
    assert.equal(eceBin(1 / ECE_BINS), 0);
    assert.equal(eceBin(1 / ECE_BINS + 1e-12), 1);
    assert.equal(eceBin(14 / ECE_BINS), 13);
    assert.equal(eceBin(1), ECE_BINS - 1);
  });

  it('has no probabilities for label outputs or several sigmoid planes, and softmax survives large logits', () => {
    assert.match(JSON.stringify(classProbabilities('labels', new Float32Array(4), 1, 4)), /outputs labels/);
    assert.match(JSON.stringify(classProbabilities('sigmoid', new Float32Array(8), 2, 4)), /independent scores/);
    const big = classProbabilities('logits', Float32Array.of(1000, 0, 999, 0), 2, 2);
    assert.ok('probabilities' in big);
    assertAllClose(big.probabilities, [1 / (1 + Math.exp(-1)), 0.5, 1 / (1 + Math.exp(1)), 0.5], { rtol: 1e-6 });
  });
});
