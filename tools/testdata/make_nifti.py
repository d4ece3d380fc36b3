#!/usr/bin/python3
"""Writes small synthetic NIfTI files with nibabel into test/data/nifti/ and, as the independent
reference, what nibabel reads back from them (test/data/nifti/expected.json).

Run with Debian's Python: /usr/bin/python3 tools/testdata/make_nifti.py

Each case covers something the reader must get right: big-endian data with scl_slope/scl_inter,
qform-only geometry with a rotation, sform preferred over a higher qform code, NIfTI-2, a 4D
series, float labels, and metres as the spatial unit.
Data arrays in the JSON are flattened with the first axis fastest (engine order).
"""
import json
import os
import struct

import nibabel as nib
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'data', 'nifti')


def ramp(shape, dtype, scale=1.0, offset=0.0):
    """Values x + 10 y + 100 z (+ 1000 t) on the grid, deterministic and easy to read."""
    grids = np.meshgrid(*[np.arange(n) for n in shape], indexing='ij')
    values = sum(g * 10 ** axis for axis, g in enumerate(grids)) * scale + offset
    return values.astype(dtype)


def rotation_affine(zooms, angle_deg, offset):
    a = np.deg2rad(angle_deg)
    rot = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    affine = np.eye(4)
    affine[:3, :3] = rot @ np.diag(zooms)
    affine[:3, 3] = offset
    return affine


def engine_order(array):
    return np.asarray(array).flatten(order='F').tolist()


def describe(path, frame=None):
    image = nib.load(path)
    data = image.get_fdata(dtype=np.float64)
    if frame is not None:
        data = data[..., frame]
    return {
        'shape': list(image.shape),
        'dtype': str(image.get_data_dtype().newbyteorder('=')),
        'endianness': image.header.endianness,
        'zooms': [float(z) for z in image.header.get_zooms()],
        'affine': image.affine.tolist(),
        'scl_slope_inter': [None if np.isnan(v) else float(v) for v in (image.header['scl_slope'], image.header['scl_inter'])],
        'data': engine_order(data),
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {}

    # Big-endian int16 with slope/inter, geometry only in the qform (rotated 30 degrees).
    raw = ramp((5, 4, 3), np.int16)
    affine = rotation_affine([0.5, 0.75, 2.0], 30, [10, -20, 5])
    header = nib.Nifti1Header(endianness='>')
    image = nib.Nifti1Image(raw, None, header)
    image.set_data_dtype(np.int16)
    image.set_qform(affine, code='scanner')
    image.set_sform(np.diag([9, 9, 9, 1]), code='unknown')  # must be ignored (code 0)
    nib.save(image, os.path.join(OUT, 'int16_be_scaled_qform.nii'))
    # nibabel recomputes scaling for in-memory arrays on save: set slope/inter in the bytes.
    with open(os.path.join(OUT, 'int16_be_scaled_qform.nii'), 'r+b') as f:
        f.seek(112)
        f.write(struct.pack('>ff', 0.5, -10.0))
    expected['int16_be_scaled_qform.nii'] = describe(os.path.join(OUT, 'int16_be_scaled_qform.nii'))
    expected['int16_be_scaled_qform.nii']['raw'] = engine_order(raw)

    # sform (code 1) wins over a qform with a higher code (2), as in nibabel.
    image = nib.Nifti1Image(ramp((4, 3, 2), np.uint8), None)
    image.set_qform(np.diag([2, 2, 2, 1]), code='aligned')
    image.set_sform(rotation_affine([1.5, 1.5, 3], -15, [1, 2, 3]), code='scanner')
    nib.save(image, os.path.join(OUT, 'uint8_sform_over_qform.nii.gz'))
    expected['uint8_sform_over_qform.nii.gz'] = describe(os.path.join(OUT, 'uint8_sform_over_qform.nii.gz'))

    # NIfTI-2, float32 with negative and fractional values.
    data = ramp((6, 5, 2), np.float32, scale=0.25, offset=-3.5)
    image = nib.Nifti2Image(data, rotation_affine([1.2, 1.2, 4], 0, [-5, -6, -7]))
    nib.save(image, os.path.join(OUT, 'float32_nifti2.nii'))
    expected['float32_nifti2.nii'] = describe(os.path.join(OUT, 'float32_nifti2.nii'))

    # NIfTI-2, big-endian float64, gzipped.
    data = ramp((3, 4, 2), np.float64, scale=-1.125, offset=0.1)
    header = nib.Nifti2Header(endianness='>')
    image = nib.Nifti2Image(data, np.diag([2.0, 3.0, 4.0, 1.0]), header)
    image.set_data_dtype(np.float64)
    nib.save(image, os.path.join(OUT, 'float64_be_nifti2.nii.gz'))
    expected['float64_be_nifti2.nii.gz'] = describe(os.path.join(OUT, 'float64_be_nifti2.nii.gz'))

    # 4D uint16 series of three frames; the reader returns one frame.
    data = ramp((4, 3, 2, 3), np.uint16)
    image = nib.Nifti1Image(data, np.diag([1.0, 1.0, 2.5, 1.0]))
    nib.save(image, os.path.join(OUT, 'uint16_4d.nii.gz'))
    for frame in (0, 2):
        expected[f'uint16_4d.nii.gz#frame{frame}'] = describe(os.path.join(OUT, 'uint16_4d.nii.gz'), frame)

    # Float32 label map with integral values (as many tools write labels).
    labels = (ramp((5, 4, 2), np.int32) % 4).astype(np.float32)
    nib.save(nib.Nifti1Image(labels, np.eye(4)), os.path.join(OUT, 'labels_float32.nii.gz'))
    expected['labels_float32.nii.gz'] = describe(os.path.join(OUT, 'labels_float32.nii.gz'))

    # int32 and signed int8, plus spacing in metres (xyzt_units).
    data = ramp((3, 3, 2), np.int32, scale=-1000)
    image = nib.Nifti1Image(data, np.diag([0.001, 0.001, 0.002, 1.0]))
    image.header.set_xyzt_units('meter')
    nib.save(image, os.path.join(OUT, 'int32_metres.nii'))
    expected['int32_metres.nii'] = describe(os.path.join(OUT, 'int32_metres.nii'))
    data = ramp((4, 2, 1), np.int8, scale=-1)
    nib.save(nib.Nifti1Image(data, np.diag([0.8, 0.9, 1.0, 1.0])), os.path.join(OUT, 'int8_2d.nii'))
    expected['int8_2d.nii'] = describe(os.path.join(OUT, 'int8_2d.nii'))

    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump({'generator': 'tools/testdata/make_nifti.py (nibabel %s)' % nib.__version__, 'files': expected}, f, indent=1, allow_nan=False)
        f.write('\n')


if __name__ == '__main__':
    main()
