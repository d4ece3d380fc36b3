#!/usr/bin/python3
"""Writes small synthetic DICOM Part-10 files with pydicom into test/data/dicom/ and, as the
independent reference, what pydicom decodes from them (test/data/dicom/expected.json).

Run with Debian's Python: /usr/bin/python3 tools/testdata/make_dicom.py

Cases: the three uncompressed transfer syntaxes (implicit LE, explicit LE, explicit BE), signed
16-bit with rescale, non-square pixel spacing, RGB (interleaved and planar), a file without an
extension, and an RLE-compressed file the reader must refuse clearly.
Data arrays in the JSON are flattened row by row (column fastest = engine order).
"""
import json
import os
import shutil

import numpy as np
import pydicom
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import (ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian, RLELossless,
                         generate_uid)

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'data', 'dicom')
ROWS, COLUMNS = 4, 5


def ramp(dtype, scale=1, offset=0):
    rows, cols = np.meshgrid(np.arange(ROWS), np.arange(COLUMNS), indexing='ij')
    return ((cols + 10 * rows) * scale + offset).astype(dtype)


def dataset(name, transfer_syntax, pixels, *, signed=False, samples=1, planar=0, spacing=(1.0, 1.0),
            slope=None, intercept=None):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.7'
    meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=['misas dicom', name])
    meta.TransferSyntaxUID = transfer_syntax
    meta.ImplementationClassUID = generate_uid(entropy_srcs=['misas testdata'])
    ds = FileDataset(name, {}, file_meta=meta, preamble=b'\0' * 128)
    ds.is_little_endian = transfer_syntax != ExplicitVRBigEndian
    ds.is_implicit_VR = transfer_syntax == ImplicitVRLittleEndian
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality = 'OT'
    ds.PatientID = 'synthetic'
    ds.SamplesPerPixel = samples
    ds.PhotometricInterpretation = 'RGB' if samples == 3 else 'MONOCHROME2'
    if samples == 3:
        ds.PlanarConfiguration = planar
    ds.Rows, ds.Columns = ROWS, COLUMNS
    bits = pixels.dtype.itemsize * 8
    ds.BitsAllocated = bits
    ds.BitsStored = bits
    ds.HighBit = bits - 1
    ds.PixelRepresentation = 1 if signed else 0
    ds.PixelSpacing = list(spacing)
    if slope is not None:
        ds.RescaleSlope = slope
        ds.RescaleIntercept = intercept
    byte_order = '<' if ds.is_little_endian else '>'
    ds.PixelData = pixels.astype(pixels.dtype.newbyteorder(byte_order)).tobytes()
    return ds


def save(ds, name):
    path = os.path.join(OUT, name)
    ds.save_as(path, write_like_original=False)
    return path


def describe(path):
    ds = pydicom.dcmread(path)
    pixels = ds.pixel_array.astype(np.float64)
    slope = float(getattr(ds, 'RescaleSlope', 1))
    intercept = float(getattr(ds, 'RescaleIntercept', 0))
    values = pixels * slope + intercept
    if ds.SamplesPerPixel == 3:
        values = np.moveaxis(values, -1, 0)  # planar channels
    return {
        'rows': int(ds.Rows),
        'columns': int(ds.Columns),
        'samples': int(ds.SamplesPerPixel),
        'pixel_spacing': [float(v) for v in ds.PixelSpacing],
        'transfer_syntax': str(ds.file_meta.TransferSyntaxUID),
        'data': values.flatten().tolist(),
        'affine_ras': affine_ras(ds),
    }


def affine_ras(ds):
    """Voxel (column, row, 0) -> RAS+ mm, from Image Orientation/Position (Patient), which are LPS."""
    if 'ImageOrientationPatient' not in ds:
        return None
    iop = np.array(ds.ImageOrientationPatient, dtype=float)
    row_spacing, column_spacing = (float(v) for v in ds.PixelSpacing)
    lps = np.eye(4)
    lps[:3, 0] = iop[:3] * column_spacing
    lps[:3, 1] = iop[3:] * row_spacing
    lps[:3, 2] = np.cross(iop[:3], iop[3:]) * float(ds.SliceThickness)
    lps[:3, 3] = np.array(ds.ImagePositionPatient, dtype=float)
    return (np.diag([-1, -1, 1, 1]) @ lps).tolist()


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {}
    cases = [
        ('implicit_le_uint16.dcm', dataset('a', ImplicitVRLittleEndian, ramp(np.uint16, 1000, 7), spacing=(0.5, 0.8))),
        ('explicit_le_uint8.dcm', dataset('b', ExplicitVRLittleEndian, ramp(np.uint8, 3))),
        ('explicit_be_int16_rescale.dcm', dataset('c', ExplicitVRBigEndian, ramp(np.int16, -37, 300), signed=True,
                                                  spacing=(1.25, 0.75), slope=2, intercept=-1024)),
        ('explicit_le_int16_fractional_rescale.dcm', dataset('d', ExplicitVRLittleEndian, ramp(np.int16, 5, -50),
                                                             signed=True, slope=0.25, intercept=1.5)),
    ]
    rgb = np.stack([ramp(np.uint8, 1), ramp(np.uint8, 2, 100), ramp(np.uint8, 3, 10)], axis=-1)
    cases.append(('explicit_le_rgb.dcm', dataset('e', ExplicitVRLittleEndian, rgb, samples=3, planar=0)))
    planar = dataset('f', ExplicitVRLittleEndian, rgb, samples=3, planar=1)
    planar.PixelData = np.moveaxis(rgb, -1, 0).tobytes()  # colour-by-plane order
    cases.append(('explicit_le_rgb_planar.dcm', planar))
    # Patient geometry on the big-endian case: rows rotated 10 degrees about z.
    oriented = cases[2][1]
    angle = np.deg2rad(10)
    oriented.ImageOrientationPatient = [round(v, 6) for v in
                                        [np.cos(angle), np.sin(angle), 0, -np.sin(angle), np.cos(angle), 0]]
    oriented.ImagePositionPatient = [-100.5, 20.25, 33]
    oriented.SliceThickness = 2.5
    for name, ds in cases:
        expected[name] = describe(save(ds, name))

    # The same file without an extension: found by its DICM magic.
    shutil.copy(os.path.join(OUT, 'implicit_le_uint16.dcm'), os.path.join(OUT, 'IM0001'))

    rle = dataset('g', ExplicitVRLittleEndian, ramp(np.uint16, 1000, 7))
    rle.compress(RLELossless)
    save(rle, 'rle_compressed.dcm')

    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump({'generator': 'tools/testdata/make_dicom.py (pydicom %s)' % pydicom.__version__, 'files': expected},
                  f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
