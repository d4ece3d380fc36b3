"""Build the 4-class Colin27 axial-slice data set and the example slices.

Writes
  build/slices.npz                     model-grid (128x128) inputs and labels, train + validation
  examples/colin27/data/*.nii.gz       a few validation slices on their original 1 mm grid (+ labels)
  examples/colin27/data/*.png          two of them as 8-bit PNG (raw intensities, label values 0..3)
Run: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/train-colin27/prepare.py
"""
import os
import numpy as np
import nibabel as nib
from PIL import Image

import colin27 as c

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, 'build')
DATA_OUT = os.path.join(HERE, '..', '..', 'examples', 'colin27', 'data')

EXAMPLE_SLICES = (45, 65, 75, 85, 115)  # validation slices covering every class
PNG_SLICES = (65, 85)


def slice_affine(affine, z):
    """Affine of slice z: the volume's, translated to the slice's position along z."""
    out = affine.copy()
    out[:3, 3] = affine[:3, :3] @ np.array([0.0, 0.0, z]) + affine[:3, 3]
    return out


def save_slice_nifti(plane_xy, affine, path):
    """Saves a 2D (nx, ny) NIfTI: dim[0] = 2, 1 mm pixels, the template's MNI sform."""
    img = nib.Nifti1Image(plane_xy, affine)
    img.header.set_data_dtype(np.uint8)
    img.header.set_xyzt_units('mm')
    img.set_sform(affine, code=4)
    img.set_qform(affine, code=4)
    nib.save(img, path)


def main():
    os.makedirs(BUILD, exist_ok=True)
    os.makedirs(DATA_OUT, exist_ok=True)
    image, labels, affine = c.load_volumes()
    brain_z = [z for z in range(image.shape[2]) if (image[:, :, z] > 0).any()]

    sets = {'train': ([], [], []), 'val': ([], [], [])}
    val_original = ([], [])
    for z in brain_z:
        split = c.split_of(z)
        if split == 'gap':
            continue
        img2d = c.axial_slice(image, z)
        lab2d = c.axial_slice(labels, z)
        xs, ys, zs = sets[split]
        xs.append(c.model_input(img2d))
        ys.append(c.resize_nearest(lab2d, c.MODEL_SIZE))
        zs.append(z)
        if split == 'val':
            val_original[0].append(img2d)
            val_original[1].append(lab2d)

    np.savez_compressed(
        os.path.join(BUILD, 'slices.npz'),
        train_x=np.stack(sets['train'][0]), train_y=np.stack(sets['train'][1]), train_z=np.array(sets['train'][2]),
        val_x=np.stack(sets['val'][0]), val_y=np.stack(sets['val'][1]), val_z=np.array(sets['val'][2]),
        val_image_orig=np.stack(val_original[0]), val_label_orig=np.stack(val_original[1]),
    )
    print(f"brain slices z={brain_z[0]}..{brain_z[-1]}: train {len(sets['train'][2])}, "
          f"val {len(sets['val'][2])} (z={sets['val'][2]})")

    for z in EXAMPLE_SLICES:
        assert c.split_of(z) == 'val'
        stem = os.path.join(DATA_OUT, f'colin27_z{z:03d}')
        save_slice_nifti(image[:, :, z], slice_affine(affine, z), stem + '_image.nii.gz')
        save_slice_nifti(labels[:, :, z], slice_affine(affine, z), stem + '_label.nii.gz')
        if z in PNG_SLICES:
            # PNG rows = y (row 0 = posterior), columns = x: the same pixel order as the NIfTI.
            Image.fromarray(c.axial_slice(image, z), mode='L').save(stem + '_image.png', optimize=True)
            Image.fromarray(c.axial_slice(labels, z), mode='L').save(stem + '_label.png', optimize=True)
    print(f'example slices {EXAMPLE_SLICES} written to {os.path.normpath(DATA_OUT)}')


if __name__ == '__main__':
    main()
