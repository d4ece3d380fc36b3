#!/usr/bin/python3
"""Golden values for src/engine/sweep/analysis/benchmark.ts (ROOD-MRI robustness, ImageNet-C
corruption error), with numpy, from the papers' definitions.

Run with Debian's python: /usr/bin/python3 tools/goldens/benchmark.py
Writes test/goldens/benchmark/benchmark.json:
  {"generator", "alpha", "reference": 1,
   "table": [[model, input, series or "Clean", severity, dice, hd95], ...]  (NaN = "nan": undefined),
   "robustness": [[model, series, metric, clean, overall, degradation], ...],
   "corruption": [[model, series, ce, rce], ...], "mean": [[model, mce, rmce], ...]}
for one foreground class "fg" (the background class is left out by the engine).

A random table: 2 models x 6 subjects; series "A" at levels 1..5 and "B" at levels 2 and 4;
two HD95 values undefined. Definitions (roodmri's calculate_metrics and ImageNet-C):
- M0 = mean over subjects of the clean rows, M_s = mean over subjects at level s (NaN left out);
- w_s = alpha^s over the levels run; Overall = (M0 + sum w_s M_s) / (1 + sum w_s);
  Degradation = sum w_s (M0 - M_s) / sum w_s for Dice, sum w_s (M_s - M0) / sum w_s for HD95;
- E = 1 - mean Dice; CE = sum_s E_m(s) / sum_s E_ref(s); rCE = sum_s (E_m(s) - E_m(0)) /
  sum_s (E_ref(s) - E_ref(0)); mCE, relative mCE = means over the series.
"""
import json
import math
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'test', 'goldens', 'benchmark')
ALPHA = 2 / 3
MODELS = 2
SUBJECTS = 6
SERIES = {'A': [1, 2, 3, 4, 5], 'B': [2, 4]}
REFERENCE = 1


def cell(v):
    v = float(v)
    return 'nan' if math.isnan(v) else round(v, 6)


def main():
    rng = np.random.default_rng(13)
    table = []
    for model in range(MODELS):
        for subject in range(SUBJECTS):
            table.append([model, subject, 'Clean', 0, rng.uniform(0.75, 0.95), rng.uniform(1, 4)])
            for series, levels in SERIES.items():
                for level in levels:
                    dice = rng.uniform(0.95 - 0.12 * level, 0.97 - 0.08 * level)
                    table.append([model, subject, series, level, dice, rng.uniform(1, 4) + 2 * level])
    table[5][5] = float('nan')
    table[40][5] = float('nan')
    table = [[m, s, t, l, cell(d), cell(h)] for m, s, t, l, d, h in table]

    def values(model, series, level, column):
        return np.array([float(r[column]) for r in table if r[0] == model and r[2] == series and r[3] == level])

    def mean(a):
        a = a[~np.isnan(a)]
        return float(np.mean(a)) if len(a) else float('nan')

    robustness = []
    for model in range(MODELS):
        for series, levels in SERIES.items():
            for metric, column, sign in (('dice', 4, -1.0), ('hd95', 5, 1.0)):
                clean = mean(values(model, 'Clean', 0, column))
                m = np.array([mean(values(model, series, s, column)) for s in levels])
                w = ALPHA ** np.array(levels, dtype=float)
                overall = (clean + np.sum(w * m)) / (1 + np.sum(w))
                degradation = np.sum(w * sign * (m - clean)) / np.sum(w)
                robustness.append([model, series, metric, clean, float(overall), float(degradation)])

    def errors(model, series):
        clean = 1 - mean(values(model, 'Clean', 0, 4))
        return clean, np.array([1 - mean(values(model, series, s, 4)) for s in SERIES[series]])

    corruption = []
    for model in range(MODELS):
        for series in SERIES:
            e0, e = errors(model, series)
            r0, r = errors(REFERENCE, series)
            corruption.append([model, series, float(np.sum(e) / np.sum(r)), float(np.sum(e - e0) / np.sum(r - r0))])
    mean_ce = [
        [model, float(np.mean([c[2] for c in corruption if c[0] == model])),
         float(np.mean([c[3] for c in corruption if c[0] == model]))]
        for model in range(MODELS)
    ]
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'benchmark.json'), 'w') as f:
        json.dump({'generator': 'tools/goldens/benchmark.py', 'alpha': ALPHA, 'reference': REFERENCE, 'table': table,
                   'robustness': robustness, 'corruption': corruption, 'mean': mean_ce}, f, indent=1)
        f.write('\n')


main()
