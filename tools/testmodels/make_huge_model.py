"""Writes test/data/models/huge_input.onnx: a 1x1-convolution segmentation model (3 classes from
one grey channel) whose fixed input is 1x1x100000x100000 = 10^10 values. The file is a few
hundred bytes; a run must refuse the model by its declared size before allocating anything.
Run: /usr/bin/python3 tools/testmodels/make_huge_model.py
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', 'test', 'data', 'models', 'huge_input.onnx')
SIDE = 100_000


def main():
    weights = numpy_helper.from_array(np.array([0.0, 1.0, 2.0], np.float32).reshape(3, 1, 1, 1), 'W')
    bias = numpy_helper.from_array(np.array([0.0, -1.0, -3.0], np.float32), 'B')
    graph = helper.make_graph(
        [helper.make_node('Conv', ['image', 'W', 'B'], ['logits'])],
        'huge_input',
        [helper.make_tensor_value_info('image', TensorProto.FLOAT, [1, 1, SIDE, SIDE])],
        [helper.make_tensor_value_info('logits', TensorProto.FLOAT, [1, 3, SIDE, SIDE])],
        [weights, bias],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)], producer_name='misas-testmodels')
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, OUT)


if __name__ == '__main__':
    main()
