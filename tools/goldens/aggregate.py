#!/usr/bin/python3
"""Golden values for src/engine/sweep/analysis/aggregate.ts (spread of a metric over inputs), with numpy.

Run with Debian's python: /usr/bin/python3 tools/goldens/aggregate.py
Writes test/goldens/aggregate/aggregate.json in the format of test/helpers/goldens.ts.

The case "table" holds a small random results table: 2 models x 7 inputs (groups siteA, siteB
and one input without a group) x sweep values -20..20 (model 1: one input also has 30, one
lacks 20) x metrics dice, hd95 x classes background, tumor; NaN marks an undefined metric
(null in the engine) and there is one Infinity (hd95 of a missing class).
Every other case is one aggregate "m<model>/<group or *>/<metric>/<class>" with, per value
(sorted): n, mean, sd, median, q1, q3, min, max; NaN where the engine writes null.

Definitions used here (the engine must match them):
- NaN entries are left out; n counts the rest (Infinity included).
- mean = numpy.mean; sd = numpy.std(ddof=1), NaN when n < 2 (and NaN with an Infinity, as numpy).
- median, q1, q3 = numpy.percentile(50, 25, 75) with the default 'linear' method. numpy
  returns NaN when it interpolates next to an Infinity (0 * inf), so Infinity is replaced by a
  huge finite number first and results that large mapped back to Infinity: the limit of the
  linear rule (exactly on a finite order statistic -> that value; towards Infinity -> Infinity).
- min, max = numpy.min, numpy.max.
"""
import numpy as np

import golden_json

MODELS = 2
GROUPS = ['siteA', 'siteA', 'siteB', 'siteA', 'siteB', 'siteB', None]
VALUES = [-20.0, -10.0, 0.0, 10.0, 20.0]
CLASSES = ['background', 'tumor']
METRICS = ['dice', 'hd95']
HUGE = 1e300


def array(a):
    return golden_json.array(a, 17, 'float64')


def make_table(rng):
    """Rows (model, input, value) and one column per metric/class."""
    rows = []
    for model in range(MODELS):
        for inp in range(len(GROUPS)):
            values = list(VALUES)
            if model == 1 and inp == 5:
                values.append(30.0)  # a value only one input has (input-size-dependent sweeps)
            if model == 1 and inp == 6:
                values.remove(20.0)
            rows += [(model, inp, v) for v in values]
    rows = np.array(rows, dtype=float)
    n = len(rows)
    columns = {
        'dice/background': np.round(rng.uniform(0.9, 1.0, n), 4),
        'dice/tumor': np.round(rng.uniform(0.3, 0.95, n), 4),
        'hd95/background': np.round(rng.uniform(0.5, 4.0, n), 4),
        'hd95/tumor': np.round(rng.uniform(1.0, 25.0, n), 4),
    }

    def at(model, inp, value):
        return int(np.flatnonzero((rows[:, 0] == model) & (rows[:, 1] == inp) & (rows[:, 2] == value))[0])

    # Undefined metrics: a few random ones, and enough at one point that siteB keeps one input.
    for name in columns:
        columns[name][rng.choice(n, 3, replace=False)] = np.nan
    columns['dice/tumor'][at(1, 2, -20.0)] = np.nan
    columns['dice/tumor'][at(1, 4, -20.0)] = np.nan
    columns['dice/tumor'][at(1, 5, -20.0)] = 0.5
    columns['hd95/tumor'][at(1, 5, 30.0)] = np.nan  # a value where nobody is defined: n = 0
    # The tumor is missing from input 2's prediction at the strongest setting.
    columns['hd95/tumor'][at(0, 2, 20.0)] = np.inf
    for inp in (0, 3, 4, 5, 6):
        columns['hd95/tumor'][at(0, inp, 20.0)] = np.round(rng.uniform(1.0, 25.0), 4)
    return rows, columns


def percentiles(x, qs):
    finite = np.where(np.isinf(x), HUGE, x)
    out = np.percentile(finite, qs)
    return np.where(out > HUGE / 10, np.inf, out)


def stats(x):
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return [0] + [np.nan] * 7
    with np.errstate(invalid='ignore'):
        sd = np.std(x, ddof=1) if n >= 2 else np.nan
    median, q1, q3 = percentiles(x, [50, 25, 75])
    if np.all(np.isfinite(x)):
        assert median == np.median(x) or abs(median - np.median(x)) <= 1e-15 * abs(median)
    return [n, np.mean(x), sd, median, q1, q3, np.min(x), np.max(x)]


def main():
    rng = np.random.default_rng(6)
    rows, columns = make_table(rng)
    table_arrays = {'model': array(rows[:, 0]), 'input': array(rows[:, 1]), 'value': array(rows[:, 2])}
    table_arrays.update({name: array(col) for name, col in columns.items()})
    cases = {
        'table': {
            'params': {'models': MODELS, 'groups': GROUPS, 'classes': CLASSES, 'metrics': METRICS},
            'arrays': table_arrays,
        }
    }
    fields = ['n', 'mean', 'sd', 'median', 'q1', 'q3', 'min', 'max']
    for model in range(MODELS):
        in_model = rows[:, 0] == model
        groups = sorted({g for g in GROUPS if g is not None})
        for group in [None] + groups:
            member = np.array([group is None or GROUPS[int(i)] == group for i in rows[:, 1]])
            subset = in_model & member
            values = np.unique(rows[subset, 2])
            for metric in METRICS:
                for cls in CLASSES:
                    col = columns[f'{metric}/{cls}']
                    table = np.array([stats(col[subset & (rows[:, 2] == v)]) for v in values], dtype=float)
                    arrays = {'value': array(values)}
                    arrays.update({f: array(table[:, i]) for i, f in enumerate(fields)})
                    name = f'm{model}/{group or "*"}/{metric}/{cls}'
                    cases[name] = {'params': {'model': model, 'group': group, 'metric': metric, 'className': cls}, 'arrays': arrays}
    golden_json.write('aggregate', 'aggregate.json', 'tools/goldens/aggregate.py', cases)


if __name__ == '__main__':
    main()
