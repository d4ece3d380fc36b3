/** The metrics against numpy/scipy goldens (tools/goldens/metrics.py, tools/goldens/volume.py). */
import * as assert from 'node:assert/strict';
import { assertAllClose, dimsOf, loadGoldens, type GoldenArray } from '../../helpers/goldens';
import {
  computeMetrics,
  confusionMatrix,
  directedDistances,
  distanceToFeatures,
  maskEdges,
  surfaceDistances,
  type MetricName,
} from '../../../src/engine/metrics';
import { baselineVolumesOf } from '../../../src/engine/sweep/run/score';
import { identityAffine, type Volume } from '../../../src/engine/volume';

const edt = loadGoldens('metrics/edt.json');
const surface = loadGoldens('metrics/surface.json');
const volumes = loadGoldens('metrics/volume.json');
/** The overlap and surface metrics that labels.json holds. */
const SIX: MetricName[] = ['dice', 'iou', 'precision', 'recall', 'hd95', 'assd'];
const labels = loadGoldens('metrics/labels.json');

function labelVolume(array: GoldenArray, spacing: number[]): Volume {
  return {
    data: Uint8Array.from(array.data),
    dims: dimsOf(array),
    spacing,
    affine: identityAffine(spacing),
    channels: 1,
  };
}

/** Golden "nan" stands for the engine's null (undefined metric). */
function asGolden(values: (number | null)[]): number[] {
  return values.map((v) => (v === null ? NaN : v));
}

function decodeScalar(value: unknown): number {
  return value === 'inf' ? Infinity : value === 'nan' ? NaN : (value as number);
}

describe('distanceToFeatures (exact anisotropic EDT) vs scipy distance_transform_edt', () => {
  for (const [name, golden] of Object.entries(edt.cases)) {
    it(name, () => {
      const input = golden.arrays.input;
      const spacing = golden.params.spacing as number[];
      // scipy measures from non-zero voxels to the nearest zero voxel.
      const isFeature = input.data.map((v) => (v === 0 ? 1 : 0));
      const distance = distanceToFeatures(isFeature, dimsOf(input), spacing);
      assertAllClose(distance, golden.arrays.distance.data, { rtol: 1e-9, atol: 1e-12, label: name });
    });
  }
});

describe('surface distances vs scipy (binary_erosion edges, distance_transform_edt, numpy percentile)', () => {
  for (const [name, golden] of Object.entries(surface.cases)) {
    it(name, () => {
      const spacing = golden.params.spacing as number[];
      const dims = dimsOf(golden.arrays.pred);
      const pred = Uint8Array.from(golden.arrays.pred.data);
      const truth = Uint8Array.from(golden.arrays.truth.data);
      const predToTruth = directedDistances(maskEdges(pred, dims), maskEdges(truth, dims), dims, spacing).sort();
      const truthToPred = directedDistances(maskEdges(truth, dims), maskEdges(pred, dims), dims, spacing).sort();
      assertAllClose(predToTruth, golden.arrays.pred_to_truth_sorted.data, { rtol: 1e-9, label: `${name} d(P→G)` });
      assertAllClose(truthToPred, golden.arrays.truth_to_pred_sorted.data, { rtol: 1e-9, label: `${name} d(G→P)` });
      const { hd95, assd } = surfaceDistances(pred, truth, dims, spacing);
      assertAllClose([hd95!, assd!], [decodeScalar(golden.params.hd95), decodeScalar(golden.params.assd)], {
        rtol: 1e-9,
        label: name,
      });
    });
  }
});

describe('computeMetrics on multi-class label maps vs numpy/scipy', () => {
  for (const [name, golden] of Object.entries(labels.cases)) {
    it(`${name}: all six metrics per class, empty flags and confusion matrix`, () => {
      const spacing = golden.params.spacing as number[];
      const numClasses = golden.params.numClasses as number;
      const pred = labelVolume(golden.arrays.pred, spacing);
      const truth = labelVolume(golden.arrays.truth, spacing);
      const result = computeMetrics(pred, truth, { classes: numClasses, metrics: SIX, confusion: true });
      const classes = Array.from({ length: numClasses }, (_, c) => c);
      assert.deepEqual(result.classes, classes);
      for (const metric of SIX) {
        const values = asGolden(classes.map((c) => result.values[metric]![c]));
        assertAllClose(values, golden.arrays[metric].data, { rtol: 1e-9, label: `${name} ${metric}` });
      }
      assert.deepEqual(
        classes.map((c) => (result.empty[c] ? 1 : 0)),
        golden.arrays.empty.data,
      );
      assert.deepEqual(result.confusion!.flat(), golden.arrays.confusion.data);
      assert.deepEqual(confusionMatrix(pred, truth, numClasses).flat(), golden.arrays.confusion.data);
    });
  }

  it('gives the same surface distances for a class subset in any order (bounding-box crop is exact)', () => {
    const golden = labels.cases.labels_3d_smooth;
    const spacing = golden.params.spacing as number[];
    const pred = labelVolume(golden.arrays.pred, spacing);
    const truth = labelVolume(golden.arrays.truth, spacing);
    const result = computeMetrics(pred, truth, { classes: [2, 0], metrics: ['hd95', 'assd'] });
    assertAllClose(
      [result.values.hd95![2]!, result.values.hd95![0]!],
      [golden.arrays.hd95.data[2], golden.arrays.hd95.data[0]],
      { rtol: 1e-9 },
    );
    assertAllClose(
      [result.values.assd![2]!, result.values.assd![0]!],
      [golden.arrays.assd.data[2], golden.arrays.assd.data[0]],
      { rtol: 1e-9 },
    );
    assert.equal(result.values.dice, undefined, 'only the requested metrics are present');
  });
});

describe('volumes and volume change vs numpy (tools/goldens/volume.py)', () => {
  const VOLUME_METRICS: MetricName[] = ['volume', 'volume_truth', 'dvol', 'dvol_baseline'];
  for (const [name, golden] of Object.entries(volumes.cases)) {
    it(`${name}: volumes in mm³ (mm² in 2D), ΔVolume% against the truth and the baseline prediction`, () => {
      const spacing = golden.params.spacing as number[];
      const numClasses = golden.params.numClasses as number;
      const pred = labelVolume(golden.arrays.pred, spacing);
      const truth = labelVolume(golden.arrays.truth, spacing);
      const base = labelVolume(golden.arrays.base, spacing);
      const classNames = Array.from({ length: numClasses }, (_, c) => `c${c}`);
      const result = computeMetrics(pred, truth, {
        classes: numClasses,
        metrics: VOLUME_METRICS,
        baselineVolumes: baselineVolumesOf(base, classNames),
      });
      const classes = Array.from({ length: numClasses }, (_, c) => c);
      for (const metric of VOLUME_METRICS) {
        const values = asGolden(classes.map((c) => result.values[metric]![c]));
        assertAllClose(values, golden.arrays[metric].data, { rtol: 1e-9, label: `${name} ${metric}` });
      }
      // The cases hold a class with no truth (dvol null, not Infinity) and one the prediction lost (−100%).
      assert.ok(classes.some((c) => result.values.dvol![c] === null && result.values.volume![c]! > 0));
      assert.ok(classes.some((c) => result.values.dvol![c] === -100));
    });
  }

  it('asks for the baseline volumes when dvol_baseline is wanted', () => {
    const golden = volumes.cases.volume_2d_aniso;
    const pred = labelVolume(golden.arrays.pred, golden.params.spacing as number[]);
    assert.throws(
      () => computeMetrics(pred, pred, { classes: 2, metrics: ['dvol_baseline'] }),
      /needs the volumes of the baseline prediction/,
    );
  });
});
