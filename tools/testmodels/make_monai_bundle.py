"""Writes test/data/monai-bundle/: a MONAI-bundle-shaped folder around a tiny real ONNX model.

configs/metadata.json follows MONAI's bundle metadata schema (network_data_format with
inputs.image and outputs.pred); models/model.onnx is a 3D 1x1x1 convolution (the threshold
weights of make_models.py) on [batch, 1, 8, 8, 8] patches with 3 output channels and no
metadata_props, so everything misas knows beyond the shapes comes from the bundle.
Run: /usr/bin/python3 tools/testmodels/make_monai_bundle.py
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_models  # noqa: E402
from make_models import THRESHOLD_B, THRESHOLD_W, conv_model  # noqa: E402

BUNDLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'test', 'data', 'monai-bundle')

METADATA = {
    'schema': 'https://github.com/Project-MONAI/MONAI-extra-test-data/releases/download/0.8.1/meta_schema_20220324.json',
    'version': '0.1.0',
    'changelog': {'0.1.0': 'misas test fixture'},
    'monai_version': '1.3.0',
    'name': 'misas tiny bundle',
    'task': 'a 3-class test segmentation on 8x8x8 patches',
    'description': 'A 1x1x1 convolution standing in for a network; made by tools/testmodels/make_monai_bundle.py.',
    'authors': 'misas tests',
    'copyright': 'none',
    'network_data_format': {
        'inputs': {'image': {
            'type': 'image', 'format': 'magnitude', 'modality': 'MR', 'num_channels': 1,
            'spatial_shape': [8, 8, 8], 'dtype': 'float32', 'value_range': [0, 1], 'is_patch_data': True,
            'channel_def': {'0': 'image'},
        }},
        'outputs': {'pred': {
            'type': 'image', 'format': 'segmentation', 'num_channels': 3,
            'spatial_shape': [8, 8, 8], 'dtype': 'float32', 'value_range': [0, 1], 'is_patch_data': True,
            'channel_def': {'0': 'background', '1': 'grey matter', '2': 'white matter'},
        }},
    },
}


def main():
    os.makedirs(os.path.join(BUNDLE, 'configs'), exist_ok=True)
    os.makedirs(os.path.join(BUNDLE, 'models'), exist_ok=True)
    with open(os.path.join(BUNDLE, 'configs', 'metadata.json'), 'w') as f:
        json.dump(METADATA, f, indent=4)
        f.write('\n')
    make_models.OUT = os.path.join(BUNDLE, 'models')
    path = conv_model('model', THRESHOLD_W, THRESHOLD_B, ['batch', 1, 8, 8, 8], ['batch', 3, 8, 8, 8], spatial_dims=3)
    print(path)


if __name__ == '__main__':
    main()
