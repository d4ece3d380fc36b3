"""Writes the tiny ONNX models that test/unit/model/ runs (each a few hundred bytes).

The segmentation models are 1x1 convolutions with fixed weights, so a test can compute the
expected labels by hand: logits_c = W[c] . x + B[c] at every pixel (x = the input channels).
Run: /usr/bin/python3 tools/testmodels/make_models.py  (writes test/data/models/*.onnx)
"""
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', 'test', 'data', 'models')

# Three classes from one grey channel: x < 1 -> 0, 1 < x < 2 -> 1, x > 2 -> 2.
THRESHOLD_W = np.array([[0.0], [1.0], [2.0]], np.float32)
THRESHOLD_B = np.array([0.0, -1.0, -3.0], np.float32)
# Three input channels, weights chosen so that each channel matters differently.
RGB_W = np.array([[0.0, 0.0, 0.0], [1.0, 0.5, -0.5], [0.5, 1.0, 1.0]], np.float32)
RGB_B = np.array([0.0, -1.0, -3.0], np.float32)
# Two independent (sigmoid) channels: c0 fires for x > 1, c1 fires for x > 2 and wins where both do.
SIGMOID_W = np.array([[1.0], [2.0]], np.float32)
SIGMOID_B = np.array([-1.0, -4.0], np.float32)

OPSET = [helper.make_opsetid('', 13)]
FLOAT, INT64 = TensorProto.FLOAT, TensorProto.INT64


def conv_weights(name, weights, spatial_dims=2):
    """A Conv weight initializer (C_out, C_in, 1, 1[, 1]) from a (C_out, C_in) matrix."""
    shape = weights.shape + (1,) * spatial_dims
    return numpy_helper.from_array(weights.reshape(shape).astype(np.float32), name)


def save(name, nodes, inputs, outputs, initializers=(), metadata=None):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(initializers))
    model = helper.make_model(graph, opset_imports=OPSET, producer_name='misas-testmodels')
    model.ir_version = 8
    for key, value in (metadata or {}).items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    path = os.path.join(OUT, name + '.onnx')
    onnx.save(model, path)
    return path


def conv_model(name, weights, bias, input_shape, output_shape, metadata=None, extra_nodes=(), out_name='logits',
               spatial_dims=2, input_type=FLOAT):
    """image -> [extra preprocessing] -> 1x1 Conv -> [extra postprocessing] -> out_name."""
    pre, post = extra_nodes if extra_nodes else ([], [])
    conv_in = pre[-1].output[0] if pre else 'image'
    conv_out = 'conv_out' if post else out_name
    nodes = pre + [helper.make_node('Conv', [conv_in, 'W', 'B'], [conv_out])] + post
    return save(name, nodes,
                [helper.make_tensor_value_info('image', input_type, input_shape)],
                [helper.make_tensor_value_info(out_name, FLOAT if out_name != 'labels' else INT64, output_shape)],
                [conv_weights('W', weights, spatial_dims), numpy_helper.from_array(bias, 'B')],
                metadata)


def main():
    os.makedirs(OUT, exist_ok=True)
    threshold_meta = {
        'misas.classes': json.dumps(['background', 'low', 'high']),
        'misas.normalization': json.dumps({'kind': 'none'}),
        'misas.output': 'logits',
    }
    dyn = ['batch', 1, 'height', 'width']
    path = conv_model('threshold2d', THRESHOLD_W, THRESHOLD_B, dyn, ['batch', 3, 'height', 'width'], threshold_meta)
    with open(path, 'rb') as f:
        data = f.read()
    with open(os.path.join(OUT, 'truncated.onnx'), 'wb') as f:
        f.write(data[: len(data) // 2])

    conv_model('fixed128', THRESHOLD_W, THRESHOLD_B, [1, 1, 128, 128], [1, 3, 128, 128], threshold_meta)

    # Channels-last RGB in, channels-last logits out, no metadata at all: everything must be inferred.
    to_nchw = helper.make_node('Transpose', ['image'], ['nchw'], perm=[0, 3, 1, 2])
    to_nhwc = helper.make_node('Transpose', ['conv_out'], ['logits'], perm=[0, 2, 3, 1])
    conv_model('nhwc', RGB_W, RGB_B, ['batch', 'height', 'width', 3], ['batch', 'height', 'width', 3],
               extra_nodes=([to_nchw], [to_nhwc]))

    # Spatial context: the logits at (x, y) come from the pixel to its right, x + 1 (0 beyond the
    # last column), so a test sees whether width is the image's x axis and where padding goes.
    no_padding = dict(threshold_meta, **{'misas.geometry': json.dumps({'policy': 'pad-to-multiple', 'multiple': 1})})
    right = np.zeros((3, 1, 1, 3), np.float32)
    right[:, 0, 0, 2] = THRESHOLD_W[:, 0]
    save('neighbour2d',
         [helper.make_node('Conv', ['image', 'W', 'B'], ['logits'], pads=[0, 1, 0, 1])],
         [helper.make_tensor_value_info('image', FLOAT, dyn)],
         [helper.make_tensor_value_info('logits', FLOAT, ['batch', 3, 'height', 'width'])],
         [numpy_helper.from_array(right, 'W'), numpy_helper.from_array(THRESHOLD_B, 'B')], no_padding)

    conv_model('three_channel', RGB_W, RGB_B, ['batch', 3, 'height', 'width'], ['batch', 3, 'height', 'width'],
               threshold_meta)

    # A classifier: global average pool -> 10 scores.
    save('classifier',
         [helper.make_node('GlobalAveragePool', ['image'], ['pooled']),
          helper.make_node('Flatten', ['pooled'], ['flat']),
          helper.make_node('Gemm', ['flat', 'G', 'GB'], ['scores'], transB=1)],
         [helper.make_tensor_value_info('image', FLOAT, ['batch', 1, 32, 32])],
         [helper.make_tensor_value_info('scores', FLOAT, ['batch', 10])],
         [numpy_helper.from_array(np.linspace(-1, 1, 10, dtype=np.float32).reshape(10, 1), 'G'),
          numpy_helper.from_array(np.zeros(10, np.float32), 'GB')])

    cast = helper.make_node('Cast', ['image'], ['as_float'], to=FLOAT)
    conv_model('int64_input', THRESHOLD_W, THRESHOLD_B, dyn, ['batch', 3, 'height', 'width'],
               extra_nodes=([cast], []), input_type=INT64)

    # 0/0 everywhere: (logits * 0) / (logits * 0).
    zero = numpy_helper.from_array(np.zeros((1, 3, 1, 1), np.float32), 'zero')
    nan_nodes = [helper.make_node('Mul', ['conv_out', 'zero'], ['zeros']),
                 helper.make_node('Div', ['zeros', 'zeros'], ['logits'])]
    graph = helper.make_graph(
        [helper.make_node('Conv', ['image', 'W', 'B'], ['conv_out'])] + nan_nodes, 'nan_output',
        [helper.make_tensor_value_info('image', FLOAT, dyn)],
        [helper.make_tensor_value_info('logits', FLOAT, ['batch', 3, 'height', 'width'])],
        [conv_weights('W', THRESHOLD_W), numpy_helper.from_array(THRESHOLD_B, 'B'), zero])
    model = helper.make_model(graph, opset_imports=OPSET)
    model.ir_version = 8
    onnx.save(model, os.path.join(OUT, 'nan_output.onnx'))

    # 3D: [N, 1, D, H, W] -> 3 classes; the logits at (x, y, z) come from the voxel at z + 1.
    above = np.zeros((3, 1, 3, 1, 1), np.float32)
    above[:, 0, 2, 0, 0] = THRESHOLD_W[:, 0]
    save('seg3d',
         [helper.make_node('Conv', ['image', 'W', 'B'], ['logits'], pads=[1, 0, 0, 1, 0, 0])],
         [helper.make_tensor_value_info('image', FLOAT, ['batch', 1, 'depth', 'height', 'width'])],
         [helper.make_tensor_value_info('logits', FLOAT, ['batch', 3, 'depth', 'height', 'width'])],
         [numpy_helper.from_array(above, 'W'), numpy_helper.from_array(THRESHOLD_B, 'B')], no_padding)

    # A label map output: ArgMax inside the model, int64 [N, H, W].
    argmax = helper.make_node('ArgMax', ['conv_out'], ['labels'], axis=1, keepdims=0)
    conv_model('labels_out', THRESHOLD_W, THRESHOLD_B, dyn, ['batch', 'height', 'width'],
               {'misas.classes': json.dumps(['background', 'low', 'high'])},
               extra_nodes=([], [argmax]), out_name='labels')

    conv_model('sigmoid_out', SIGMOID_W, SIGMOID_B, dyn, ['batch', 2, 'height', 'width'],
               {'misas.classes': json.dumps(['background', 'low', 'high']),
                'misas.output': json.dumps({'kind': 'sigmoid'}),
                'misas.normalization': 'none'})

    # The same scores passed through a Sigmoid inside the model: its outputs are probabilities,
    # which misas must see from the graph (the card does not say sigmoidApplied).
    sigmoid = helper.make_node('Sigmoid', ['conv_out'], ['probabilities'])
    conv_model('sigmoid_probs', SIGMOID_W, SIGMOID_B, dyn, ['batch', 2, 'height', 'width'],
               {'misas.classes': json.dumps(['background', 'low', 'high']),
                'misas.output': json.dumps({'kind': 'sigmoid'}),
                'misas.normalization': 'none'},
               extra_nodes=([], [sigmoid]), out_name='probabilities')

    # Output at half the input resolution: not a per-pixel segmentation of its input.
    pool = helper.make_node('MaxPool', ['conv_out'], ['logits'], kernel_shape=[2, 2], strides=[2, 2])
    conv_model('halved', THRESHOLD_W, THRESHOLD_B, dyn, ['batch', 3, 'half_height', 'half_width'],
               threshold_meta, extra_nodes=([], [pool]))

    # Reference for the engine's own bilinear / trilinear resize: ONNX Resize, linear, half-pixel.
    for rank in (4, 5):
        save(f'resize_ref{rank - 2}d',
             [helper.make_node('Resize', ['x', '', '', 'sizes'], ['y'], mode='linear',
                               coordinate_transformation_mode='half_pixel')],
             [helper.make_tensor_value_info('x', FLOAT, [f'd{i}' for i in range(rank)]),
              helper.make_tensor_value_info('sizes', INT64, [rank])],
             [helper.make_tensor_value_info('y', FLOAT, [f'e{i}' for i in range(rank)])])

    for name in sorted(os.listdir(OUT)):
        print(f'{name:24s} {os.path.getsize(os.path.join(OUT, name)):6d} bytes')


if __name__ == '__main__':
    main()
