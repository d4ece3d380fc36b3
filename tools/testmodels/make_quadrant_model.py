"""Writes test/data/models/quadrant2d.onnx: a model that only looks at the top-left quadrant.

Input 1x32x32 (fixed size); the top-left 16x16 quadrant is tiled 2x2 over the image and a pixel
is labelled 1 ("bright") where the tiled value is above 0.5, else 0 (logits [0, x - 0.5]). So an
occlusion patch changes the prediction only when it lies in the top-left quadrant, and then in
all four copies of it: the occlusion map is known in closed form (test/unit/sweep/occlusion.test.ts).
Run: /usr/bin/python3 tools/testmodels/make_quadrant_model.py
"""
import json
import os

import numpy as np
from onnx import TensorProto, helper, numpy_helper

from make_models import save

FLOAT = TensorProto.FLOAT


def main():
    constants = [
        numpy_helper.from_array(np.array([0, 0], np.int64), 'starts'),
        numpy_helper.from_array(np.array([16, 16], np.int64), 'ends'),
        numpy_helper.from_array(np.array([2, 3], np.int64), 'axes'),
        numpy_helper.from_array(np.array([1, 1, 2, 2], np.int64), 'repeats'),
        numpy_helper.from_array(np.array(0.5, np.float32), 'half'),
        numpy_helper.from_array(np.array(0.0, np.float32), 'zero'),
    ]
    nodes = [
        helper.make_node('Slice', ['image', 'starts', 'ends', 'axes'], ['quadrant']),
        helper.make_node('Tile', ['quadrant', 'repeats'], ['tiled']),
        helper.make_node('Mul', ['tiled', 'zero'], ['background']),
        helper.make_node('Sub', ['tiled', 'half'], ['bright']),
        helper.make_node('Concat', ['background', 'bright'], ['logits'], axis=1),
    ]
    meta = {
        'misas.classes': json.dumps(['background', 'bright']),
        'misas.normalization': json.dumps({'kind': 'none'}),
        'misas.output': 'logits',
    }
    save('quadrant2d', nodes,
         [helper.make_tensor_value_info('image', FLOAT, ['batch', 1, 32, 32])],
         [helper.make_tensor_value_info('logits', FLOAT, ['batch', 2, 32, 32])],
         constants, meta)


if __name__ == '__main__':
    main()
