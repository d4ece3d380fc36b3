/** Image input/output: NIfTI, NRRD, MetaImage, PNG and DICOM → Volume; NIfTI and PNG writers. */
export { readImage, formatOfPath, type ImageFormat } from './read';
export { readLabelMap, toLabelMap, checkSameGrid, integerArrayTypeFor } from './label';
export { readNifti } from './nifti';
export { writeNifti, encodeNifti, type WriteNiftiOptions } from './nifti-write';
export { readPng, writePng, encodePng, type WritePngOptions } from './png';
export { readDicom, hasDicomMagic } from './dicom';
export { readNrrd } from './nrrd';
export { readMetaImage } from './metaimage';
export { DEFAULT_MAX_BYTES, type ReadImageOptions } from './options';
