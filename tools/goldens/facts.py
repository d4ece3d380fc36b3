#!/usr/bin/python3
"""Goldens for an image's intensity facts (src/engine/io/intensityFacts.ts): min, max, mean,
population sd and the 1st/99th percentile (numpy's default linear interpolation), NaN left out.

Run with Debian's python (numpy, PIL, nibabel):  /usr/bin/python3 tools/goldens/facts.py
Writes test/goldens/intensity/facts.json: synthetic arrays of several types, and the example's
real images (read here with PIL / nibabel, in the test with misas's own readers).
"""
import os

import nibabel as nib
import numpy as np
from PIL import Image

import golden_json

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
rng = np.random.default_rng(20261207)


def facts(a):
    a = np.asarray(a, dtype=np.float64)
    finite = a[np.isfinite(a)]
    p1, p99 = np.percentile(finite, [1, 99])
    return {
        'min': float(finite.min()), 'max': float(finite.max()), 'mean': float(finite.mean()), 'sd': float(finite.std()),
        'p1': float(p1), 'p99': float(p99), 'nonFinite': int(a.size - finite.size),
    }


def case(a, dtype, source=None):
    params = {'dtype': dtype, **facts(a)}
    if source:
        return {'params': {**params, 'file': source}, 'arrays': {}}
    return {'params': params, 'arrays': {'image': golden_json.array(a, 9, dtype)}}


cases = {
    # Skewed 8-bit image: mostly dark background, a bright object.
    'uint8-2d': case(np.clip(rng.gamma(1.5, 30, size=(23, 17)), 0, 255).astype(np.uint8), 'uint8'),
    # 16-bit MR-like values up to ~4000.
    'uint16-3d': case(rng.integers(0, 4001, size=(5, 9, 11)).astype(np.uint16), 'uint16'),
    # CT-like signed values.
    'int16-2d': case(rng.normal(-200, 400, size=(13, 19)).round().astype(np.int16), 'int16'),
}
unit = rng.random(size=(11, 14)).astype(np.float32)
unit[3, 4] = np.nan
cases['float32-unit-nan'] = case(unit.astype(np.float64), 'float32')

for relative in ['examples/colin27/data/colin27_z065_image.png', 'examples/colin27/data/colin27_z065_image.nii.gz']:
    path = os.path.join(ROOT, relative)
    data = np.asarray(Image.open(path)) if path.endswith('.png') else np.asarray(nib.load(path).dataobj)
    cases[os.path.basename(relative)] = case(data, str(data.dtype), relative)

golden_json.write('intensity', 'facts.json', 'tools/goldens/facts.py', cases)
