#!/usr/bin/python3
"""Golden values for the geometric transforms (src/engine/transforms/spatial, resample.ts),
computed independently with numpy and scipy.ndimage.

Run with Debian's python: /usr/bin/python3 tools/goldens/spatial.py
Writes test/goldens/spatial/*.json in the format of test/helpers/goldens.ts. Each case's params
hold {transform, value, options} (what the engine is called with) and its arrays `input` and
`expected`; numpy shape (ny, nx) equals engine dims [nx, ny].

Conventions the engine implements (and that the references below encode):
- pixel centres at integer coordinates, y down; order 0 rounds halves up (floor(c + 0.5));
- warps (rotate, translate, elastic) sample outside the image as scipy mode 'grid-constant'
  (every neighbour outside the image counts as cval, so linear samples blend into the fill
  across the edge). scipy's plain 'constant' would instead give cval to any sample outside
  [0, n-1] and is NOT what the engine does.
- rotate: scipy.ndimage.rotate(reshape=False), positive angle = counter-clockwise as
  displayed, about ((nx-1)/2, (ny-1)/2);
- zoom / resize: scipy.ndimage.zoom(grid_mode=True, mode='nearest'): pixel-centre mapping
  c = (i + 0.5) * n_in / n_out - 0.5, edge pixels repeated;
- zoom crop margin round((n/2 - 1) * s) rounds halves up (not Python's banker's rounding);
- anisotropy: a[::m] along the axis (sample j sits at j*m), back with numpy.interp
  (constant beyond the last sample), or the nearest sample for order 0.
"""
import os

import nibabel
import numpy as np
from scipy import ndimage

import golden_json

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'goldens', 'spatial')
COLIN = '/usr/share/mricron/templates/ch2.nii.gz'


def array(a, dtype=None):
    return golden_json.array(a, 9, dtype)


def write(name, cases):
    golden_json.write('spatial', name, 'tools/goldens/spatial.py', cases)


def case(transform, value, options, image, expected, **extra):
    """`image` is float32 or uint8; the engine gets the same type, the reference works in float64."""
    params = {'transform': transform, 'value': value, 'options': options, **extra}
    return {'params': params, 'arrays': {'input': array(image), 'expected': array(expected, 'float64')}}


def half_up(x):
    return int(np.floor(x + 0.5))


def order_of(interpolation):
    return 0 if interpolation == 'nearest' else 1


def fill_of(image, fill):
    return float(image.min()) if fill == 'min' else 0.0


# ---------------------------------------------------------------- test images
rng = np.random.default_rng(20240611)
# Small non-square random image, values away from 0 so that fill 'min' differs from 'zero'.
RANDOM = rng.uniform(10, 100, size=(18, 24)).astype(np.float32)


def colin_slice():
    """An axial Colin27 slice (uint8), every 4th voxel, y down as displayed: shape (55, 46)."""
    volume = np.asanyarray(nibabel.load(COLIN).dataobj)
    plane = volume[::4, ::4, 90]  # (x, y)
    return np.ascontiguousarray(np.flipud(plane.T)).astype(np.uint8)


REAL = colin_slice()


# ---------------------------------------------------------------- rotate
def rotate_cases():
    cases = {}

    def add(name, image, angle, interpolation, fill):
        expected = ndimage.rotate(image.astype(np.float64), angle, reshape=False, order=order_of(interpolation),
                                  mode='grid-constant', cval=fill_of(image, fill))
        cases[name] = case('rotate', angle, {'interpolation': interpolation, 'fill': fill}, image, expected)

    for angle in (30, -47.5, 90, 135, 200):
        add(f'random linear {angle}', RANDOM, angle, 'linear', 'min')
    # Nearest neighbour: angles whose sample points never fall on a rounding tie (135° does here:
    # with both centres half-integers, points with dx = -dy land exactly on .5, where float noise decides).
    for angle in (30, -47.5, 137, 200):
        add(f'random nearest {angle}', RANDOM, angle, 'nearest', 'min')
    add('random linear 60 fill zero', RANDOM, 60, 'linear', 'zero')
    add('colin linear 30', REAL, 30, 'linear', 'min')
    add('colin linear -120 fill zero', REAL, -120, 'linear', 'zero')
    add('colin nearest 23', REAL, 23, 'nearest', 'min')
    return cases


# ---------------------------------------------------------------- crop
def crop_cases():
    cases = {}
    for border, fill in ((0, 'min'), (3, 'min'), (7, 'min'), (12, 'min'), (5, 'zero')):
        expected = np.full(RANDOM.shape, fill_of(RANDOM, fill))
        ny, nx = RANDOM.shape
        if 2 * border < min(ny, nx):
            expected[border:ny - border, border:nx - border] = RANDOM[border:ny - border, border:nx - border]
        cases[f'border {border} fill {fill}'] = case('crop', border, {'fill': fill}, RANDOM, expected)
    return cases


# ---------------------------------------------------------------- zoom and resize
def zoom_reference(image, scale, interpolation):
    ny, nx = image.shape
    mx = min(max(half_up((nx / 2 - 1) * scale), 0), (nx - 1) // 2)
    my = min(max(half_up((ny / 2 - 1) * scale), 0), (ny - 1) // 2)
    kept = image[my:ny - my, mx:nx - mx].astype(np.float64)
    out = ndimage.zoom(kept, (ny / kept.shape[0], nx / kept.shape[1]), order=order_of(interpolation),
                       grid_mode=True, mode='nearest')
    assert out.shape == image.shape, (out.shape, image.shape)
    return out, (mx, my)


def zoom_cases():
    cases = {}
    for image_name, image, scale, interpolation in (
        ('random', RANDOM, 0.3, 'linear'),
        ('random', RANDOM, 0.7, 'linear'),
        ('random', RANDOM, 1.0, 'linear'),
        ('random', RANDOM, 0.5, 'nearest'),
        ('random', RANDOM, 0.2, 'nearest'),
        ('colin', REAL, 0.4, 'linear'),
    ):
        expected, margins = zoom_reference(image, scale, interpolation)
        cases[f'{image_name} {interpolation} {scale}'] = case('zoom', scale, {'interpolation': interpolation}, image, expected,
                                                              margins=list(margins))
    return cases


def resize_cases():
    cases = {}
    for image_name, image, pixels, interpolation in (
        ('random', RANDOM, 12, 'linear'),
        ('random', RANDOM, 17, 'linear'),
        ('random', RANDOM, 37, 'linear'),
        ('random', RANDOM, 60, 'nearest'),
        ('random', RANDOM, 9, 'nearest'),
        ('colin', REAL, 80, 'linear'),
    ):
        ny, nx = image.shape
        scale = pixels / max(nx, ny)
        ox, oy = max(1, half_up(nx * scale)), max(1, half_up(ny * scale))
        expected = ndimage.zoom(image.astype(np.float64), (oy / ny, ox / nx), order=order_of(interpolation),
                                grid_mode=True, mode='nearest')
        assert expected.shape == (oy, ox), (expected.shape, (oy, ox))
        # Field of view kept: voxel size grows by n_in / n_out (input spacing 1 mm).
        spacing = [nx / ox, ny / oy]
        cases[f'{image_name} {interpolation} {pixels}'] = case('resize', pixels, {'interpolation': interpolation}, image, expected,
                                                               spacing=spacing)
    return cases


# ---------------------------------------------------------------- dihedral
def dihedral_cases():
    cases = {}
    for k in range(8):
        expected = np.rot90(RANDOM.astype(np.float64), k // 2)
        if k % 2 == 1:
            expected = np.fliplr(expected)
        cases[f'k {k}'] = case('dihedral', k, {}, RANDOM, np.ascontiguousarray(expected))
    return cases


# ---------------------------------------------------------------- translate
def translate_cases():
    cases = {}
    for shift, axis, interpolation, fill in (
        (3, 'x', 'linear', 'min'),
        (-2.5, 'x', 'nearest', 'min'),
        (4.3, 'y', 'linear', 'zero'),
        (-1.5, 'y', 'nearest', 'zero'),
        (-6.8, 'x', 'linear', 'min'),
    ):
        shifts = (0, shift) if axis == 'x' else (shift, 0)
        expected = ndimage.shift(RANDOM.astype(np.float64), shifts, order=order_of(interpolation), mode='grid-constant',
                                 cval=fill_of(RANDOM, fill))
        options = {'axis': axis, 'interpolation': interpolation, 'fill': fill}
        cases[f'{axis} {shift} {interpolation} {fill}'] = case('translate', shift, options, RANDOM, expected)
    return cases


# ---------------------------------------------------------------- displacement warp (elastic's primitive)
def warp_cases():
    cases = {}
    ny, nx = RANDOM.shape
    yy, xx = np.mgrid[0:ny, 0:nx].astype(np.float64)
    for name, amplitude, interpolation, fill in (('linear', 3.0, 'linear', 7.5), ('nearest', 2.0, 'nearest', -1.0)):
        dx = rng.uniform(-amplitude, amplitude, size=(ny, nx))
        dy = rng.uniform(-amplitude, amplitude, size=(ny, nx))
        expected = ndimage.map_coordinates(RANDOM.astype(np.float64), [yy + dy, xx + dx], order=order_of(interpolation),
                                           mode='grid-constant', cval=fill)
        cases[name] = {
            'params': {'interpolation': interpolation, 'fill': fill},
            'arrays': {'input': array(RANDOM), 'dx': array(dx), 'dy': array(dy), 'expected': array(expected, 'float64')},
        }
    return cases


# ---------------------------------------------------------------- anisotropy
def anisotropy_reference(image, factor, axis, interpolation):
    """axis in numpy order; factor may be fractional (sample j at j*m holds index round(j*m))."""
    a = np.moveaxis(image.astype(np.float64), axis, -1)
    n = a.shape[-1]
    if float(factor).is_integer():
        low = a[..., ::int(factor)]
    else:
        count = int(np.floor((n - 1) / factor)) + 1
        low = a[..., np.minimum(np.floor(np.arange(count) * factor + 0.5).astype(int), n - 1)]
    positions = np.arange(low.shape[-1]) * factor
    i = np.arange(n, dtype=np.float64)
    if interpolation == 'nearest':
        out = low[..., np.minimum(np.floor(i / factor + 0.5).astype(int), low.shape[-1] - 1)]
    else:
        out = np.apply_along_axis(lambda line: np.interp(i, positions, line), -1, low)
    return np.moveaxis(out, -1, axis)


def anisotropy_cases():
    cases = {}
    volume = rng.uniform(0, 50, size=(6, 12, 16)).astype(np.float32)
    for name, image, factor, axis_name, axis, interpolation in (
        ('2D y 3 linear', RANDOM, 3, 'auto', 0, 'linear'),
        ('2D x 4 nearest', RANDOM, 4, 'x', 1, 'nearest'),
        ('2D y 2.5 linear', RANDOM, 2.5, 'y', 0, 'linear'),
        ('2D x 5 linear', RANDOM, 5, 'x', 1, 'linear'),
        ('3D z 2 linear', volume, 2, 'auto', 0, 'linear'),
        ('3D z 4 nearest', volume, 4, 'z', 0, 'nearest'),
        ('3D y 3 linear', volume, 3, 'y', 1, 'linear'),
        ('colin y 4 linear', REAL, 4, 'y', 0, 'linear'),
    ):
        expected = anisotropy_reference(image, factor, axis, interpolation)
        cases[name] = case('anisotropy', factor, {'axis': axis_name, 'interpolation': interpolation}, image, expected)
    return cases


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    write('rotate.json', rotate_cases())
    write('crop.json', crop_cases())
    write('zoom.json', zoom_cases())
    write('resize.json', resize_cases())
    write('dihedral.json', dihedral_cases())
    write('translate.json', translate_cases())
    write('warp.json', warp_cases())
    write('anisotropy.json', anisotropy_cases())
