#!/usr/bin/python3
"""Writes NRRD and MetaImage copies of the real Colin27 test data into test/data/nrrd-metaimage/,
with writers independent of misas: ITK (through Debian's plastimatch, `plastimatch convert`)
and teem (Debian's teem-apps, `teem-unu`, teem being where NRRD comes from).

Run with Debian's Python after `apt-get install plastimatch teem-apps`:
    /usr/bin/python3 tools/testdata/make_nrrd_metaimage.py

The reference is NIfTI written by nibabel: the 40x48x10 Colin27 crop given an oblique,
anisotropic, mirrored affine (every entry exact in float32 and in decimal, so the NIfTI and the
NRRD/MetaImage reads can be compared for equality). ITK reads that NIfTI and writes LPS
geometry (ITK's world); teem-unu rewrites ITK's NRRD in other encodings and byte orders, and
writes the RAS and spacings-only headers from nibabel's affine. The tests check that every file
reads to the NIfTI's voxels and affine.

Two MetaImage variants have no writer among Debian's tools and are derived here from the file
ITK wrote, changing only what the MetaIO format defines: the .zraw (the .raw's bytes through
zlib, "CompressedData = True", "CompressedDataSize") and the big-endian one (bytes swapped,
"BinaryDataByteOrderMSB = True").
"""
import os
import subprocess
import zlib

import nibabel as nib
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
COLIN = os.path.join(HERE, '..', '..', 'test', 'data', 'colin27')
OUT = os.path.join(HERE, '..', '..', 'test', 'data', 'nrrd-metaimage')

# Oblique (a 3-4-5 rotation about z, so 0.6/0.8 directions), 1.25 x 1.25 x 2.5 mm, mirrored in x.
OBLIQUE = np.array([
    [-0.75, -1.0, 0.0, 12.5],
    [-1.0, 0.75, 0.0, -30.25],
    [0.0, 0.0, 2.5, 7.75],
    [0.0, 0.0, 0.0, 1.0],
])


def run(*args):
    subprocess.run(args, check=True, cwd=OUT, stdout=subprocess.DEVNULL)


def itk(source, target, pixel_type):
    """ITK reads the NIfTI and writes `target` in the format its extension names."""
    run('plastimatch', 'convert', '--input', source, '--output-img', target, '--output-type', pixel_type)


def unu_save(source, target, encoding, endian='little'):
    run('teem-unu', 'save', '-f', 'nrrd', '-e', encoding, '-en', endian, '-i', source, '-o', target)


def vector(values):
    return '(' + ','.join(repr(float(v)) for v in values) + ')'


def unu_make_ras(raw, target, array, affine, encoding):
    """A header written by teem from nibabel's affine in the RAS space (no conversion needed)."""
    nx, ny, nz = array.shape
    run('teem-unu', 'make', '-i', raw, '-t', 'uchar', '-s', str(nx), str(ny), str(nz), '-spc', 'RAS',
        '-dirs', ' '.join(vector(affine[:3, c]) for c in range(3)), '-orig', vector(affine[:3, 3]),
        '-o', target, '-e', 'raw')
    unu_save(target, target, encoding)


def derived_mhd(source_mhd, target_mhd, data_name, transform_bytes, header_changes):
    """A copy of ITK's .mhd/.raw with its data bytes transformed and header fields replaced."""
    lines = open(os.path.join(OUT, source_mhd)).read().splitlines()
    raw = open(os.path.join(OUT, source_mhd.replace('.mhd', '.raw')), 'rb').read()
    data = transform_bytes(raw)
    open(os.path.join(OUT, data_name), 'wb').write(data)
    changes = {**header_changes(data), 'ElementDataFile': data_name}
    keys = [line.split(' = ')[0] for line in lines]
    out = []
    for key, line in zip(keys, lines):
        if key == 'ElementDataFile':
            out += [f'{k} = {v}' for k, v in changes.items() if k not in keys and k != 'ElementDataFile']
        out.append(f'{key} = {changes[key]}' if key in changes else line)
    open(os.path.join(OUT, target_mhd), 'w').write('\n'.join(out) + '\n')


def main():
    os.makedirs(OUT, exist_ok=True)
    crop = nib.load(os.path.join(COLIN, 'ch2bet_crop40x48x10.nii.gz'))
    voxels = np.asarray(crop.dataobj)
    image = nib.Nifti1Image(voxels, OBLIQUE)
    image.header.set_xyzt_units('mm')
    nib.save(image, os.path.join(OUT, 'crop_oblique.nii.gz'))
    labels = np.zeros(voxels.shape, np.uint8)
    labels[voxels >= 100] = 1
    labels[voxels >= 150] = 2
    mask = nib.Nifti1Image(labels, OBLIQUE)
    mask.header.set_xyzt_units('mm')
    nib.save(mask, os.path.join(OUT, 'crop_oblique_mask.nii.gz'))

    # ITK (plastimatch): NRRD (gzip, LPS) and MetaImage (.mha attached, .mhd + .raw).
    itk('crop_oblique.nii.gz', 'crop_oblique.nrrd', 'uchar')
    itk('crop_oblique.nii.gz', 'crop_oblique.mha', 'uchar')
    itk('crop_oblique.nii.gz', 'crop_oblique_int16.mhd', 'short')
    itk('crop_oblique.nii.gz', 'crop_oblique_float.mhd', 'float')
    itk('crop_oblique_mask.nii.gz', 'crop_oblique_mask.nrrd', 'uchar')
    itk(os.path.join(COLIN, 'ch2bet_z68.nii.gz'), 'slice_z68.nrrd', 'uchar')
    itk(os.path.join(COLIN, 'ch2bet_z68.nii.gz'), 'slice_z68.mha', 'uchar')

    # teem: other encodings, byte orders and detached headers from ITK's NRRD.
    itk('crop_oblique.nii.gz', 'tmp_int16.nrrd', 'short')
    unu_save('tmp_int16.nrrd', 'crop_oblique_int16_big_raw.nrrd', 'raw', 'big')
    itk('crop_oblique.nii.gz', 'tmp_float.nrrd', 'float')
    unu_save('tmp_float.nrrd', 'crop_oblique_float.nhdr', 'raw')  # + crop_oblique_float.raw
    unu_save('crop_oblique.nrrd', 'crop_oblique_gzip.nhdr', 'gzip')  # + crop_oblique_gzip.raw.gz
    for name in ('tmp_int16.nrrd', 'tmp_float.nrrd'):
        os.remove(os.path.join(OUT, name))

    # teem from nibabel's affine: RAS space (text encoding), and a header with spacings only.
    raw = os.path.join(OUT, 'tmp_crop.raw')
    open(raw, 'wb').write(np.asfortranarray(voxels).tobytes(order='F'))
    unu_make_ras(raw, 'crop_oblique_ras_text.nrrd', voxels, OBLIQUE, 'text')
    nx, ny, nz = voxels.shape
    run('teem-unu', 'make', '-i', raw, '-t', 'uchar', '-s', str(nx), str(ny), str(nz),
        '-sp', '1.25', '1.25', '2.5', '-e', 'raw', '-o', 'crop_spacings.nrrd')
    os.remove(raw)

    # MetaImage variants derived from ITK's files (no Debian tool writes them).
    derived_mhd('crop_oblique_float.mhd', 'crop_oblique_float_zlib.mhd', 'crop_oblique_float.zraw', zlib.compress,
                lambda data: {'CompressedData': 'True', 'CompressedDataSize': str(len(data))})
    derived_mhd('crop_oblique_int16.mhd', 'crop_oblique_int16_msb.mhd', 'crop_oblique_int16_msb.raw',
                lambda raw: np.frombuffer(raw, '<i2').astype('>i2').tobytes(),
                lambda data: {'BinaryDataByteOrderMSB': 'True'})

    for name in sorted(os.listdir(OUT)):
        print(f'{name:40s} {os.path.getsize(os.path.join(OUT, name)):8d} bytes')


if __name__ == '__main__':
    main()
