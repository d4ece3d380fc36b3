"""Export the trained U-Net to ONNX, write its model card and the reference predictions.

Writes
  examples/colin27/model.onnx              input 'image' [batch,1,128,128] float32 -> output 'logits' [batch,4,128,128]
  examples/colin27/model.onnx.misas.json   model card (proposal following DESIGN.md "Model card")
  examples/colin27/reference/              exact model inputs and torch argmax for the example slices
Run: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/train-colin27/export.py
`--name model-rotaug` exports the comparison model (trained with `train.py --rotate 45 --name
model-rotaug`) to examples/colin27/model-rotaug.onnx with its card; it has no reference files.
"""
import argparse
import json
import os

import nibabel as nib
import numpy as np
import onnx
import torch
from PIL import Image

import colin27 as c
from prepare import EXAMPLE_SLICES, PNG_SLICES

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, 'build')
EXAMPLE = os.path.normpath(os.path.join(HERE, '..', '..', 'examples', 'colin27'))
ONNX_PATH = os.path.join(EXAMPLE, 'model.onnx')
REFERENCE = os.path.join(EXAMPLE, 'reference')
OPSET = 13
FULL_LOGITS_SLICE = 75  # one slice also gets its raw logits, for numeric tolerance tests

# The model card (schemas/model-card.schema.json). Everything else (input name, shapes, dtype)
# misas reads from the ONNX file itself.
MODEL_CARD = {
    '$schema': '../../schemas/model-card.schema.json',
    'description': '4-class 2D U-Net (117k parameters) on axial Colin27 slices, trained by tools/train-colin27 '
                   'without rotation augmentation. A toy example, not a clinical model.',
    'spatialDims': 2,
    'layout': 'NCHW',
    'channels': 1,
    'channelMode': 'grey',
    'geometry': {'policy': 'resize', 'size': [c.MODEL_SIZE[1], c.MODEL_SIZE[0]]},
    'normalization': {'kind': 'scale', 'factor': 1 / 255},
    'output': {'kind': 'logits', 'name': 'logits'},
    'classes': c.CLASS_NAMES,
    'sliceAxis': c.SLICE_AXIS,
}

METADATA = {
    'misas.classes': ','.join(c.CLASS_NAMES),
    'misas.normalization': 'scale:1/255',
    'misas.output': 'logits',
    'misas.layout': 'NCHW',
    'misas.geometry': 'resize:128x128:linear',
    'misas.slice_axis': str(c.SLICE_AXIS),
    'misas.training': 'toy example: one subject (Colin27, mricron-data), see tools/train-colin27/README.md',
}


def export_onnx(model, onnx_path=ONNX_PATH):
    dummy = torch.zeros(2, 1, *c.MODEL_SIZE)
    torch.onnx.export(
        model, dummy, onnx_path, input_names=['image'], output_names=['logits'],
        dynamic_axes={'image': {0: 'batch'}, 'logits': {0: 'batch'}},
        opset_version=OPSET, do_constant_folding=True)
    proto = onnx.load(onnx_path)
    for key, value in METADATA.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    proto.doc_string = '4-class 2D U-Net on Colin27 axial slices (misas example; not a clinical model)'
    proto.producer_name = 'misas tools/train-colin27'
    onnx.checker.check_model(proto, full_check=True)
    onnx.save(proto, onnx_path)
    inp, out = proto.graph.input[0], proto.graph.output[0]
    dims = lambda v: [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]  # noqa: E731
    print(f'{onnx_path}: {os.path.getsize(onnx_path)} bytes, opset {proto.opset_import[0].version}, '
          f'{inp.name} {dims(inp)} -> {out.name} {dims(out)}')


def example_input(z):
    """The model input computed from the example files on disk, as the engine would read them."""
    stem = os.path.join(EXAMPLE, 'data', f'colin27_z{z:03d}')
    plane = np.asanyarray(nib.load(stem + '_image.nii.gz').dataobj)  # (nx, ny)
    image = np.ascontiguousarray(plane.T)  # (ny, nx): flat order = file order
    if z in PNG_SLICES:
        assert np.array_equal(np.array(Image.open(stem + '_image.png')), image)
    label = np.ascontiguousarray(np.asanyarray(nib.load(stem + '_label.nii.gz').dataobj).T)
    return c.model_input(image), label


def write_reference(model):
    os.makedirs(REFERENCE, exist_ok=True)
    items = []
    for z in EXAMPLE_SLICES:
        x, label = example_input(z)
        with torch.no_grad():
            logits = model(torch.from_numpy(x)[None, None])[0].numpy()
        argmax = logits.argmax(0).astype(np.uint8)
        top2 = np.sort(logits, axis=0)[-2:]
        margin = top2[1] - top2[0]
        name = f'z{z:03d}'
        x.astype('<f4').tofile(os.path.join(REFERENCE, f'{name}_input.f32'))
        argmax.tofile(os.path.join(REFERENCE, f'{name}_argmax.u8'))
        item = {
            'id': name,
            'image': f'../data/colin27_{name}_image.nii.gz',
            'label': f'../data/colin27_{name}_label.nii.gz',
            'input': f'{name}_input.f32',
            'argmax': f'{name}_argmax.u8',
            'minTop2Margin': round(float(margin.min()), 6),
            'pixelsWithTop2MarginBelow1e-3': int((margin < 1e-3).sum()),
            # null where the class is in neither the prediction nor the label (Dice undefined)
            'diceOriginalGrid': [None if np.isnan(d) else round(d, 4) for d in c.dice_per_class(
                np.stack([c.resize_linear(l, label.shape) for l in logits]).argmax(0), label)],
        }
        if z == FULL_LOGITS_SLICE:
            logits.astype('<f4').tofile(os.path.join(REFERENCE, f'{name}_logits.f32'))
            item['logits'] = f'{name}_logits.f32'
        items.append(item)
        print(name, 'argmax class counts', np.bincount(argmax.ravel(), minlength=4).tolist(),
              'min top-2 margin', item['minTop2Margin'], 'Dice', item['diceOriginalGrid'])
    manifest = {
        '$comment': 'Torch (1.13, CPU) reference for model.onnx. Raw little-endian files, C order, '
                    'no header. input: float32 [1,1,128,128] = exactly what is fed to "image" '
                    '(resize 217x181 -> 128x128 linear, half-pixel centres, then x/255). '
                    'argmax: uint8 [128,128] = argmax over the 4 "logits" channels. '
                    'logits: float32 [1,4,128,128]. diceOriginalGrid: cortex, deep_gm, cerebellum '
                    'after resizing the logits back to 217x181 (linear) and argmax.',
        'model': '../model.onnx',
        'inputName': 'image', 'inputShape': [1, 1, 128, 128], 'inputDtype': 'float32',
        'outputName': 'logits', 'outputShape': [1, 4, 128, 128],
        'argmaxShape': [128, 128], 'argmaxDtype': 'uint8',
        'classes': c.CLASS_NAMES,
        'items': items,
    }
    with open(os.path.join(REFERENCE, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=2, allow_nan=False)
        f.write('\n')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--name', default='model', help='build/<name>.pt -> examples/colin27/<name>.onnx')
    args = parser.parse_args()
    torch.set_num_threads(2)
    model = c.UNet()
    model.load_state_dict(torch.load(os.path.join(BUILD, f'{args.name}.pt')))
    model.eval()
    onnx_path = os.path.join(EXAMPLE, f'{args.name}.onnx')
    export_onnx(model, onnx_path)
    card = dict(MODEL_CARD)
    if args.name != 'model':
        card['description'] = ('The same 4-class 2D U-Net, seed and schedule as model.onnx, trained WITH rotation '
                               'augmentation (uniform -45..45 degrees, p = 0.5): the comparison model of the example.')
    with open(onnx_path + '.misas.json', 'w') as f:
        json.dump(card, f, indent=2)
        f.write('\n')
    if args.name == 'model':
        write_reference(model)


if __name__ == '__main__':
    main()
