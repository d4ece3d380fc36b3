/**
 * The `clamp` option of the intensity transforms: what happens to values a transform pushes
 * out of range. misas works on 8-bit PIL images, so everything it does ends clipped to 0…255
 * and truncated to integers; TorchIO and MONAI work on float tensors and never clip. Which of
 * the two a transform follows by default is decided where the transform is defined.
 */
import { sampleTypeOf, type SampleType } from '../../sampleType';
import { valueRange, type Volume } from '../../volume';
import type { StringOption } from '../types';

export const CLAMP_MODES = ['none', 'input-range', 'dtype-range'] as const;
export type ClampMode = (typeof CLAMP_MODES)[number];

const CLAMP_TEXT =
  "What happens to values outside the range: none keeps them; input-range clips to the channel's own minimum and maximum; " +
  'dtype-range clips to the range of the type the image file stores (uint8 0…255, int16 −32768…32767, 12-bit DICOM 0…4095; ' +
  "moved by scl_slope/scl_inter or Rescale Slope/Intercept) and, where the values are that type's integers, drops fractions " +
  'as a cast to it does (PIL, numpy astype) — float images are not clipped.';

/** The option definition, with the transform's default and the reason for it. */
export function clampOption(defaultMode: ClampMode, why: string): StringOption<ClampMode> {
  return {
    type: 'string',
    default: defaultMode,
    enum: CLAMP_MODES,
    description: `${CLAMP_TEXT} Default ${defaultMode}: ${why}`,
  };
}

/** The type a dtype-range clamp clips to: undefined for float images (nothing to clip to). */
export function clampTarget(mode: ClampMode, image: Volume): SampleType | undefined {
  return mode === 'dtype-range' ? sampleTypeOf(image) : undefined;
}

/**
 * A cast to an integer type: fractions dropped toward zero, as C, PIL and numpy's astype do.
 * A value within rounding error of an integer is that integer: the FFT-based artifacts return
 * 238.9999999999 where the exact result is 239, and a cast must not turn that into 238.
 */
export function castToInteger(value: number): number {
  const nearest = Math.round(value);
  return Math.abs(value - nearest) <= 1e-9 * Math.max(1, Math.abs(value)) ? nearest : Math.trunc(value);
}

/** Clips `out` in place as `mode` says; `input` is the channel before the transform (for input-range). */
export function clampValues(
  out: Float64Array,
  input: ArrayLike<number>,
  mode: ClampMode,
  target: SampleType | undefined,
): Float64Array {
  if (mode === 'input-range') {
    const [min, max] = valueRange(input);
    for (let i = 0; i < out.length; i++) out[i] = Math.min(max, Math.max(min, out[i]));
  } else if (mode === 'dtype-range' && target) {
    const { min, max, integer } = target;
    for (let i = 0; i < out.length; i++) {
      const clipped = Math.min(max, Math.max(min, out[i]));
      out[i] = integer ? castToInteger(clipped) : clipped;
    }
  }
  return out;
}
