"""Writes the position-dependent test models of the card's `orientation` and their goldens.

posgate2d.onnx: input [N, 1, 4, 6] (H = 4 rows, W = 6 columns), output logits [N, 2, 4, 6]:
logit0 = 0, logit1 = x - P with P[h, w] = h * 6 + w + 0.5 (the tensor's raster index + 0.5), so
a pixel is class 1 exactly where its value exceeds the raster index of the place the model
sees it at: the labels show where every pixel went. posgate3d.onnx: the same on [N, 1, 2, 3, 4].

The goldens (numpy as the reference) hold, per orientation, an integer image in misas's stored
layout (C-order [y][x] / [z][y][x]) and the labels misas must return on that grid: the image is
oriented with the numpy operations the schema names (a.T, np.flipud, np.rot90, np.transpose,
np.flip), gated by P, and every label is put back where its pixel came from.
Run: /usr/bin/python3 tools/testmodels/make_orientation_models.py
"""
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'goldens'))
from golden_json import array, write  # noqa: E402
from make_models import save  # noqa: E402

FLOAT = TensorProto.FLOAT

ORIENTATIONS_2D = {
    'as-stored': lambda a: a,
    'transposed': lambda a: a.T,
    'flipped-vertical': np.flipud,
    'flipped-horizontal': np.fliplr,
    'rotated-180': lambda a: np.rot90(a, 2),
    'rotated-90': lambda a: np.rot90(a, 1),
    'rotated-270': lambda a: np.rot90(a, 3),
    'anti-transposed': lambda a: np.rot90(a, 2).T,
}


def axes_orientation(axes, flip):
    return lambda a: np.flip(np.transpose(a, axes), [i for i, f in enumerate(flip) if f])


ORIENTATIONS_3D = {
    'as-stored': lambda a: a,
    'reversed-axes': lambda a: np.transpose(a, (2, 1, 0)),
    'axes-1-2-0-flip-t-f-t': axes_orientation((1, 2, 0), (True, False, True)),
}
OBJECTS_3D = {'axes-1-2-0-flip-t-f-t': {'axes': [1, 2, 0], 'flip': [True, False, True]}}


def posgate_model(name, model_shape):
    """logit1 = x - P: a Sub against the positional constant, concatenated after a zero plane."""
    positions = (np.arange(np.prod(model_shape)).reshape(model_shape) + 0.5).astype(np.float32)
    batch_shape = ['batch', 1, *model_shape]
    nodes = [
        helper.make_node('Sub', ['image', 'P'], ['logit1']),
        helper.make_node('Mul', ['image', 'zero'], ['logit0']),
        helper.make_node('Concat', ['logit0', 'logit1'], ['logits'], axis=1),
    ]
    save(name, nodes,
         [helper.make_tensor_value_info('image', FLOAT, batch_shape)],
         [helper.make_tensor_value_info('logits', FLOAT, ['batch', 2, *model_shape])],
         [numpy_helper.from_array(positions.reshape(1, 1, *model_shape), 'P'),
          numpy_helper.from_array(np.zeros((1,), np.float32), 'zero')])
    return positions


def expected_labels(image, orient, positions):
    """Labels on the stored grid: orient, gate, and send each label back to its pixel's index."""
    oriented = orient(image)
    assert oriented.shape == positions.shape, (oriented.shape, positions.shape)
    labels = (oriented > positions).astype(np.uint8)
    where = orient(np.arange(image.size).reshape(image.shape))
    out = np.zeros(image.size, np.uint8)
    out[where.ravel()] = labels.ravel()
    return out.reshape(image.shape)


def cases_for(orientations, positions, rng, objects=None):
    cases = {}
    for name, orient in orientations.items():
        # The stored shape whose orientation is the model's shape.
        stored_shape = find_stored_shape(orient, positions.shape)
        image = rng.integers(0, positions.size + 1, stored_shape).astype(np.float32)
        labels = expected_labels(image, orient, positions)
        value = (objects or {}).get(name, name)
        cases[name] = {'params': {'orientation': value},
                       'arrays': {'image': array(image, 8, 'float32'), 'labels': array(labels, 8, 'uint8')}}
    return cases


def find_stored_shape(orient, model_shape):
    """The permutation of model_shape that the orientation maps onto model_shape."""
    import itertools
    for shape in itertools.permutations(model_shape):
        if orient(np.zeros(shape)).shape == tuple(model_shape):
            return shape
    raise ValueError(model_shape)


def main():
    rng = np.random.default_rng(10)
    p2 = posgate_model('posgate2d', (4, 6))
    p3 = posgate_model('posgate3d', (2, 3, 4))
    write('orientation', 'posgate.json', 'tools/testmodels/make_orientation_models.py', {
        **{f'2d/{k}': v for k, v in cases_for(ORIENTATIONS_2D, p2, rng).items()},
        **{f'3d/{k}': v for k, v in cases_for(ORIENTATIONS_3D, p3, rng, OBJECTS_3D).items()},
    })


if __name__ == '__main__':
    main()
