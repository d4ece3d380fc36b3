#!/usr/bin/python3
"""Golden confidence and calibration numbers for src/engine/metrics/calibration.ts, with numpy/scipy.

Run with Debian's python: /usr/bin/python3 tools/goldens/calibration.py
Writes test/goldens/metrics/calibration.json in the format of test/helpers/goldens.ts.

From raw output planes (logits, or one sigmoid plane) of shape (K, ny, nx):
- probabilities: scipy.special.softmax over the planes (float32), or [1 - expit, expit];
- labels: argmax (first maximum), or expit >= threshold for a sigmoid plane;
- per class c over the pixels labelled c: mean p_label (confidence), mean scipy.stats.entropy / ln K,
  share with truth != c and p_label > 0.9 (confidently wrong);
- ECE with 15 equal-width bins (m/15, (m+1)/15], 0 in the first, found with np.searchsorted on
  np.linspace(0, 1, 16): sum over bins of n_b / N * |accuracy_b - mean confidence_b|; top-label
  (p_label against label == truth) and classwise (p_c against truth == c).
Cases:
- random_k4: 4 classes, logits N(0, 2) plus 3 on the truth's class for 70 % of the pixels;
- sure_k3: 3 classes, logits scaled so that most pixels are above 0.9, a third of them wrong;
- absent_k4: class 3 is never predicted (its confidence and entropy are nan);
- sigmoid: one plane, threshold 0.5.
"""
import numpy as np
from scipy.special import expit, softmax
from scipy.stats import entropy

import golden_json

BINS = 15


def ece(p, hit):
    edges = np.linspace(0, 1, BINS + 1)
    b = np.clip(np.searchsorted(edges, p, side='left') - 1, 0, BINS - 1)
    total = 0.0
    for m in range(BINS):
        inside = b == m
        if inside.any():
            total += inside.sum() / p.size * abs(hit[inside].mean() - p[inside].mean())
    return total


def case(planes, truth, kind, note):
    planes = planes.astype(np.float32)
    if kind == 'sigmoid':
        s = expit(planes[0].astype(np.float64)).astype(np.float32)
        probabilities = np.stack([1 - s, s])
        labels = (s >= 0.5).astype(np.uint8)
    else:
        probabilities = softmax(planes.astype(np.float64), axis=0).astype(np.float32)
        labels = np.argmax(probabilities, axis=0).astype(np.uint8)
    k = probabilities.shape[0]
    p = np.take_along_axis(probabilities, labels[None].astype(np.int64), axis=0)[0].astype(np.float64)
    h = entropy(probabilities.astype(np.float64), axis=0) / np.log(k)
    wrong = labels != truth
    confidence, ent, sure_wrong, classwise = [], [], [], []
    for c in range(k):
        mine = labels == c
        n = mine.sum()
        confidence.append(p[mine].mean() if n else np.nan)
        ent.append(h[mine].mean() if n else np.nan)
        sure_wrong.append((wrong & mine & (p > 0.9)).sum() / n if n else np.nan)
        classwise.append(ece(probabilities[c].astype(np.float64).ravel(), (truth == c).ravel()))
    return {
        'params': {'kind': kind, 'classCount': int(k), 'note': note},
        'arrays': {
            'planes': golden_json.array(planes, 9, 'float32'),
            'truth': golden_json.array(truth.astype(np.uint8), 9),
            'labels': golden_json.array(labels, 9),
            'probabilities': golden_json.array(probabilities, 9, 'float32'),
            'confidence': golden_json.array(np.array(confidence), 12, 'float64'),
            'entropy': golden_json.array(np.array(ent), 12, 'float64'),
            'confidentlyWrong': golden_json.array(np.array(sure_wrong), 12, 'float64'),
            'classwiseEce': golden_json.array(np.array(classwise), 12, 'float64'),
            'ece': golden_json.array(np.array([ece(p.ravel(), (~wrong).ravel())]), 12, 'float64'),
            'allConfidentlyWrong': golden_json.array(np.array([(wrong & (p > 0.9)).sum() / p.size]), 12, 'float64'),
        },
    }


def main():
    rng = np.random.default_rng(20261207)
    cases = {}

    truth = rng.integers(0, 4, size=(20, 24))
    logits = rng.normal(0, 2, size=(4, 20, 24))
    informed = rng.random(truth.shape) < 0.7
    np.put_along_axis(logits, truth[None], np.take_along_axis(logits, truth[None], 0) + 3 * informed, 0)
    cases['random_k4'] = case(logits, truth, 'logits', 'N(0, 2) logits, +3 on the true class for 70 % of pixels')

    truth = rng.integers(0, 3, size=(16, 16))
    guess = np.where(rng.random(truth.shape) < 0.33, (truth + 1) % 3, truth)
    logits = rng.normal(0, 1, size=(3, 16, 16))
    np.put_along_axis(logits, guess[None], np.take_along_axis(logits, guess[None], 0) + 6, 0)
    cases['sure_k3'] = case(logits, truth, 'logits', 'confident logits (+6 on the guessed class), a third of the guesses wrong')

    truth = rng.integers(0, 4, size=(12, 10))
    logits = rng.normal(0, 1, size=(4, 12, 10))
    logits[3] -= 20
    cases['absent_k4'] = case(logits, truth, 'logits', 'class 3 never predicted')

    truth = (rng.random((14, 18)) < 0.4).astype(np.int64)
    scores = rng.normal(0, 2, size=(1, 14, 18)) + 2.5 * (truth[None] * 2 - 1) * (rng.random((1, 14, 18)) < 0.8)
    cases['sigmoid'] = case(scores, truth, 'sigmoid', 'one sigmoid plane, threshold 0.5')

    golden_json.write('metrics', 'calibration.json', 'tools/goldens/calibration.py', cases)


if __name__ == '__main__':
    main()
