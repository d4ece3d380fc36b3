#!/usr/bin/python3
"""Golden arrays for the intensity transforms, MR artifacts and the FFT.

Independent numpy/scipy implementations of the formulas in docs/ALGORITHMS.md ("Intensity range",
"k-space") and the per-transform definitions in docs/TRANSFORMS.md.
Run with Debian's python (numpy, scipy):  /usr/bin/python3 tools/goldens/intensity.py
Writes test/goldens/intensity/{fft,pointwise,blur,kspace,motion}.json.

Arrays are C-order: numpy shape (ny, nx) / (nz, ny, nx) is engine dims [nx, ny] / [nx, ny, nz],
so the engine's axis x is numpy's last axis. Multi-channel images are (C, ...) planar.
Every input is rounded to 9 significant digits *before* the expected values are computed.
"""
import math
import os

import numpy as np
from scipy import ndimage

import golden_json

OUT_DIR = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'goldens', 'intensity')
rng = np.random.default_rng(20240611)


def r9(a):
    a = np.asarray(a, dtype=np.float64)
    return np.array([float(f'{v:.9g}') for v in a.ravel()]).reshape(a.shape)


def arr(a):
    return golden_json.array(np.asarray(a, dtype=np.float64), 9)


def write(name, cases):
    golden_json.write('intensity', name, 'tools/goldens/intensity.py', cases)


def phantom(shape, integer=False):
    """A positive image with structure at several scales (blobs + edges + noise)."""
    grids = np.meshgrid(*[np.linspace(-1, 1, n) for n in shape], indexing='ij')
    r2 = sum(g ** 2 for g in grids)
    img = 40 + 80 * np.exp(-3 * r2) + 30 * (grids[-1] > 0.2) + 10 * rng.random(shape)
    return np.round(img).astype(np.uint8) if integer else r9(img)


def bordered_phantom(shape, border):
    """Zero outside a central box, so rigid moves never sample beyond the edge."""
    img = phantom(shape)
    mask = np.zeros(shape, dtype=bool)
    mask[tuple(slice(border, n - border) for n in shape)] = True
    return np.where(mask, img, 0.0)


# ---------------------------------------------------------------------------------------- FFT

def fft_cases():
    cases = {}
    for n in [1, 2, 3, 7, 8, 16, 17, 30, 64, 181, 217]:
        x = r9(rng.standard_normal(n)) + 1j * r9(rng.standard_normal(n))
        cases[f'fft1d-{n}'] = {
            'params': {'n': n},
            'arrays': {'re': arr(x.real), 'im': arr(x.imag),
                       'fftRe': arr(np.fft.fft(x).real), 'fftIm': arr(np.fft.fft(x).imag),
                       'ifftRe': arr(np.fft.ifft(x).real), 'ifftIm': arr(np.fft.ifft(x).imag)},
        }
    for shape in [(5, 7, 6), (9, 4), (3, 1, 8)]:
        x = r9(rng.standard_normal(shape)) + 1j * r9(rng.standard_normal(shape))
        f, fi = np.fft.fftn(x), np.fft.ifftn(x)
        s, si = np.fft.fftshift(x), np.fft.ifftshift(x)
        name = 'x'.join(map(str, shape))
        cases[f'fftn-{name}'] = {
            'params': {'shape': list(shape)},
            'arrays': {'re': arr(x.real), 'im': arr(x.imag),
                       'fftnRe': arr(f.real), 'fftnIm': arr(f.imag), 'ifftnRe': arr(fi.real), 'ifftnIm': arr(fi.imag),
                       'fftshiftRe': arr(s.real), 'fftshiftIm': arr(s.imag),
                       'ifftshiftRe': arr(si.real), 'ifftshiftIm': arr(si.imag)},
        }
    return cases


# ------------------------------------------------------------------------ point-wise transforms

def pointwise_cases():
    cases = {}

    def case(name, transform, value, image, expected, options=None, integer=False):
        channels = image.shape[0] if name.endswith('-2-channels') else 1
        cases[name] = {'params': {'transform': transform, 'value': value, 'options': options or {}, 'integer': integer,
                                  'channels': channels},
                       'arrays': {'image': arr(image), 'expected': arr(expected)}}

    img2 = phantom((20, 24))
    img3 = phantom((6, 12, 16))
    u8 = phantom((20, 24), integer=True)
    lo, hi = float(u8.min()), float(u8.max())
    rgb = np.stack([phantom((12, 14)), 0.5 * phantom((12, 14)) + 7])

    case('brightness-2d', 'brightness', 2.5, img2, img2 * 2.5)
    # clamp input-range: clipped to the image's own range (dtype-range and PIL parity: tools/goldens/clamp.py).
    own = {'clamp': 'input-range'}
    case('brightness-uint8-clipped', 'brightness', 1.7, u8, np.clip(u8 * 1.7, lo, hi), own, integer=True)
    case('brightness-uint8-darker', 'brightness', 0.3, u8, np.clip(u8 * 0.3, lo, hi), own, integer=True)
    case('contrast-3d', 'contrast', 0.4, img3, img3.mean() + 0.4 * (img3 - img3.mean()))
    m = u8.astype(np.float64).mean()
    case('contrast-uint8-clipped', 'contrast', 3.0, u8, np.clip(m + 3.0 * (u8 - m), lo, hi), own, integer=True)
    case('contrast-2-channels', 'contrast', 2.0, rgb,
         np.stack([c.mean() + 2.0 * (c - c.mean()) for c in rgb]))

    def gamma(x, g):
        mn, rg = x.min(), x.max() - x.min()
        return mn + rg * ((x - mn) / rg) ** g

    case('gamma-2d', 'gamma', 0.5, img2, gamma(img2, 0.5))
    case('gamma-3d', 'gamma', 2.2, img3, gamma(img3, 2.2))
    case('gamma-2-channels', 'gamma', 1.6, rgb, np.stack([gamma(c, 1.6) for c in rgb]))

    # Bias field: u_d per axis; the loop p (x) > q (y) > r (z) consumes the coefficients.
    def coords(n):
        u = np.arange(-n / 2, n / 2) + 0.5
        return u / np.abs(u).max() if np.abs(u).max() > 0 else u

    def log_field(shape, coeffs, order):
        if len(shape) == 2:
            uy, ux = np.meshgrid(coords(shape[0]), coords(shape[1]), indexing='ij')
            field, k = np.zeros(shape), 0
            for p in range(order + 1):
                for q in range(order + 1 - p):
                    field += coeffs[k] * ux ** p * uy ** q
                    k += 1
            return field
        uz, uy, ux = np.meshgrid(coords(shape[0]), coords(shape[1]), coords(shape[2]), indexing='ij')
        field, k = np.zeros(shape), 0
        for p in range(order + 1):
            for q in range(order + 1 - p):
                for r in range(order + 1 - p - q):
                    field += coeffs[k] * ux ** p * uy ** q * uz ** r
                    k += 1
        return field

    case('bias-field-2d-clamped', 'bias-field', -0.3, img2, img2 * np.minimum(np.exp(log_field(img2.shape, [-0.3] * 10, 3)), 1))
    case('bias-field-3d-unclamped', 'bias-field', -0.2, img3, img3 * np.exp(log_field(img3.shape, [-0.2] * 20, 3)),
         {'clampToOne': False})
    case('bias-field-2d-positive-clamped', 'bias-field', 0.25, img2, img2 * np.minimum(np.exp(log_field(img2.shape, [0.25] * 10, 3)), 1))
    odd = phantom((7, 9, 5))
    case('bias-field-3d-odd-order2', 'bias-field', 0.35, odd, odd * np.exp(log_field(odd.shape, [0.35] * 10, 2)),
         {'order': 2, 'clampToOne': False})
    for name, shape, order, count in [('field-2d-order3', (9, 11), 3, 10), ('field-3d-order3', (5, 6, 7), 3, 20),
                                      ('field-3d-order2', (4, 1, 6), 2, 10)]:
        coeffs = r9(rng.uniform(-0.5, 0.5, count))
        cases[name] = {'params': {'order': order, 'coefficients': list(coeffs)},
                       'arrays': {'logField': arr(log_field(shape, coeffs, order))}}
    return cases


# ------------------------------------------------------------------------------------ blur

def blur_cases():
    cases = {}

    def case(name, image, sigma_mm, spacing):
        sigma_vox = [sigma_mm / s for s in spacing][::-1]  # engine (x, y, z) -> numpy axis order
        expected = ndimage.gaussian_filter(image, sigma=sigma_vox, mode='reflect', truncate=4.0)
        cases[name] = {'params': {'value': sigma_mm, 'spacing': spacing},
                       'arrays': {'image': arr(image), 'expected': arr(expected)}}

    case('blur-2d-isotropic', phantom((20, 24)), 1.5, [1.0, 1.0])
    case('blur-2d-anisotropic', phantom((20, 24)), 2.0, [0.7, 1.3])
    case('blur-2d-wider-than-image', phantom((20, 24)), 4.0, [0.5, 0.45])
    case('blur-3d-anisotropic', phantom((6, 12, 16)), 2.0, [1.0, 1.5, 3.0])
    case('blur-3d-tiny-sigma', phantom((6, 12, 16)), 0.3, [1.0, 1.0, 1.0])
    return cases


# --------------------------------------------------------------------------------- k-space

def F(x):
    return np.fft.fftshift(np.fft.fftn(x))


def Finv(s):
    return np.real(np.fft.ifftn(np.fft.ifftshift(s)))


def numpy_axis(axis_name, ndim):
    return ndim - 1 - 'xyz'.index(axis_name)


def spike(x, positions_xyz, intensity):
    s = F(x)
    for p in positions_xyz:
        idx = tuple(int(math.floor(c * n)) for c, n in zip(p[::-1], s.shape))
        s[idx] += intensity * np.abs(s).max()
    return Finv(s)


def ghosting(x, ghosts, intensity, axis_name, restore):
    s = F(x)
    s0 = s.copy()
    a = numpy_axis(axis_name, x.ndim)
    n = s.shape[a]
    index = [slice(None)] * x.ndim
    index[a] = slice(0, None, ghosts)
    s[tuple(index)] *= (1 - intensity)
    c = n // 2
    w = int(round(restore * n))
    planes = set(range(c - w // 2, c + w // 2)) | {c}
    for i in planes:
        index[a] = i
        s[tuple(index)] = s0[tuple(index)]
    return Finv(s)


def gibbs(x, alpha):
    k = F(x)
    shape = np.array(x.shape)
    grids = np.meshgrid(*[np.arange(n) for n in shape], indexing='ij')
    dist = np.sqrt(sum((g - (n - 1) / 2) ** 2 for g, n in zip(grids, shape)))
    return Finv(k * (dist <= (1 - alpha) * shape.max() * np.sqrt(2) / 2))


def kspace_cases():
    cases = {}

    def case(name, transform, value, image, expected, options=None):
        channels = image.shape[0] if name.endswith('-2-channels') else 1
        cases[name] = {'params': {'transform': transform, 'value': value, 'options': options or {}, 'channels': channels},
                       'arrays': {'image': arr(image), 'expected': arr(expected)}}

    img2 = phantom((20, 24))
    odd2 = phantom((19, 23))
    img3 = phantom((6, 12, 16))
    odd3 = phantom((5, 7, 9))
    rgb = np.stack([phantom((12, 14)), 0.5 * phantom((12, 14)) + 7])

    case('spike-2d', 'spike', 1.3, img2, spike(img2, [(0.1, 0.1)], 1.3))
    case('spike-2d-odd', 'spike', 0.7, odd2, spike(odd2, [(0.1, 0.1)], 0.7))
    case('spike-3d-two-positions', 'spike', 0.5, img3, spike(img3, [(0.1, 0.1, 0.1), (0.7, 0.3, 0.2)], 0.5),
         {'positions': '0.1,0.1,0.1; 0.7,0.3,0.2'})
    case('spike-3d-default-position', 'spike', 0.8, odd3, spike(odd3, [(0.1, 0.1, 0.5)], 0.8))
    case('spike-2-channels', 'spike', 0.9, rgb, np.stack([spike(c, [(0.1, 0.1)], 0.9) for c in rgb]))
    case('spike-position-2d', 'spike-position', 0.7, img2, spike(img2, [(0.7, 0.1)], 0.1))
    case('spike-position-3d', 'spike-position', 0.3, img3, spike(img3, [(0.3, 0.1, 0.5)], 0.1))

    case('ghosting-2d-y', 'ghosting', 0.6, img2, ghosting(img2, 4, 0.6, 'y', 0.02))
    case('ghosting-2d-x-wide-restore', 'ghosting', 0.8, odd2, ghosting(odd2, 3, 0.8, 'x', 0.25),
         {'ghosts': 3, 'axis': 'x', 'restore': 0.25})
    case('ghosting-3d-z', 'ghosting', 0.5, img3, ghosting(img3, 2, 0.5, 'z', 0.0), {'ghosts': 2, 'axis': 'z', 'restore': 0})
    case('ghosting-2d-y-centre-plane', 'ghosting', 0.7, img2, ghosting(img2, 5, 0.7, 'y', 0.0),
         {'ghosts': 5, 'restore': 0})  # plane c = 10 is a ghost plane: only its restoration keeps it
    case('ghosting-3d-y-odd', 'ghosting', 1.0, odd3, ghosting(odd3, 4, 1.0, 'y', 0.3), {'restore': 0.3})

    signed = img2 - 90.0  # negative values: max|S| is no longer the zero frequency
    case('spike-2d-signed-image', 'spike', 0.6, signed, spike(signed, [(0.1, 0.1), (0.3, 0.8)], 0.6),
         {'positions': '0.1,0.1;0.3,0.8'})
    case('spike-3d-at-zero-frequency-twice', 'spike', 0.4, odd3,
         spike(odd3, [(0.5, 0.5, 0.5), (0.2, 0.9, 0.5), (0.5, 0.5, 0.5)], 0.4),
         {'positions': '0.5,0.5,0.5; 0.2,0.9; 0.5,0.5,0.5'})

    case('gibbs-2d', 'gibbs', 0.4, img2, gibbs(img2, 0.4))
    case('gibbs-2d-odd', 'gibbs', 0.65, odd2, gibbs(odd2, 0.65))
    case('gibbs-3d', 'gibbs', 0.3, img3, gibbs(img3, 0.3))
    case('gibbs-2-channels', 'gibbs', 0.5, rgb, np.stack([gibbs(c, 0.5) for c in rgb]))
    return cases


# ---------------------------------------------------------------------------------- motion

def acquisition_order(n, ordering):
    """Line indices in acquisition order: centric = by distance from n // 2, lower index first."""
    if ordering == 'sequential':
        return list(range(n))
    return sorted(range(n), key=lambda i: (abs(i - n // 2), i))


def moved_lines(n, fraction, ordering):
    count = int(math.floor(fraction * n + 0.5))
    return acquisition_order(n, ordering)[n - count:]


def swap_lines(x, moved, axis_name, fraction, ordering):
    a = numpy_axis(axis_name, x.ndim)
    s, sm = F(x), F(moved)
    index = [slice(None)] * x.ndim
    for line in moved_lines(x.shape[a], fraction, ordering):
        index[a] = line
        s[tuple(index)] = sm[tuple(index)]
    return Finv(s)


def rigid_move(x, degrees, shift_per_degree):
    """scipy affine_transform (order 1, grid-constant, cval = min): rotate CCW as displayed about
    the plane centre, then shift by shift_per_degree * degrees px along x and y."""
    t = math.radians(degrees)
    d = shift_per_degree * degrees
    ny, nx = x.shape[-2:]
    cy, cx = (ny - 1) / 2, (nx - 1) / 2
    # numpy (row = y, col = x), y down: out (y, x) samples the source at c + R^-1 (out - c - d)
    # with R^-1 = [[cos, -sin], [sin, cos]] acting on (x, y).
    inv = np.array([[math.cos(t), math.sin(t)],     # source y = sin*(x-..) + cos*(y-..)
                    [-math.sin(t), math.cos(t)]])   # source x = cos*(x-..) - sin*(y-..)
    centre = np.array([cy, cx])
    offset = centre - inv @ (centre + np.array([d, d]))
    cval = float(x.min())
    if x.ndim == 2:
        return ndimage.affine_transform(x, inv, offset=offset, order=1, mode='grid-constant', cval=cval)
    return np.stack([ndimage.affine_transform(plane, inv, offset=offset, order=1, mode='grid-constant', cval=cval)
                     for plane in x])


def motion_cases():
    cases = {}
    for name, shape, axis, fraction, ordering in [('swap-2d-y-centric', (20, 24), 'y', 0.5, 'centric'),
                                                  ('swap-2d-x-sequential', (19, 23), 'x', 0.3, 'sequential'),
                                                  ('swap-3d-z-centric', (5, 8, 6), 'z', 0.6, 'centric'),
                                                  ('swap-3d-y-odd', (3, 9, 7), 'y', 0.5, 'centric')]:
        x = phantom(shape)
        moved = r9(rng.random(shape) * 100)
        cases[name] = {'params': {'axis': axis, 'movedFraction': fraction, 'ordering': ordering},
                       'arrays': {'image': arr(x), 'moved': arr(moved), 'expected': arr(swap_lines(x, moved, axis, fraction, ordering))}}
    for name, shape, degrees, options in [('motion-2d', (20, 24), 6.0, {}),
                                          ('motion-2d-x-sequential', (19, 23), -4.0, {'axis': 'x', 'ordering': 'sequential', 'movedFraction': 0.4}),
                                          ('motion-3d', (4, 12, 16), 8.0, {'shiftPerDegree': 0.25}),
                                          ('motion-3d-z', (6, 10, 9), 3.0, {'axis': 'z'})]:
        x = phantom(shape)
        moved = rigid_move(x, degrees, options.get('shiftPerDegree', 0.5))
        expected = swap_lines(x, moved, options.get('axis', 'y'), options.get('movedFraction', 0.5), options.get('ordering', 'centric'))
        cases[name] = {'params': {'transform': 'motion', 'value': degrees, 'options': options, 'channels': 1},
                       'arrays': {'image': arr(x), 'moved': arr(moved), 'expected': arr(expected)}}
    return cases


if __name__ == '__main__':
    os.makedirs(OUT_DIR, exist_ok=True)
    write('fft.json', fft_cases())
    write('pointwise.json', pointwise_cases())
    write('blur.json', blur_cases())
    write('kspace.json', kspace_cases())
    write('motion.json', motion_cases())
