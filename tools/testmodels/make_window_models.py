"""Test models and goldens for sliding-window inference (test/unit/model/slidingWindow.test.ts).

Writes, with torch (exported through torch.onnx):
- test/data/models/window3d_pointwise.onnx: a 1x1x1 Conv3d, 1 -> 3 classes, input [batch, 1, 16, 16, 16].
  Every voxel's logits depend on that voxel only, so sliding-window labels must equal the labels
  of the whole volume computed directly (the test computes those itself).
- test/data/models/window3d_conv.onnx: Conv3d(1, 4, 3, padding 1) -> tanh -> Conv3d(4, 3, 3, padding 1),
  seeded random weights, input [batch, 1, 8, 16, 16] (depth 8, height 16, width 16).
- test/goldens/sliding-window/colin27_crop.json: for the Colin27 crop ch2bet_crop40x48x10 and
  window3d_conv, the labels of an independent numpy implementation of the documented algorithm
  (window starts, Gaussian or uniform weights, float32 blending; torch runs the windows), for
  several overlaps and both blends; the voxels where the two best blended scores are within 1e-3
  (where onnxruntime and torch may legitimately disagree); and torch's labels for the whole
  volume at once (to show that blending is sensible).

Run: /usr/bin/python3 tools/testmodels/make_window_models.py
"""
import math
import os
import sys

import nibabel as nib
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..', '..')
MODELS = os.path.join(ROOT, 'test', 'data', 'models')
CROP = os.path.join(ROOT, 'test', 'data', 'colin27', 'ch2bet_crop40x48x10.nii.gz')
sys.path.insert(0, os.path.join(ROOT, 'tools', 'goldens'))
import golden_json  # noqa: E402

CLASSES = ['background', 'mid', 'bright']
# Pointwise logits (0, x + 0.5, 2x - 0.25) on z-scores: class 1 above -0.5 sd, class 2 above 0.75 sd.
POINTWISE_W = [0.0, 1.0, 2.0]
POINTWISE_B = [0.0, 0.5, -0.25]
AMBIGUOUS = 1e-3


def export(module, name, input_shape, metadata):
    module.eval()
    path = os.path.join(MODELS, name + '.onnx')
    example = torch.zeros(input_shape)
    torch.onnx.export(module, example, path, input_names=['image'], output_names=['logits'],
                      dynamic_axes={'image': {0: 'batch'}, 'logits': {0: 'batch'}}, opset_version=13)
    import onnx
    model = onnx.load(path)
    for key, value in metadata.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    onnx.save(model, path)
    print(f'{path}: {os.path.getsize(path)} bytes')


def pointwise_model():
    conv = torch.nn.Conv3d(1, 3, 1)
    with torch.no_grad():
        conv.weight.copy_(torch.tensor(POINTWISE_W).reshape(3, 1, 1, 1, 1))
        conv.bias.copy_(torch.tensor(POINTWISE_B))
    return conv


def conv_model():
    torch.manual_seed(6)
    return torch.nn.Sequential(torch.nn.Conv3d(1, 4, 3, padding=1), torch.nn.Tanh(), torch.nn.Conv3d(4, 3, 3, padding=1))


# --- the reference implementation of the documented algorithm, in numpy (axes x, y, z) ---

def window_starts(n, p, overlap):
    if n == p:
        return [0]
    step = max(1.0, p * (1 - overlap))
    count = math.ceil((n - p) / step) + 1
    gaps = count - 1
    return [(2 * i * (n - p) + gaps) // (2 * gaps) for i in range(count)]


def window_weights(window, blend):
    if blend == 'uniform':
        return np.ones(window, np.float32)
    profiles = []
    for p in window:
        sigma, centre = p / 8, (p - 1) / 2
        profiles.append(np.exp(-((np.arange(p) - centre) ** 2) / (2 * sigma * sigma)))
    return np.einsum('i,j,k->ijk', *profiles).astype(np.float32)


def centred_pad(volume, dims, fill):
    """Pads each axis (x, y, z) up to dims, starting floor(difference / 2) in."""
    out = np.full(dims, fill, volume.dtype)
    offsets = [(d - n) // 2 for n, d in zip(volume.shape, dims)]
    out[tuple(slice(o, o + n) for o, n in zip(offsets, volume.shape))] = volume
    return out, offsets


def run_torch(module, xyz_batch):
    """xyz arrays [B, nx, ny, nz] -> logits [B, C, nx, ny, nz] (torch takes [B, 1, D, H, W])."""
    with torch.no_grad():
        t = torch.from_numpy(np.ascontiguousarray(xyz_batch.transpose(0, 3, 2, 1)[:, None]))
        return module(t).numpy().transpose(0, 1, 4, 3, 2)


def sliding_window(module, z, window, overlap, blend):
    padded_dims = [max(n, p) for n, p in zip(z.shape, window)]
    grid, offsets = centred_pad(z, padded_dims, z.min())
    starts = [window_starts(n, p, overlap) for n, p in zip(padded_dims, window)]
    weights = window_weights(window, blend)
    sums = np.zeros((3,) + tuple(padded_dims), np.float32)
    weight_sums = np.zeros(padded_dims, np.float32)
    for sx in starts[0]:
        for sy in starts[1]:
            for sz in starts[2]:
                box = (slice(sx, sx + window[0]), slice(sy, sy + window[1]), slice(sz, sz + window[2]))
                logits = run_torch(module, grid[box][None])[0]
                sums[(slice(None),) + box] += logits * weights
                weight_sums[box] += weights
    blended = sums / weight_sums
    crop = tuple(slice(o, o + n) for o, n in zip(offsets, z.shape))
    return blended[(slice(None),) + crop]


def zscore(raw):
    """The card's z-score (population sd) over the whole volume, like the engine: float64 maths, float32 result."""
    values = raw.astype(np.float64)
    return ((values - values.mean()) * (1 / values.std())).astype(np.float32)


def as_engine_order(xyz):
    """An (nx, ny, nz) array as numpy (nz, ny, nx): the same flat order as the engine's [nx, ny, nz]."""
    return np.ascontiguousarray(xyz.transpose(2, 1, 0))


def main():
    os.makedirs(MODELS, exist_ok=True)
    os.makedirs(os.path.join(golden_json.GOLDENS, 'sliding-window'), exist_ok=True)
    meta = {
        'misas.classes': ','.join(CLASSES),
        'misas.normalization': 'z-score',
        'misas.output': 'logits',
    }
    export(pointwise_model(), 'window3d_pointwise', (1, 1, 16, 16, 16),
           dict(meta, **{'misas.geometry': '{"policy": "sliding-window", "size": [16, 16, 16]}'}))
    module = conv_model()
    export(module, 'window3d_conv', (1, 1, 8, 16, 16),
           dict(meta, **{'misas.geometry': '{"policy": "sliding-window", "size": [16, 16, 8]}'}))

    raw = np.asarray(nib.load(CROP).dataobj).astype(np.float32)  # (nx, ny, nz) = (40, 48, 10)
    window = (16, 16, 8)
    cases = {}
    # The whole crop, and its first 12 columns (narrower than the window: padded with the minimum).
    for volume_name, volume in [('crop', raw), ('x12', raw[:12])]:
        z = zscore(volume)
        whole_labels = run_torch(module, z[None])[0].argmax(axis=0).astype(np.uint8)
        configs = [(0.25, 'gaussian'), (0.25, 'uniform'), (0.5, 'gaussian'), (0, 'uniform')] if volume_name == 'crop' else [(0.25, 'gaussian')]
        for overlap, blend in configs:
            blended = sliding_window(module, z, window, overlap, blend)
            labels = blended.argmax(axis=0).astype(np.uint8)
            top2 = np.sort(blended, axis=0)[-2:]
            ambiguous = np.flatnonzero(as_engine_order(top2[1] - top2[0]) < AMBIGUOUS).astype(np.int64)
            agreement = float((labels == whole_labels).mean())
            name = f'{volume_name}_overlap{overlap}_{blend}'
            cases[name] = {
                'params': {'columns': int(volume.shape[0]), 'overlap': overlap, 'blend': blend, 'window': list(window),
                           'starts': [window_starts(max(n, p), p, overlap) for n, p in zip(z.shape, window)],
                           'agreementWithWholeVolume': agreement},
                'arrays': {
                    'labels': golden_json.array(as_engine_order(labels), 9),
                    'ambiguous': golden_json.array(ambiguous, 9),
                },
            }
            print(f'{name}: starts {cases[name]["params"]["starts"]}, {len(ambiguous)} ambiguous voxels, '
                  f'{agreement:.4f} agree with the whole volume, counts {np.bincount(labels.ravel(), minlength=3)}')
        cases[f'{volume_name}_whole_volume'] = {'params': {'columns': int(volume.shape[0])},
                                                'arrays': {'labels': golden_json.array(as_engine_order(whole_labels), 9)}}
    golden_json.write('sliding-window', 'colin27_crop.json', 'tools/testmodels/make_window_models.py', cases)


if __name__ == '__main__':
    main()
