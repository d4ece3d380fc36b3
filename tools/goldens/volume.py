#!/usr/bin/python3
"""Golden values for volumes and volume change (src/engine/metrics/volume.ts), with numpy.

Run with Debian's python: /usr/bin/python3 tools/goldens/volume.py
Writes test/goldens/metrics/volume.json in the format of test/helpers/goldens.ts.

Definitions used here (the engine must match them):
- voxel size = prod(sampling) (mm^3 for a volume, mm^2 for a 2D image)
- volume = count(pred == c) * voxel size; volume_truth = count(truth == c) * voxel size
- dvol = (V_pred - V_true) / V_true * 100; dvol_baseline = (V_pred - V_base) / V_base * 100,
  V_base the volume of the class in the baseline prediction `base`
- a reference volume of 0 gives nan (null in the engine)
Numpy axis order is (y, x) / (z, y, x): `sampling` below is in that order, the engine's
spacing is its reverse.
"""
import numpy as np
from scipy import ndimage

import golden_json


def smooth_labels(rng, shape, sigma, classes):
    """A label map of `classes` regions: argmax of smoothed random fields, one per class."""
    fields = np.stack([ndimage.gaussian_filter(rng.standard_normal(shape), sigma) for _ in range(classes)])
    return np.argmax(fields, axis=0).astype(np.uint8)


def change(value, reference):
    return np.nan if reference == 0 else (value - reference) / reference * 100


def cases(rng):
    out = {}
    specs = [
        # name, shape, sampling, sigma, classes in the maps, classes asked for
        ('volume_2d_aniso', (20, 24), (0.9, 1.4), 2.0, 4, 6),
        ('volume_3d_aniso', (6, 12, 16), (2.0, 0.8, 0.7), 1.5, 3, 5),
    ]
    for name, shape, sampling, sigma, present, asked in specs:
        truth = smooth_labels(rng, shape, sigma, present)
        base = np.where(rng.random(shape) < 0.9, truth, smooth_labels(rng, shape, sigma, present)).astype(np.uint8)
        pred = np.where(rng.random(shape) < 0.7, base, smooth_labels(rng, shape, sigma, present)).astype(np.uint8)
        # Class `present` only in the prediction (truth and baseline volume 0: dvol and dvol_baseline nan);
        # class `present`+1 only in the truth and the baseline (prediction volume 0: -100%); higher: nowhere.
        pred.ravel()[rng.choice(pred.size, 3, replace=False)] = present
        spots = rng.choice(truth.size, 4, replace=False)
        truth.ravel()[spots] = present + 1
        base.ravel()[spots[:2]] = present + 1
        size = float(np.prod(sampling))
        arrays = {'pred': golden_json.array(pred, 12), 'truth': golden_json.array(truth, 12), 'base': golden_json.array(base, 12)}
        metrics = {'volume': [], 'volume_truth': [], 'dvol': [], 'dvol_baseline': []}
        for c in range(asked):
            vp, vt, vb = np.sum(pred == c) * size, np.sum(truth == c) * size, np.sum(base == c) * size
            metrics['volume'].append(vp)
            metrics['volume_truth'].append(vt)
            metrics['dvol'].append(change(vp, vt))
            metrics['dvol_baseline'].append(change(vp, vb))
        for m, values in metrics.items():
            arrays[m] = golden_json.array(np.array(values, np.float64), 12)
        out[name] = {'params': {'spacing': list(reversed(sampling)), 'numClasses': asked}, 'arrays': arrays}
    return out


def main():
    rng = np.random.default_rng(20261207)
    golden_json.write('metrics', 'volume.json', 'tools/goldens/volume.py', cases(rng))


if __name__ == '__main__':
    main()
