#!/usr/bin/python3
"""Writes DICOM series (one file per slice) made from the real Colin27 test crop into
test/data/dicom-series/, with pydicom, and the same data as NIfTI with nibabel (the reference
the tests compare the series' voxels and affine with).

Run with Debian's Python: /usr/bin/python3 tools/testdata/make_dicom_series.py
Check the files are valid DICOM with dcmtk: dcmdump test/data/dicom-series/oblique/*
When Debian's plastimatch is installed, ITK (through GDCM) reads the oblique and rescaled series
too, and its NIfTI must equal the reference: voxels and affine (an independent sorter).

The crop (test/data/colin27/ch2bet_crop40x48x10.nii.gz, 40x48x10 uint8) is given a double-oblique
orientation (rotations with 3-4-5 cosines about z then x, so every direction cosine is a short
decimal), 1.25 mm columns x 1.5 mm rows x 2.5 mm slices. Series:
  oblique/     10 files, random names (some without extension), Instance Numbers shuffled, the
               three uncompressed transfer syntaxes mixed, uint8 like the NIfTI
  rescaled/    the same stored as int16 = value + 1024 with Rescale Intercept -1024
  gap/         oblique without its fifth slice
  duplicate/   oblique plus a second file at the fourth slice's position
  two-series/  oblique plus three slices of another series
  tilted/      oblique with each slice shifted 0.5 mm along the rows (a gantry-tilted stack)
  enhanced.dcm          the same grid as one Enhanced MR Image (multi-frame), frames stored in a shuffled
                        order, each with its Plane Position; orientation, pixel measures and the
                        rescale (int16 + 1024, intercept -1024) in the Shared Functional Groups
  enhanced_cine.dcm     three frames at one position (a time series): frames, not a volume
reference.nii.gz and reference_mask.nii.gz (the crop's label map) hold the same grid as NIfTI.
"""
import os
import random
import shutil
import subprocess
import tempfile

import nibabel as nib
import numpy as np
import pydicom
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian, generate_uid

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', '..', 'test', 'data')
OUT = os.path.join(DATA, 'dicom-series')

ROT_Z = np.array([[0.8, -0.6, 0], [0.6, 0.8, 0], [0, 0, 1]])
ROT_X = np.array([[1, 0, 0], [0, 0.6, -0.8], [0, 0.8, 0.6]])
SPACING = [1.25, 1.5, 2.5]  # x = along a row (column index), y = down a column (row index), z
AFFINE = np.eye(4)
AFFINE[:3, :3] = ROT_X @ ROT_Z @ np.diag(SPACING)
AFFINE[:3, 3] = [12.5, -30.25, 7.75]
LPS = np.diag([-1, -1, 1])
SYNTAXES = [ExplicitVRLittleEndian, ImplicitVRLittleEndian, ExplicitVRBigEndian]


def slice_dataset(pixels, k, *, series_uid, series_number, description, instance, syntax, shift=0.0, rescaled=False):
    """Slice k of the grid as a single-frame MR image (pixels: rows x columns uint8; int16 + 1024 when rescaled)."""
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.4'  # MR Image Storage
    meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=['misas series', series_uid, str(k), str(shift),
                                                                 str(instance)])
    meta.TransferSyntaxUID = syntax
    meta.ImplementationClassUID = generate_uid(entropy_srcs=['misas testdata'])
    ds = FileDataset('slice', {}, file_meta=meta, preamble=b'\0' * 128)
    ds.is_little_endian = syntax != ExplicitVRBigEndian
    ds.is_implicit_VR = syntax == ImplicitVRLittleEndian
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality = 'MR'
    ds.PatientID = 'colin27'
    ds.StudyInstanceUID = generate_uid(entropy_srcs=['misas study'])
    ds.SeriesInstanceUID = series_uid
    ds.SeriesNumber = series_number
    ds.SeriesDescription = description
    ds.InstanceNumber = instance
    row_dir = LPS @ AFFINE[:3, 0] / SPACING[0]
    col_dir = LPS @ AFFINE[:3, 1] / SPACING[1]
    ds.ImageOrientationPatient = [float(round(v, 6)) for v in [*row_dir, *col_dir]]
    position = LPS @ (AFFINE @ [0, 0, k, 1])[:3] + shift * k * row_dir
    ds.ImagePositionPatient = [float(round(v, 6)) for v in position]
    ds.PixelSpacing = [SPACING[1], SPACING[0]]  # (row spacing, column spacing)
    ds.SliceThickness = SPACING[2]
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = 'MONOCHROME2'
    ds.Rows, ds.Columns = pixels.shape
    bits = 16 if rescaled else 8
    ds.BitsAllocated = bits
    ds.BitsStored = bits
    ds.HighBit = bits - 1
    ds.PixelRepresentation = 1 if rescaled else 0
    if rescaled:
        ds.RescaleIntercept = -1024
        ds.RescaleSlope = 1
        pixels = pixels.astype(np.int16) + 1024
    order = '<' if ds.is_little_endian else '>'
    ds.PixelData = pixels.astype(np.dtype('int16' if rescaled else 'uint8').newbyteorder(order)).tobytes()
    return ds


def write_series(folder, volume, *, seed, series_uid, series_number=1, description='colin27 crop', slices=None,
                 shift=0.0, extra=(), rescaled=False):
    """One file per slice, under random names, with Instance Numbers in a shuffled order."""
    path = os.path.join(OUT, folder)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    rng = random.Random(seed)
    ks = list(range(volume.shape[2])) if slices is None else slices
    instances = list(range(1, len(ks) + len(extra) + 1))
    rng.shuffle(instances)
    for n, k in enumerate([*ks, *extra]):
        pixels = volume[:, :, k].T  # rows = y, columns = x
        ds = slice_dataset(pixels, k, series_uid=series_uid, series_number=series_number, description=description,
                           instance=instances[n], syntax=SYNTAXES[n % 3], shift=shift, rescaled=rescaled)
        name = '%08x' % rng.getrandbits(32) + ('.dcm' if n % 2 else '')
        ds.save_as(os.path.join(path, name), write_like_original=False)
    return path


def main():
    os.makedirs(OUT, exist_ok=True)
    image = nib.load(os.path.join(DATA, 'colin27', 'ch2bet_crop40x48x10.nii.gz'))
    mask = nib.load(os.path.join(DATA, 'nrrd-metaimage', 'crop_oblique_mask.nii.gz'))
    volume = np.asarray(image.dataobj)
    labels = np.asarray(mask.dataobj)
    assert volume.shape == labels.shape == (40, 48, 10)
    for name, data in [('reference.nii.gz', volume), ('reference_mask.nii.gz', labels)]:
        out = nib.Nifti1Image(data.astype(np.uint8), AFFINE)
        out.set_qform(AFFINE, code=1)
        out.set_sform(AFFINE, code=1)
        nib.save(out, os.path.join(OUT, name))

    uid = generate_uid(entropy_srcs=['misas series oblique'])
    write_series('oblique', volume, seed=1, series_uid=uid)
    write_series('rescaled', volume, seed=7, series_uid=generate_uid(entropy_srcs=['misas series rescaled']),
                 rescaled=True)
    write_series('gap', volume, seed=2, series_uid=uid, slices=[0, 1, 2, 3, 5, 6, 7, 8, 9])
    write_series('duplicate', volume, seed=3, series_uid=uid, extra=[3])
    two = write_series('two-series', volume, seed=4, series_uid=uid)
    other = generate_uid(entropy_srcs=['misas series other'])
    rng = random.Random(5)
    for k in range(3):
        ds = slice_dataset(volume[:, :, k].T, k, series_uid=other, series_number=2,
                           description='localizer', instance=k + 1, syntax=ExplicitVRLittleEndian)
        ds.save_as(os.path.join(two, '%08x' % rng.getrandbits(32)), write_like_original=False)
    write_series('tilted', volume, seed=6, series_uid=uid, shift=0.5)

    # Independent check that pydicom reads its own series back to the data.
    for name in os.listdir(os.path.join(OUT, 'oblique')):
        ds = pydicom.dcmread(os.path.join(OUT, 'oblique', name))
        k = int(round(np.linalg.solve(LPS @ AFFINE[:3, :3], np.array(ds.ImagePositionPatient) - LPS @ AFFINE[:3, 3])[2]))
        assert (ds.pixel_array == volume[:, :, k].T).all()
    write_enhanced('enhanced.dcm', volume, order=random.Random(8).sample(range(10), 10))
    write_enhanced('enhanced_cine.dcm', volume, order=[4, 4, 4])
    itk_cross_check(volume)


def write_enhanced(name, volume, order):
    """An Enhanced MR Image holding slices `order` of the grid as its frames, in that order."""
    from pydicom.dataset import Dataset
    from pydicom.sequence import Sequence
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.4.1'  # Enhanced MR Image Storage
    meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=['misas enhanced', name])
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = generate_uid(entropy_srcs=['misas testdata'])
    ds = FileDataset(name, {}, file_meta=meta, preamble=b'\0' * 128)
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality = 'MR'
    ds.PatientID = 'colin27'
    ds.SeriesInstanceUID = generate_uid(entropy_srcs=['misas enhanced series', name])
    ds.NumberOfFrames = len(order)
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = 'MONOCHROME2'
    ds.Rows, ds.Columns = volume.shape[1], volume.shape[0]
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1

    def item(**elements):
        inner = Dataset()
        for keyword, value in elements.items():
            setattr(inner, keyword, value)
        return Sequence([inner])

    row_dir = LPS @ AFFINE[:3, 0] / SPACING[0]
    col_dir = LPS @ AFFINE[:3, 1] / SPACING[1]
    shared = Dataset()
    shared.PlaneOrientationSequence = item(ImageOrientationPatient=[float(round(v, 6)) for v in [*row_dir, *col_dir]])
    shared.PixelMeasuresSequence = item(PixelSpacing=[SPACING[1], SPACING[0]], SliceThickness=SPACING[2])
    shared.PixelValueTransformationSequence = item(RescaleIntercept=-1024, RescaleSlope=1, RescaleType='US')
    ds.SharedFunctionalGroupsSequence = Sequence([shared])
    frames = []
    for k in order:
        frame = Dataset()
        position = LPS @ (AFFINE @ [0, 0, k, 1])[:3]
        frame.PlanePositionSequence = item(ImagePositionPatient=[float(round(v, 6)) for v in position])
        frames.append(frame)
    ds.PerFrameFunctionalGroupsSequence = Sequence(frames)
    pixels = np.stack([volume[:, :, k].T.astype(np.int16) + 1024 for k in order])
    ds.PixelData = pixels.astype('<i2').tobytes()
    ds.save_as(os.path.join(OUT, name), write_like_original=False)


def itk_cross_check(volume):
    """ITK's series reader (plastimatch convert) must give the reference grid and voxels."""
    if shutil.which('plastimatch') is None:
        print('plastimatch not installed: ITK cross-check skipped')
        return
    for folder in ['oblique', 'rescaled']:
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, 'itk.nii.gz')
            subprocess.run(['plastimatch', 'convert', '--input', os.path.join(OUT, folder), '--output-img', out],
                           check=True, stdout=subprocess.DEVNULL)
            itk = nib.load(out)
            assert np.allclose(itk.affine, AFFINE, atol=1e-5), (folder, itk.affine)
            assert np.array_equal(np.asarray(itk.dataobj), volume), folder
    print('ITK reads the oblique and rescaled series to the reference NIfTI')


if __name__ == '__main__':
    main()
