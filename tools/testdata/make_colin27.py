#!/usr/bin/python3
"""Cuts the real test data in test/data/colin27/ from Debian's mricron-data package.

Run with Debian's Python (numpy, nibabel, pydicom, PIL): /usr/bin/python3 tools/testdata/make_colin27.py
Prints the facts the TypeScript tests check (shapes, affines, a few voxel values).

Layout note: PNG and DICOM rows are the NIfTI j axis (row 0 = j 0), columns the i axis, so all
three formats hold the same flat voxel order (x = i fastest). Displayed, the PNG therefore shows
posterior at the top.
"""
import datetime
import os

import nibabel as nib
import numpy as np
import pydicom
from PIL import Image
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

TEMPLATES = '/usr/share/mricron/templates'
OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'data', 'colin27')
SLICE_Z = 68  # axial slice with all four classes (cortex, deep GM and cerebellum)
CROP = (slice(70, 110), slice(84, 132), slice(85, 95))  # 40x48x10 around the centre

# Class palette for the palette PNG (index = class number).
PALETTE = [0, 0, 0, 230, 80, 60, 60, 160, 230, 240, 200, 40]


def four_classes(aal):
    """AAL labels -> 0 background, 1 cortex GM (1-90 without 71-78), 2 deep GM (71-78), 3 cerebellum (91-116)."""
    classes = np.zeros(aal.shape, dtype=np.uint8)
    classes[(aal >= 1) & (aal <= 90)] = 1
    classes[(aal >= 71) & (aal <= 78)] = 2
    classes[(aal >= 91) & (aal <= 116)] = 3
    return classes


def save_nifti(array, affine, name):
    image = nib.Nifti1Image(array, affine)
    image.header.set_xyzt_units('mm')
    nib.save(image, os.path.join(OUT, name))
    return nib.load(os.path.join(OUT, name))


def png_rows(plane):
    """(nx, ny) NIfTI plane -> (rows = ny, columns = nx) array for PNG/DICOM."""
    return np.ascontiguousarray(plane.T)


def save_dicom(plane_rows, name):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.7'  # Secondary Capture
    meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=['misas colin27', name])
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = generate_uid(entropy_srcs=['misas testdata'])
    ds = FileDataset(name, {}, file_meta=meta, preamble=b'\0' * 128)
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = generate_uid(entropy_srcs=['misas colin27 study'])
    ds.SeriesInstanceUID = generate_uid(entropy_srcs=['misas colin27 series'])
    ds.Modality = 'OT'
    ds.PatientName = 'Colin27^Template'
    ds.PatientID = 'colin27'
    ds.ContentDate = datetime.date(2024, 1, 1).strftime('%Y%m%d')
    ds.ImageComments = f'ch2bet.nii.gz axial slice z={SLICE_Z} (mricron-data), rows = NIfTI j, columns = NIfTI i'
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = 'MONOCHROME2'
    ds.Rows, ds.Columns = plane_rows.shape
    ds.BitsAllocated = 8
    ds.BitsStored = 8
    ds.HighBit = 7
    ds.PixelRepresentation = 0
    ds.PixelSpacing = [1.0, 1.0]
    ds.SliceThickness = 1.0
    ds.PixelData = plane_rows.astype(np.uint8).tobytes()
    ds.save_as(os.path.join(OUT, name), write_like_original=False)
    return pydicom.dcmread(os.path.join(OUT, name))


def main():
    os.makedirs(OUT, exist_ok=True)
    t1 = nib.load(os.path.join(TEMPLATES, 'ch2bet.nii.gz'))
    aal = nib.load(os.path.join(TEMPLATES, 'aal.nii.gz'))
    t1_data = np.asarray(t1.dataobj)
    classes = four_classes(np.asarray(aal.dataobj))

    t1_slice = t1.slicer[:, :, SLICE_Z:SLICE_Z + 1]
    image = save_nifti(np.asarray(t1_slice.dataobj).astype(np.uint8), t1_slice.affine, f'ch2bet_z{SLICE_Z}.nii.gz')
    label = save_nifti(classes[:, :, SLICE_Z:SLICE_Z + 1], t1_slice.affine, f'aal4_z{SLICE_Z}.nii.gz')
    crop = t1.slicer[CROP]
    crop_image = save_nifti(np.asarray(crop.dataobj).astype(np.uint8), crop.affine, 'ch2bet_crop40x48x10.nii.gz')

    image_plane = t1_data[:, :, SLICE_Z]
    label_plane = classes[:, :, SLICE_Z]
    Image.fromarray(png_rows(image_plane), mode='L').save(os.path.join(OUT, f'ch2bet_z{SLICE_Z}.png'))
    Image.fromarray(png_rows(label_plane), mode='L').save(os.path.join(OUT, f'aal4_z{SLICE_Z}.png'))
    palette_png = Image.fromarray(png_rows(label_plane), mode='P')
    palette_png.putpalette(PALETTE)
    palette_png.save(os.path.join(OUT, f'aal4_z{SLICE_Z}_palette.png'))
    dicom = save_dicom(png_rows(image_plane), f'ch2bet_z{SLICE_Z}.dcm')

    # Facts for the tests.
    print('image', image.shape, image.get_data_dtype(), image.header.get_zooms())
    print('image affine', image.affine.tolist())
    print('crop', crop_image.shape, crop_image.get_data_dtype(), 'affine', crop_image.affine.tolist())
    print('label classes', np.unique(np.asarray(label.dataobj)).tolist(),
          'counts', [int((label_plane == c).sum()) for c in range(4)])
    img = np.asarray(image.dataobj)[:, :, 0]
    for i, j in [(90, 108), (60, 150), (120, 60), (45, 100), (0, 0)]:
        print(f'image[{i},{j}] =', int(img[i, j]), ' label =', int(label_plane[i, j]))
    for cls in range(4):
        j, i = np.argwhere(png_rows(label_plane) == cls)[0]  # first voxel of the class in flat order
        print(f'first voxel of class {cls}: [{i},{j}] flat index {i + label_plane.shape[0] * j}')
    c = np.asarray(crop_image.dataobj)
    for i, j, k in [(0, 0, 0), (20, 24, 5), (39, 47, 9), (10, 30, 2)]:
        print(f'crop[{i},{j},{k}] =', int(c[i, j, k]))
    print('image sum', int(img.astype(np.int64).sum()), 'crop sum', int(c.astype(np.int64).sum()))
    png = np.asarray(Image.open(os.path.join(OUT, f'ch2bet_z{SLICE_Z}.png')))
    print('png equals plane', bool((png.T == image_plane).all()), 'dicom equals plane',
          bool((dicom.pixel_array.T == image_plane).all()))


if __name__ == '__main__':
    main()
