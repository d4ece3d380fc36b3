/** Border crop: a frame of the given width becomes background; the size stays. */
import { defineTransform } from '../define';
import { checkInput, exactInterpolationOption, fillOption, requireValue, transformPlanes } from './common';

/** Copies the plane and sets a border `border` pixels wide to `fill`. */
export function cropBorderPlane(
  src: ArrayLike<number>,
  width: number,
  height: number,
  border: number,
  out: { [i: number]: number },
  fill: number,
): void {
  for (let y = 0, i = 0; y < height; y++) {
    const rowInBorder = y < border || y >= height - border;
    for (let x = 0; x < width; x++, i++) {
      out[i] = rowInBorder || x < border || x >= width - border ? fill : src[i];
    }
  }
}

export const crop = defineTransform({
  name: 'crop',
  title: 'Border crop',
  description:
    'Sets a border of the given width to background (label: class 0), keeping the image size, as misas does.',
  kind: 'spatial',
  parameter: { name: 'border', unit: 'px', scale: 'linear', minimum: 0 },
  identity: 0,
  defaultSweep: (dims) => ({ start: 0, stop: Math.floor(Math.min(dims[0], dims[1]) / 2), step: 10 }),
  defaultSweepText: '0…min(width, height)/2 px step 10',
  options: { interpolation: exactInterpolationOption, fill: fillOption },
  apply(input, value, options) {
    checkInput('crop', input);
    requireValue('crop', value >= 0, `border must be at least 0 px, got ${value}`);
    const [width, height] = input.image.dims;
    // Fractional widths (from a linear sweep) round to whole pixels, halves up.
    const border = Math.floor(value + 0.5);
    const job = { interpolation: options.interpolation, fillMode: options.fill, interpolates: false };
    return transformPlanes(input, job, (src, out, _interpolation, fill) =>
      cropBorderPlane(src, width, height, border, out, fill),
    );
  },
});
