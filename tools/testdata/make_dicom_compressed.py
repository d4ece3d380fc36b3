#!/usr/bin/python3
"""Writes compressed DICOM series into test/data/dicom-compressed/, made from the uncompressed
series tools/testdata/make_dicom_series.py wrote from the real Colin27 crop (40x48x10, double
oblique, shuffled file names). Each file is compressed by Debian's GDCM (gdcmconv, package
libgdcm-tools) or DCMTK (dcmcjpeg); the tests compare the voxels and affine the reader gives with
test/data/dicom-series/reference.nii.gz: identical for the lossless syntaxes, bounded for the lossy.

Run with Debian's Python: /usr/bin/python3 tools/testdata/make_dicom_compressed.py
(needs gdcmconv and dcmcjpeg; CI does not: the output is committed).

Sources:
  rescaled   int16 = value + 1024, Rescale Intercept -1024 (16 bits stored)
  signed12   int16 = value - 128 in 12 bits stored (High Bit 11, negative values), Rescale Intercept +128:
             exercises sign extension of Bits Stored through the codecs
  oblique    uint8 like the NIfTI (8-bit: the only depth baseline JPEG holds)
Series (folder: syntax UID, source, tool):
  jpeg-lossless-sv1/  1.2.840.10008.1.2.4.70  signed12  gdcmconv --jpeg
  jpeg-lossless-p14/  1.2.840.10008.1.2.4.57  rescaled  dcmcjpeg +el (Process 14, selection value 6)
  jpeg-baseline/      1.2.840.10008.1.2.4.50  oblique   gdcmconv --jpeg --lossy (quality 90)
  jpeg-ls/            1.2.840.10008.1.2.4.80  signed12  gdcmconv --jpegls
  jpeg-ls-8bit/       1.2.840.10008.1.2.4.80  oblique   gdcmconv --jpegls (uint8 like the NIfTI: the VS Code test's series)
  jpeg-ls-near/       1.2.840.10008.1.2.4.81  oblique   gdcmconv --jpegls --lossy --allowed-error 2
  j2k/                1.2.840.10008.1.2.4.90  rescaled  gdcmconv --j2k
  j2k-fragments/      1.2.840.10008.1.2.4.90  signed12  gdcmconv --j2k, then --split 512 (frames in several fragments)
  j2k-lossy/          1.2.840.10008.1.2.4.91  oblique   gdcmconv --j2k --lossy (quality 40)
  rle/                1.2.840.10008.1.2.5     signed12  gdcmconv --rle
  rle-8bit/           1.2.840.10008.1.2.5     oblique   gdcmconv --rle
  enhanced-jpeg-ls.dcm  test/data/dicom-series/enhanced.dcm (10 frames, shuffled) through gdcmconv --jpegls:
                        one fragment per frame, empty Basic Offset Table
"""
import os
import shutil
import subprocess
import tempfile

import numpy as np
import pydicom
from pydicom.filebase import DicomBytesIO

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', '..', 'test', 'data')
SERIES = os.path.join(DATA, 'dicom-series')
OUT = os.path.join(DATA, 'dicom-compressed')


def signed12(source, target):
    """The rescaled series re-stored as value - 128 in 12 signed bits, intercept +128."""
    os.makedirs(target)
    for name in sorted(os.listdir(source)):
        ds = pydicom.dcmread(os.path.join(source, name))
        value = ds.pixel_array.astype(np.int32) - 1024
        stored = (value - 128).astype(np.int16)
        assert stored.min() >= -2048 and stored.max() < 2048
        ds.BitsStored, ds.HighBit = 12, 11
        ds.RescaleIntercept = 128
        order = '<' if ds.is_little_endian else '>'
        ds.PixelData = stored.astype(np.dtype('int16').newbyteorder(order)).tobytes()
        ds.save_as(os.path.join(target, name), write_like_original=False)


def convert(folder, source, *command):
    """Every file of `source` through `command input output` into OUT/folder, same names."""
    path = os.path.join(OUT, folder)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    for name in sorted(os.listdir(source)):
        subprocess.run([*command, os.path.join(source, name), os.path.join(path, name)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return path


def main():
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        sources = {'rescaled': os.path.join(SERIES, 'rescaled'), 'oblique': os.path.join(SERIES, 'oblique'),
                   'signed12': os.path.join(tmp, 'signed12')}
        signed12(sources['rescaled'], sources['signed12'])
        convert('jpeg-lossless-sv1', sources['signed12'], 'gdcmconv', '--jpeg')
        convert('jpeg-lossless-p14', sources['rescaled'], 'dcmcjpeg', '+el', '+sv', '6')
        convert('jpeg-baseline', sources['oblique'], 'gdcmconv', '--jpeg', '--lossy', '-q', '90')
        convert('jpeg-ls', sources['signed12'], 'gdcmconv', '--jpegls')
        convert('jpeg-ls-8bit', sources['oblique'], 'gdcmconv', '--jpegls')
        convert('jpeg-ls-near', sources['oblique'], 'gdcmconv', '--jpegls', '--lossy', '-e', '2')
        convert('j2k', sources['rescaled'], 'gdcmconv', '--j2k')
        j2k12 = convert('j2k-12bit', sources['signed12'], 'gdcmconv', '--j2k')
        convert('j2k-fragments', j2k12, 'gdcmconv', '--split', '512')
        shutil.rmtree(j2k12)
        convert('j2k-lossy', sources['oblique'], 'gdcmconv', '--j2k', '--lossy', '-q', '40')
        convert('rle', sources['signed12'], 'gdcmconv', '--rle')
        convert('rle-8bit', sources['oblique'], 'gdcmconv', '--rle')
    subprocess.run(['gdcmconv', '--jpegls', os.path.join(SERIES, 'enhanced.dcm'),
                    os.path.join(OUT, 'enhanced-jpeg-ls.dcm')], check=True)
    check()


def check():
    """Each file names the syntax it should, and frames span several fragments where meant to."""
    expected = {'jpeg-lossless-sv1': '1.2.840.10008.1.2.4.70', 'jpeg-lossless-p14': '1.2.840.10008.1.2.4.57',
                'jpeg-baseline': '1.2.840.10008.1.2.4.50', 'jpeg-ls': '1.2.840.10008.1.2.4.80', 'jpeg-ls-8bit': '1.2.840.10008.1.2.4.80',
                'jpeg-ls-near': '1.2.840.10008.1.2.4.81', 'j2k': '1.2.840.10008.1.2.4.90',
                'j2k-fragments': '1.2.840.10008.1.2.4.90', 'j2k-lossy': '1.2.840.10008.1.2.4.91',
                'rle': '1.2.840.10008.1.2.5', 'rle-8bit': '1.2.840.10008.1.2.5'}
    for folder, uid in expected.items():
        names = os.listdir(os.path.join(OUT, folder))
        assert len(names) == 10, folder
        for name in names:
            ds = pydicom.dcmread(os.path.join(OUT, folder, name))
            assert ds.file_meta.TransferSyntaxUID == uid, (folder, name, ds.file_meta.TransferSyntaxUID)
            if folder == 'j2k-fragments':
                fp = DicomBytesIO(ds.PixelData)
                fp.is_little_endian = True
                fragments = pydicom.encaps.get_nr_fragments(fp)  # after the Basic Offset Table
                assert fragments >= 2, (name, fragments)
    total = sum(os.path.getsize(os.path.join(root, f)) for root, _, files in os.walk(OUT) for f in files)
    print('wrote', OUT, total, 'bytes')


if __name__ == '__main__':
    main()
