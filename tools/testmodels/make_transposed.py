"""Wraps the example network so that it expects another input convention, with no card.

examples/colin27/model.onnx was trained on slices as stored (x fastest, rows = y) scaled by
1/255. The wrapped model takes the *transposed* slice (rows = x, what nibabel's
``data[:, :, k]`` gives a Python pipeline) in *raw* intensities: a Mul by 1/255 and a Transpose
of H and W sit before the original graph, and a Transpose of the logits after it, so that
the logits come back in the layout of the input the wrapped model was given. Its misas.*
metadata is removed: nothing tells misas about the convention, which is what `misas fit`
has to find. The weights are the example model's; this script holds no data.

Run: /usr/bin/python3 tools/testmodels/make_transposed.py
(writes test/data/models/colin27_transposed_raw.onnx)
"""
import os

import numpy as np
import onnx
from onnx import helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..', '..')
SOURCE = os.path.join(ROOT, 'examples', 'colin27', 'model.onnx')
OUT = os.path.join(ROOT, 'test', 'data', 'models', 'colin27_transposed_raw.onnx')


def main():
    model = onnx.load(SOURCE)
    graph = model.graph
    (image,) = graph.input
    (logits,) = graph.output
    # The original graph now reads the internal tensor "image_as_trained" and writes "logits_as_trained".
    for node in graph.node:
        node.input[:] = ['image_as_trained' if name == image.name else name for name in node.input]
        node.output[:] = ['logits_as_trained' if name == logits.name else name for name in node.output]
    scale = numpy_helper.from_array(np.array(1.0 / 255.0, np.float32), 'raw_to_unit')
    before = [
        helper.make_node('Mul', [image.name, 'raw_to_unit'], ['image_scaled'], name='scale_raw'),
        helper.make_node('Transpose', ['image_scaled'], ['image_as_trained'], perm=[0, 1, 3, 2], name='untranspose_input'),
    ]
    after = [helper.make_node('Transpose', ['logits_as_trained'], [logits.name], perm=[0, 1, 3, 2], name='transpose_output')]
    nodes = before + list(graph.node) + after
    del graph.node[:]
    graph.node.extend(nodes)
    graph.initializer.append(scale)
    del model.metadata_props[:]
    model.doc_string = 'colin27 example U-Net wrapped to take transposed raw slices (tools/testmodels/make_transposed.py)'
    onnx.checker.check_model(model)
    onnx.save(model, OUT)
    print(f'wrote {os.path.relpath(OUT, ROOT)}')


if __name__ == '__main__':
    main()
