/** Zoom in (misas): crop a centred margin proportional to the scale, then scale back to full size. */
import { scalePlane, type PixelRegion } from '../resample';
import { defineTransform } from '../define';
import { BICUBIC_NOTE, checkInput, interpolationOptionNoting, requireValue, transformPlanes } from './common';

/**
 * The region zoom keeps at scale s: round((W/2 − 1)·s) px off the left and right,
 * round((H/2 − 1)·s) px off the top and bottom (halves round up), at least one pixel left.
 */
export function zoomRegion(width: number, height: number, scale: number): PixelRegion {
  const margin = (n: number): number =>
    Math.min(Math.max(Math.floor((n / 2 - 1) * scale + 0.5), 0), Math.floor((n - 1) / 2));
  const x0 = margin(width);
  const y0 = margin(height);
  return { x0, y0, width: width - 2 * x0, height: height - 2 * y0 };
}

export const zoom = defineTransform({
  name: 'zoom',
  title: 'Zoom',
  description:
    'Zooms in: crops round((W/2−1)·s) px left and right and round((H/2−1)·s) px top and bottom, then scales back to the full size (pixel-centre mapping).',
  kind: 'spatial',
  parameter: { name: 'scale', unit: '', scale: 'linear', minimum: 0, maximum: 1 },
  identity: 0,
  defaultSweep: { start: 0, stop: 1, step: 0.1 },
  defaultSweepText: '0…1 step 0.1',
  options: { interpolation: interpolationOptionNoting(BICUBIC_NOTE) },
  apply(input, value, options) {
    checkInput('zoom', input);
    requireValue('zoom', value >= 0 && value <= 1, `scale must lie in [0, 1], got ${value}`);
    const [width, height] = input.image.dims;
    const region = zoomRegion(width, height, value);
    return transformPlanes(
      input,
      { interpolation: options.interpolation, fillMode: 'zero' },
      (src, out, interpolation) => scalePlane(src, width, region, out, width, height, interpolation),
    );
  },
});
