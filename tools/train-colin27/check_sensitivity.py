"""Sanity check that the example model shows what misas is for: rotation and intensity sensitivity.

Rotates / scales the validation slices on their original 1 mm grid (scipy: image linear,
labels nearest), runs the trained torch model through the same preprocessing and prints the
pooled validation Dice per class. Not a reference for the engine's transforms.
Run: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/train-colin27/check_sensitivity.py
"""
import os

import numpy as np
import torch
from scipy import ndimage

import colin27 as c

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, 'build')


def pooled_dice(model, images, labels):
    x = np.stack([c.model_input(i) for i in images])
    with torch.no_grad():
        logits = model(torch.from_numpy(x)[:, None]).numpy()
    pred = np.stack([c.resize_linear(l, labels.shape[1:]) for l in logits]).argmax(1)
    return c.dice_per_class(pred, labels)


def main():
    torch.set_num_threads(2)
    data = np.load(os.path.join(BUILD, 'slices.npz'))
    images, labels = data['val_image_orig'], data['val_label_orig']
    model = c.UNet()
    model.load_state_dict(torch.load(os.path.join(BUILD, 'model.pt')))
    model.eval()
    print('Dice cortex / deep GM / cerebellum (pooled over the validation slices)')
    for deg in (0, 10, 20, 30, 45, 90, 180):
        rot_i = np.stack([ndimage.rotate(i.astype(np.float32), deg, reshape=False, order=1) for i in images])
        rot_l = np.stack([ndimage.rotate(l, deg, reshape=False, order=0) for l in labels])
        print(f'rotate {deg:4d} deg: ', np.round(pooled_dice(model, np.clip(rot_i, 0, 255), rot_l), 3))
    for factor in (0.25, 0.5, 0.8, 1.25, 2.0):
        print(f'brightness x{factor:<4}:  ', np.round(pooled_dice(model, np.clip(images * factor, 0, 255), labels), 3))


if __name__ == '__main__':
    main()
