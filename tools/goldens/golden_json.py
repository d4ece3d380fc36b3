"""The golden file format that test/helpers/goldens.ts reads, shared by the generators here.

{"generator": "...", "cases": {name: {"params": {...}, "arrays": {name: {"shape", "dtype", "data"}}}}}
Arrays are C-order; non-finite numbers are the strings "nan", "inf", "-inf"; floats are rounded
to `digits` significant digits to keep the files small.
"""
import json
import math
import os

import numpy as np

GOLDENS = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'test', 'goldens')


def number(v, digits):
    v = float(v)
    if math.isnan(v):
        return 'nan'
    if math.isinf(v):
        return 'inf' if v > 0 else '-inf'
    return float(f'{v:.{digits}g}')


def array(a, digits, dtype=None):
    """Integer arrays keep exact integers; everything else is rounded to `digits`."""
    a = np.asarray(a)
    dtype = dtype or str(a.dtype)
    if a.dtype.kind in 'iub':
        data = [int(v) for v in a.ravel()]
    else:
        data = [number(v, digits) for v in a.ravel()]
    return {'shape': list(a.shape), 'dtype': dtype, 'data': data}


def write(folder, name, generator, cases):
    path = os.path.join(GOLDENS, folder, name)
    with open(path, 'w') as f:
        json.dump({'generator': generator, 'cases': cases}, f, separators=(',', ':'))
    print(f'{path}: {os.path.getsize(path)} bytes, {len(cases)} cases')
