#!/usr/bin/python3
"""Golden confusion matrices for webview-ui/data/confusion.ts, counted with numpy.

Run with Debian's python: /usr/bin/python3 tools/goldens/confusion.py
Writes test/goldens/webview/confusion.json in the format of test/helpers/goldens.ts.

counts[t, p] = number of pixels with truth t and prediction p (rows = truth, columns =
prediction, as sklearn.metrics.confusion_matrix), counted here with np.add.at on the pair
indices; row shares = counts / counts.sum(axis=1) (nan for a class absent from the truth).
Cases:
- random_k4: 24x20 random labels of 4 classes, prediction = truth with 30 % of pixels redrawn;
- absent_class_k5: 5 classes, class 3 never in the truth (a nan row) and class 4 never predicted;
- colin27_rotated: a real frame-like pair, the label slice colin27_z065 of the bundled example
  (181x217, classes background/cortex/deep_gm/cerebellum) as truth and the same map rotated by
  15 degrees about its centre (nearest neighbour, scipy.ndimage.rotate order=0) as prediction.
"""
import os

import nibabel as nib
import numpy as np
from scipy import ndimage

import golden_json

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')


def counts_of(truth, prediction, k):
    counts = np.zeros((k, k), dtype=np.int64)
    np.add.at(counts, (truth.ravel(), prediction.ravel()), 1)
    return counts


def case(truth, prediction, k, note):
    counts = counts_of(truth, prediction, k)
    rows = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid='ignore', divide='ignore'):
        shares = np.where(rows > 0, counts / np.maximum(rows, 1), np.nan)
    return {
        'params': {'classCount': k, 'note': note},
        'arrays': {
            'truth': golden_json.array(truth.astype(np.uint8), 9),
            'prediction': golden_json.array(prediction.astype(np.uint8), 9),
            'counts': golden_json.array(counts, 9),
            'shares': golden_json.array(shares, 9, 'float64'),
        },
    }


def main():
    rng = np.random.default_rng(20240605)
    cases = {}
    truth = rng.integers(0, 4, size=(20, 24))
    prediction = np.where(rng.random(truth.shape) < 0.3, rng.integers(0, 4, size=truth.shape), truth)
    cases['random_k4'] = case(truth, prediction, 4, 'random labels, 30 % redrawn')

    truth = rng.choice([0, 1, 2, 4], size=(12, 16))
    prediction = rng.choice([0, 1, 2, 3], size=truth.shape)
    cases['absent_class_k5'] = case(truth, prediction, 5, 'class 3 absent from the truth, class 4 never predicted')

    labels = np.asarray(nib.load(os.path.join(ROOT, 'examples', 'colin27', 'data', 'colin27_z065_label.nii.gz')).dataobj)
    truth = labels.T  # nibabel (x, y) -> C order (y, x): x fastest, as the engine's frames
    prediction = ndimage.rotate(truth, 15, order=0, reshape=False, mode='constant', cval=0)
    cases['colin27_rotated'] = case(truth, prediction, 4, 'colin27 z065 labels vs the same map rotated 15 degrees')

    golden_json.write('webview', 'confusion.json', 'tools/goldens/confusion.py', cases)


if __name__ == '__main__':
    main()
