/**
 * The centred k-space of a real image and back, as the MR artifacts define them:
 * F(x) = fftshift(fftn(x)) and F⁻¹(S) = real(ifftn(ifftshift(S))).
 */
import { fftn, fftshift, ifftn, ifftshift, type ComplexArray } from './fftn';

/** Centred spectrum of real values laid out with `dims` (first axis fastest). */
export function centredSpectrum(values: ArrayLike<number>, dims: readonly number[]): ComplexArray {
  const raw: ComplexArray = { re: Float64Array.from(values), im: new Float64Array(values.length) };
  fftn(raw, dims);
  return fftshift(raw, dims);
}

/** The real part of the image whose centred spectrum is `spectrum`. */
export function realImageFromCentredSpectrum(spectrum: ComplexArray, dims: readonly number[]): Float64Array {
  const raw = ifftshift(spectrum, dims);
  ifftn(raw, dims);
  return raw.re;
}
