#!/usr/bin/python3
"""Writes small synthetic PNG files with PIL into test/data/png/ and, as the independent reference,
what PIL decodes from them (test/data/png/expected.json).

Run with Debian's Python: /usr/bin/python3 tools/testdata/make_png.py

Cases: 8- and 16-bit grey, grey+alpha, RGB, RGBA, 4-bit palettes (grey and coloured), 1-bit grey and a pHYs chunk. Arrays are flattened row by row (engine order);
colour images as planar channels (alpha dropped).
"""
import json
import os

import numpy as np
from PIL import Image

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'data', 'png')
H, W = 4, 6


def ramp(scale=1, offset=0, modulo=256):
    rows, cols = np.meshgrid(np.arange(H), np.arange(W), indexing='ij')
    return (((cols + 10 * rows) * scale + offset) % modulo)


def planar(array):
    return np.moveaxis(array, -1, 0).flatten().tolist() if array.ndim == 3 else array.flatten().tolist()


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {}

    def record(name, image, values, **extra):
        image.save(os.path.join(OUT, name), **extra)
        reread = Image.open(os.path.join(OUT, name))
        expected[name] = {'width': reread.width, 'height': reread.height, 'mode': reread.mode,
                          'info_dpi': [float(v) for v in reread.info.get('dpi', (0, 0))],
                          'data': planar(values)}

    grey8 = ramp(7).astype(np.uint8)
    record('grey8.png', Image.fromarray(grey8, mode='L'), grey8)
    record('grey8_dpi.png', Image.fromarray(grey8, mode='L'), grey8, dpi=(254, 127))  # 0.1 mm x 0.2 mm pixels

    grey16 = ramp(1111, 5, 65536).astype(np.uint16)
    image16 = Image.new('I;16', (W, H))
    image16.frombytes(grey16.astype('<u2').tobytes())
    record('grey16.png', image16, grey16)

    alpha = (255 - ramp(9)).astype(np.uint8)
    record('grey_alpha.png', Image.fromarray(np.stack([grey8, alpha], -1), mode='LA'), grey8)

    rgb = np.stack([grey8, ramp(3, 50).astype(np.uint8), ramp(11, 200).astype(np.uint8)], -1)
    record('rgb.png', Image.fromarray(rgb, mode='RGB'), rgb)
    record('rgba.png', Image.fromarray(np.concatenate([rgb, alpha[..., None]], -1), mode='RGBA'), rgb)
    # An RGB mask whose three channels are equal is accepted as a label map.
    labels = (ramp() % 3).astype(np.uint8)
    record('rgb_grey_labels.png', Image.fromarray(np.stack([labels] * 3, -1), mode='RGB'), np.stack([labels] * 3, -1))

    # Palette PNGs: indices are class numbers for masks; images expand through the palette.
    indices = (ramp() % 5).astype(np.uint8)
    colours = np.array([[0, 0, 0], [255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0]], dtype=np.uint8)
    palette_image = Image.fromarray(indices, mode='P')
    palette_image.putpalette(colours.flatten().tolist())
    record('palette.png', palette_image, colours[indices])  # PIL packs 5 colours into 4-bit indices
    expected['palette.png']['indices'] = indices.flatten().tolist()
    greys = np.array([[0, 0, 0], [40, 40, 40], [80, 80, 80], [120, 120, 120], [200, 200, 200]], dtype=np.uint8)
    grey_palette = Image.fromarray(indices, mode='P')
    grey_palette.putpalette(greys.flatten().tolist())
    record('palette_grey.png', grey_palette, greys[indices][..., 0])
    expected['palette_grey.png']['indices'] = indices.flatten().tolist()

    bits = (ramp() % 2).astype(bool)
    record('grey1.png', Image.fromarray(bits), bits.astype(np.uint8))

    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump({'generator': 'tools/testdata/make_png.py (PIL %s)' % Image.__version__, 'files': expected}, f,
                  indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
