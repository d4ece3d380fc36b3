/** Datasets: an experiment's `inputs` (list, glob, folder, pattern pairing, CSV manifest) → files; memory estimates. */
export { expandInputs, type ExpandOptions, type ExpandedInputs, type InputProblem, type ResolvedInput } from './expand';
export { IMAGE_EXTENSIONS, imageExtensionOf } from './glob';
export { parseCsv, parseManifest, MANIFEST_COLUMNS, type ManifestRow } from './manifest';
export { checkFits, estimateInputBytes, type MemoryEstimateOptions } from './memory';
