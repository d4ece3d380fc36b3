"""Writes the transposed copy of an image/label PNG pair (rows become columns).

The baseline report fixture (test/report/fixtures/README.md) needs an input whose conventions
differ from the example model's: the same slice, image and mask transposed together, as a
pipeline that reads arrays as [x, y] instead of [y, x] would hand it over.

usage: /usr/bin/python3 tools/testdata/make_transposed_png.py IN.png OUT.png [IN2.png OUT2.png ...]
"""
import sys

from PIL import Image


def main(paths):
    if len(paths) % 2:
        sys.exit("give pairs: IN.png OUT.png")
    for source, target in zip(paths[0::2], paths[1::2]):
        Image.open(source).transpose(Image.Transpose.TRANSPOSE).save(target)


if __name__ == "__main__":
    main(sys.argv[1:])
