/** An experiment's inputs after expansion (globs, folders, manifests): what the runner reads. */

/** One image with its optional label map; absolute paths. */
export interface ResolvedInput {
  image: string;
  mask?: string;
  /** For volumes with a 2D model: only these slice indices (along the model's slice axis). */
  slices?: number[];
  /** For 4D images (time series, multi-frame DICOM): the frame to analyse; required when there are several. */
  frame?: number;
  /** The input's group (e.g. scanner or site) from a manifest or a dataset entry; groups get their own aggregates. */
  group?: string;
}

/** An input the run went on without (skipped), or ran differently than asked (pseudo-truth). */
export interface InputProblem {
  file: string;
  problem: string;
  action: 'skipped' | 'pseudo-truth';
  /** The run's input index, when the input got one (a file that failed to load keeps its place). */
  input?: number;
}
