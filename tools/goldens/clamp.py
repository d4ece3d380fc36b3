#!/usr/bin/python3
"""Golden arrays for the `clamp` option of the intensity transforms (misas parity).

References: PIL's own ImageEnhance (what misas calls for brightness and contrast on its 8-bit
images), numpy re-enactments of misas's mri.py steps for the k-space spike and the bias field
(scale to 0…1, transform, clamp to 0…1, ×255, astype(uint8)), and numpy float32 arithmetic
for other integer types. Run with Debian's python (numpy, PIL):
    /usr/bin/python3 tools/goldens/clamp.py
Writes test/goldens/intensity/clamp.json. Arrays are C-order (numpy (ny, nx) = engine [nx, ny]);
params.sampleType names the typed array the engine reads the image into.
"""
import math

import numpy as np
from PIL import Image, ImageEnhance

import golden_json
from intensity import spike  # the numpy TorchIO-spike reference of kspace.json

rng = np.random.default_rng(20261207)

# The default factor sweep of brightness/contrast, 0.25…4 in 13 log steps (×∛2 each), exactly
# as the engine's expandSweep gives it; the test checks that the two lists agree.
FACTORS = [0.25, 0.3149802625, 0.396850263, 0.5, 0.6299605249, 0.793700526, 1, 1.2599210499, 1.587401052, 2,
           2.5198420998, 3.1748021039, 4]


def mr_slice_uint8(shape=(28, 32)):
    """A dark background of 0 with a bright ring and a darker core, like a cardiac MR slice."""
    y, x = np.meshgrid(np.linspace(-1, 1, shape[0]), np.linspace(-1, 1, shape[1]), indexing='ij')
    r = np.hypot(x, y)
    img = np.where(r < 0.8, 90 + 110 * (r > 0.45), 0) + np.where(r < 0.8, rng.integers(0, 40, shape), 0)
    return np.clip(img, 0, 255).astype(np.uint8)


def pil_grey(a, enhancer, factor):
    return np.array(enhancer(Image.fromarray(a, mode='L')).enhance(factor))


def pil_rgb(a, enhancer, factor):
    """misas's images are RGB with three equal channels; PIL's result per channel, planar."""
    rgb = Image.fromarray(np.stack([a, a, a], axis=-1), mode='RGB')
    return np.moveaxis(np.array(enhancer(rgb).enhance(factor)), -1, 0)


def float32_blend(x, base, factor):
    """PIL's blend arithmetic for integer samples: single precision, then clipped and truncated."""
    return np.float32(base) + np.float32(factor) * (x.astype(np.float32) - np.float32(base))


def misas_uint8(transformed_unit):
    """misas mri.py: clamp to 0…1, ×255, astype(uint8) (truncation)."""
    return (np.clip(transformed_unit, 0, 1) * 255).astype(np.uint8)


def before_cast(transformed_unit):
    """The values misas truncates: where one lies within rounding error of an integer, any
    floating-point implementation (misas's float32 one too) may land on either side of it."""
    return np.clip(transformed_unit, 0, 1) * 255


def main():
    cases = {}

    def case(name, transform, value, image, expected, sample_type, options=None, channels=1, unit_result=None):
        cases[name] = {'params': {'transform': transform, 'value': value, 'options': options or {},
                                  'sampleType': sample_type, 'channels': channels},
                       'arrays': {'image': golden_json.array(image, 9), 'expected': golden_json.array(expected, 9)}}
        if unit_result is not None:
            cases[name]['arrays']['beforeCast'] = golden_json.array(before_cast(unit_result), 12)

    def misas_case(name, transform, value, image, unit_result):
        case(name, transform, value, image, misas_uint8(unit_result), 'uint8', unit_result=unit_result)

    tester = np.array([[0, 100, 150, 185]], dtype=np.uint8)
    case('tester-brightness-1.5-pil', 'brightness', 1.5, tester, pil_grey(tester, ImageEnhance.Brightness, 1.5), 'uint8')
    case('tester-brightness-1.5-input-range', 'brightness', 1.5, tester, np.clip(tester * 1.5, 0, 185), 'uint8',
         {'clamp': 'input-range'})
    case('tester-brightness-1.5-none', 'brightness', 1.5, tester, tester * 1.5, 'uint8', {'clamp': 'none'})

    u8 = mr_slice_uint8()
    for f in FACTORS:
        case(f'brightness-uint8-pil-{f:.4g}', 'brightness', f, u8, pil_grey(u8, ImageEnhance.Brightness, f), 'uint8')
        case(f'contrast-uint8-pil-{f:.4g}', 'contrast', f, u8, pil_grey(u8, ImageEnhance.Contrast, f), 'uint8')
    case('contrast-uint8-rgb-pil-2', 'contrast', FACTORS[9], np.stack([u8, u8, u8]),
         pil_rgb(u8, ImageEnhance.Contrast, FACTORS[9]), 'uint8', channels=3)

    colour = np.stack([u8, np.clip(u8.astype(int) * 3 // 4 + 40, 0, 255), 255 - u8]).astype(np.uint8)
    rgb_image = Image.fromarray(np.moveaxis(colour, 0, -1), mode='RGB')
    for f in [0.5, 2.0]:
        case(f'contrast-uint8-colour-pil-{f}', 'contrast', f, colour,
             np.moveaxis(np.array(ImageEnhance.Contrast(rgb_image).enhance(f)), -1, 0), 'uint8', channels=3)
        case(f'brightness-uint8-colour-pil-{f}', 'brightness', f, colour,
             np.moveaxis(np.array(ImageEnhance.Brightness(rgb_image).enhance(f)), -1, 0), 'uint8', channels=3)

    u16 = rng.integers(0, 40000, (12, 10)).astype(np.uint16)
    case('brightness-uint16-dtype-range', 'brightness', 3.0, u16,
         np.trunc(np.clip(float32_blend(u16, 0, 3.0), 0, 65535)), 'uint16')
    i16 = rng.integers(-1024, 1500, (12, 10)).astype(np.int16)
    mean = math.floor(float(i16.astype(np.float64).mean()) + 0.5)
    case('contrast-int16-dtype-range', 'contrast', 27.5, i16,
         np.trunc(np.clip(float32_blend(i16, mean, 27.5), -32768, 32767)), 'int16')

    unit = np.round(u8.astype(np.float64) / 255, 6)
    case('contrast-float-not-clipped', 'contrast', 3.0, unit, unit.mean() + 3.0 * (unit - unit.mean()), 'float32')
    case('brightness-float-not-clipped', 'brightness', 2.0, unit, unit * 2.0, 'float32')
    case('contrast-float-input-range', 'contrast', 3.0, unit,
         np.clip(unit.mean() + 3.0 * (unit - unit.mean()), unit.min(), unit.max()), 'float32', {'clamp': 'input-range'})

    for r in [0.5, 1.0, 2.0]:
        misas_case(f'spike-uint8-misas-{r}', 'spike', r, u8, spike(u8 / 255, [[0.1, 0.1]], r))
    half = np.round(rng.uniform(0, 0.5, (16, 18)), 6)
    half[0, 0], half[-1, -1] = 0.0, 0.5
    case('spike-float-not-clipped', 'spike', 2.0, half, spike(half, [[0.1, 0.1]], 2.0), 'float32')
    case('spike-uint8-none', 'spike', 1.0, u8, spike(u8.astype(np.float64), [[0.1, 0.1]], 1.0), 'uint8', {'clamp': 'none'})
    misas_case('spike-position-uint8-misas-0.3', 'spike-position', 0.3, u8, spike(u8 / 255, [[0.3, 0.1]], 0.1))

    ny, nx = u8.shape
    ux = np.arange(-nx / 2, nx / 2) + 0.5
    uy = np.arange(-ny / 2, ny / 2) + 0.5
    ux, uy = ux / np.abs(ux).max(), uy / np.abs(uy).max()
    gy, gx = np.meshgrid(uy, ux, indexing='ij')
    c = -0.3
    log_field = sum(c * gx ** p * gy ** q for p in range(4) for q in range(4 - p))
    field = np.minimum(np.exp(log_field), 1)
    misas_case('bias-field-uint8-misas', 'bias-field', c, u8, u8 / 255 * field)

    golden_json.write('intensity', 'clamp.json', 'tools/goldens/clamp.py', cases)


if __name__ == '__main__':
    main()
