/** Rotation about the image centre, counter-clockwise as displayed, canvas size kept. */
import { affineWarpPlane } from '../resample';
import { defineTransform } from '../define';
import { checkInput, fillOption, interpolationOptionNoting, requireValue, transformPlanes } from './common';

/** cos and sin of `degrees`, exact for multiples of 90° so quarter turns move whole pixels. */
function cosSin(degrees: number): [number, number] {
  const quarter = ((degrees % 360) + 360) % 360;
  if (quarter === 0) return [1, 0];
  if (quarter === 90) return [0, 1];
  if (quarter === 180) return [-1, 0];
  if (quarter === 270) return [0, -1];
  const radians = (degrees * Math.PI) / 180;
  return [Math.cos(radians), Math.sin(radians)];
}

/**
 * The output-to-source matrix of a rotation by `degrees` counter-clockwise as displayed (y down)
 * about the centre ((w−1)/2, (h−1)/2): source = R(−θ)·(out − c) + c in displayed orientation,
 * i.e. sx = cos·dx − sin·dy + cx, sy = sin·dx + cos·dy + cy. (scipy.ndimage.rotate's convention.)
 */
export function rotationMatrix(
  degrees: number,
  width: number,
  height: number,
): [number, number, number, number, number, number] {
  const [c, s] = cosSin(degrees);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  return [c, -s, cx - c * cx + s * cy, s, c, cy - s * cx - c * cy];
}

export const rotate = defineTransform({
  name: 'rotate',
  title: 'Rotation',
  description:
    'Rotates counter-clockwise (as displayed) about the image centre, keeping the canvas; uncovered corners take the background.',
  kind: 'spatial',
  parameter: { name: 'angle', unit: '°', scale: 'linear', minimum: -3600, maximum: 3600 },
  identity: 0,
  defaultSweep: { start: -180, stop: 180, step: 5 },
  defaultSweepText: '−180…180° step 5',
  options: {
    interpolation: interpolationOptionNoting(
      "misas rotates with PIL's default, nearest neighbour, by whole degrees: nearest (with fill zero) is misas parity.",
    ),
    fill: fillOption,
  },
  apply(input, value, options) {
    checkInput('rotate', input);
    requireValue('rotate', Number.isFinite(value), `angle must be a finite number of degrees, got ${value}`);
    const [width, height] = input.image.dims;
    const m = rotationMatrix(value, width, height);
    return transformPlanes(
      input,
      { interpolation: options.interpolation, fillMode: options.fill },
      (src, out, interpolation, fill) =>
        affineWarpPlane(src, width, height, m, out, width, height, interpolation, fill),
    );
  },
});
