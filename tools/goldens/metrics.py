#!/usr/bin/python3
"""Golden values for src/engine/metrics, computed independently with numpy and scipy.

Run with Debian's python: /usr/bin/python3 tools/goldens/metrics.py
Writes test/goldens/metrics/{edt,surface,labels}.json in the format of test/helpers/goldens.ts.

Definitions used here (the engine must match them):
- edges(X) = X xor scipy.ndimage.binary_erosion(X)  (default cross structure, border_value=0)
- d(P->G) = distance_transform_edt(~edges(G), sampling)[edges(P)]
- HD95 = max(percentile(d(P->G), 95), percentile(d(G->P), 95))   (numpy default 'linear')
- ASSD = (sum d(P->G) + sum d(G->P)) / (|edges P| + |edges G|)
- one mask empty -> inf; both empty -> nan (null in the engine)
- Dice/IoU = 1 when both masks are empty; precision nan when P empty; recall nan when G empty.
Numpy axis order is (y, x) / (z, y, x): `sampling` below is in that order, the engine's
spacing is its reverse.
"""
import os

import numpy as np
from scipy import ndimage

import golden_json

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'goldens', 'metrics')


def array(a, dtype=None):
    return golden_json.array(a, 12, dtype)


def write(name, cases):
    golden_json.write('metrics', name, 'tools/goldens/metrics.py', cases)


def blob(rng, shape, sigma, fraction):
    """A smooth random mask covering about `fraction` of the grid."""
    field = ndimage.gaussian_filter(rng.standard_normal(shape), sigma)
    return field > np.quantile(field, 1 - fraction)


def edges(mask):
    return mask ^ ndimage.binary_erosion(mask)


def surface(p, g, sampling):
    ep, eg = edges(p), edges(g)
    if not ep.any() and not eg.any():
        return np.nan, np.nan, np.zeros(0), np.zeros(0)
    if not ep.any() or not eg.any():
        return np.inf, np.inf, np.zeros(0), np.zeros(0)
    d_pg = ndimage.distance_transform_edt(~eg, sampling=sampling)[ep]
    d_gp = ndimage.distance_transform_edt(~ep, sampling=sampling)[eg]
    hd95 = max(np.percentile(d_pg, 95), np.percentile(d_gp, 95))
    assd = (d_pg.sum() + d_gp.sum()) / (d_pg.size + d_gp.size)
    return hd95, assd, np.sort(d_pg), np.sort(d_gp)


def overlap(p, g):
    inter, np_, ng = np.sum(p & g), np.sum(p), np.sum(g)
    both_empty = np_ == 0 and ng == 0
    dice = 1.0 if both_empty else 2 * inter / (np_ + ng)
    iou = 1.0 if both_empty else inter / np.sum(p | g)
    precision = np.nan if np_ == 0 else inter / np_
    recall = np.nan if ng == 0 else inter / ng
    return dice, iou, precision, recall, both_empty


def edt_cases(rng):
    cases = {}
    for name, shape, sampling, fraction in [
        ('edt_2d_aniso', (20, 24), (1.3, 0.7), 0.9),
        ('edt_2d_sparse_background', (20, 24), (1.0, 1.0), 0.97),
        ('edt_3d_aniso', (6, 12, 16), (2.5, 0.9, 1.1), 0.9),
    ]:
        x = (rng.random(shape) < fraction).astype(np.uint8)
        x[0, 0] = 0  # at least one background voxel, so every distance is finite
        d = ndimage.distance_transform_edt(x, sampling=sampling)
        cases[name] = {
            'params': {'spacing': list(reversed(sampling))},
            'arrays': {'input': array(x), 'distance': array(d, 'float64')},
        }
    return cases


def surface_cases(rng):
    cases = {}
    specs = [
        ('blobs_2d_iso', (20, 24), (1.0, 1.0), 2.0, 0.3),
        ('blobs_2d_aniso', (20, 24), (0.6, 1.7), 2.0, 0.35),
        ('blobs_2d_touching_border', (20, 24), (1.2, 0.8), 3.0, 0.6),
        ('blobs_2d_small', (20, 24), (1.0, 0.5), 1.0, 0.08),
        ('blobs_3d_aniso', (6, 12, 16), (3.0, 1.0, 0.8), 1.5, 0.3),
        ('blobs_3d_iso', (8, 10, 12), (1.0, 1.0, 1.0), 1.5, 0.25),
    ]
    for name, shape, sampling, sigma, fraction in specs:
        p = blob(rng, shape, sigma, fraction)
        g = blob(rng, shape, sigma, fraction)
        hd95, assd, d_pg, d_gp = surface(p, g, sampling)
        cases[name] = {
            'params': {'spacing': list(reversed(sampling)), 'hd95': golden_json.number(hd95, 12), 'assd': golden_json.number(assd, 12)},
            'arrays': {
                'pred': array(p.astype(np.uint8)),
                'truth': array(g.astype(np.uint8)),
                'pred_to_truth_sorted': array(d_pg, 'float64'),
                'truth_to_pred_sorted': array(d_gp, 'float64'),
            },
        }
    return cases


def smooth_labels(rng, shape, sigma, classes):
    """A label map of `classes` regions: argmax of smoothed random fields, one per class."""
    fields = np.stack([ndimage.gaussian_filter(rng.standard_normal(shape), sigma) for _ in range(classes)])
    return np.argmax(fields, axis=0).astype(np.uint8)


def label_cases(rng):
    """Multi-class label maps: every metric per class and the confusion matrix."""
    cases = {}
    specs = [
        # name, shape, sampling, sigma, classes in the maps, classes asked for
        ('labels_2d_noisy', (20, 24), (0.9, 1.4), 0.0, 4, 6),
        ('labels_2d_smooth', (20, 24), (1.0, 0.6), 2.0, 4, 5),
        ('labels_3d_smooth', (6, 12, 16), (2.0, 0.8, 0.8), 1.5, 3, 4),
    ]
    for name, shape, sampling, sigma, present, asked in specs:
        if sigma == 0:
            truth = rng.integers(0, present, shape).astype(np.uint8)
            pred = np.where(rng.random(shape) < 0.7, truth, rng.integers(0, present, shape)).astype(np.uint8)
        else:
            truth = smooth_labels(rng, shape, sigma, present)
            pred = smooth_labels(rng, shape, sigma, present)
            pred = np.where(rng.random(shape) < 0.8, truth, pred).astype(np.uint8)
        # Class `present` appears only in the prediction (a few voxels): G empty, P not.
        pred.ravel()[rng.choice(pred.size, 3, replace=False)] = present
        # Classes above `present` appear nowhere: both empty.
        per_metric = {m: [] for m in ('dice', 'iou', 'precision', 'recall', 'hd95', 'assd')}
        empty = []
        for c in range(asked):
            p, g = pred == c, truth == c
            dice, iou, precision, recall, both_empty = overlap(p, g)
            hd95, assd, _, _ = surface(p, g, sampling)
            for m, v in zip(per_metric, (dice, iou, precision, recall, hd95, assd)):
                per_metric[m].append(v)
            empty.append(1 if both_empty else 0)
        confusion = np.bincount(truth.ravel().astype(np.int64) * asked + pred.ravel(), minlength=asked * asked).reshape(asked, asked)
        arrays = {'pred': array(pred), 'truth': array(truth), 'confusion': array(confusion, 'int64'), 'empty': array(np.array(empty, np.uint8))}
        for m, values in per_metric.items():
            arrays[m] = array(np.array(values, np.float64))
        cases[name] = {'params': {'spacing': list(reversed(sampling)), 'numClasses': asked}, 'arrays': arrays}
    return cases


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20240611)
    write('edt.json', edt_cases(rng))
    write('surface.json', surface_cases(rng))
    write('labels.json', label_cases(rng))


if __name__ == '__main__':
    main()
