export { fftPlan, isPowerOfTwo, type Fft1d } from './fft1d';
export { fftn, ifftn, fftAlongAxis, fftshift, ifftshift, type ComplexArray } from './fftn';
export { centredSpectrum, realImageFromCentredSpectrum } from './spectrum';
export { centredIndex, rawIndex, filterAlongAxis } from './axisFilter';
export { dftCoefficient, addCoefficientImage } from './singleFrequency';
export { realSpectrum, realFromHalfSpectrum, realFilterAlongAxis, type HalfSpectrum } from './real';
export { blockFftPlan } from './blockPlan';
export { filterRealImageByLines, type LineGainsOf, type LineKind } from './lineGains';
