/**
 * The conventions a fit check tries: in-plane orientations × intensity normalisations (one
 * model run each), and the ways to read the output that the same run allows. A convention the
 * card states (sidecar or metadata_props) is held fixed unless every one is to be tested.
 */
import type { VoxelArray } from '../../volume';
import type { CardResolution, CardSource, NormalizationSpec, OutputSpec } from '../cardTypes';
import { formatOrientation, ORIENTATIONS_2D, ORIENTATIONS_3D, type Orientation } from '../orientation';

/** A convention the check varies. */
export type FitField = 'orientation' | 'normalization' | 'output';

/** One model run per trial: the orientation and normalisation of the input. */
export interface FitTrial {
  orientation: Orientation;
  normalization: NormalizationSpec;
}

/** How the output of a run is read. `logits` covers probabilities (same labels); the data decide which it is. */
export type FitOutput = Pick<OutputSpec, 'kind' | 'sigmoidApplied'>;

export interface FitPlan {
  trials: FitTrial[];
  outputs: FitOutput[];
  /** Conventions held fixed, with the value and where it came from. */
  fixed: { field: FitField; value: unknown; source: CardSource }[];
  /** Conventions varied, with the values tried. */
  tried: { field: FitField; values: unknown[] }[];
}

/** The dtype scale of an image's stored values: ×1/255 for 8-bit, ×1/65535 for 16-bit integers. */
export function dtypeScale(data: VoxelArray): NormalizationSpec | undefined {
  if (data instanceof Uint8Array || data instanceof Int8Array) return { kind: 'scale', factor: 1 / 255 };
  if (data instanceof Uint16Array) return { kind: 'scale', factor: 1 / 65535 };
  if (data instanceof Int16Array) return { kind: 'scale', factor: 1 / 32767 };
  return undefined;
}

/** The normalisations tried: raw, the dtype's scale (integer images), min-max, percentile 1–99, z-score. */
export function normalizationCandidates(data: VoxelArray): NormalizationSpec[] {
  const scale = dtypeScale(data);
  return [
    { kind: 'none' },
    ...(scale ? [scale] : []),
    { kind: 'min-max' },
    { kind: 'percentile', lo: 1, hi: 99 },
    { kind: 'z-score' },
  ];
}

/** A short name of a convention value, for tables. */
export function describeNormalization(n: NormalizationSpec): string {
  switch (n.kind) {
    case 'scale':
      return n.factor === 1 / 255
        ? '×1/255'
        : n.factor === 1 / 65535
          ? '×1/65535'
          : n.factor === 1 / 32767
            ? '×1/32767'
            : `×${n.factor}`;
    case 'percentile':
      return `percentile ${n.lo ?? 0}–${n.hi ?? 100}`;
    case 'fixed':
      return `fixed (mean ${JSON.stringify(n.mean)}, sd ${JSON.stringify(n.std)})`;
    default:
      return n.kind;
  }
}

export function describeOutput(o: FitOutput): string {
  if (o.kind === 'sigmoid') return o.sigmoidApplied ? 'sigmoid (applied in the model)' : 'sigmoid (raw scores)';
  return o.kind;
}

function stated(source: CardSource): boolean {
  return source === 'sidecar' || source === 'metadata' || source === 'monai-bundle';
}

/**
 * The trials and output readings for a model whose card resolved to `resolution`, on images
 * stored like `firstImage`. `all`: also test what the card states.
 */
export function planFit(resolution: CardResolution, firstImage: VoxelArray, options: { all?: boolean } = {}): FitPlan {
  const { card, sources } = resolution;
  const fixed: FitPlan['fixed'] = [];
  const tried: FitPlan['tried'] = [];

  let orientations: Orientation[];
  if (stated(sources.orientation) && !options.all) {
    orientations = [card.orientation];
    fixed.push({ field: 'orientation', value: formatOrientation(card.orientation), source: sources.orientation });
  } else {
    // 2D: the eight symmetries of a slice; 3D: as stored (ITK) and reversed axes (nibabel, MONAI).
    orientations = (card.spatialDims === 2 ? ORIENTATIONS_2D : ORIENTATIONS_3D).map((choice) => choice.value);
    tried.push({ field: 'orientation', values: orientations });
  }

  let normalizations: NormalizationSpec[];
  if (stated(sources.normalization) && !options.all) {
    normalizations = [card.normalization];
    fixed.push({ field: 'normalization', value: card.normalization, source: sources.normalization });
  } else {
    normalizations = normalizationCandidates(firstImage);
    // A stated normalisation outside the usual ones is still tried (with --all).
    if (
      stated(sources.normalization) &&
      !normalizations.some((n) => describeNormalization(n) === describeNormalization(card.normalization))
    ) {
      normalizations.push(card.normalization);
    }
    tried.push({ field: 'normalization', values: normalizations });
  }

  let outputs: FitOutput[];
  const kind = card.output.kind;
  if (kind === 'labels' && !stated(sources.output)) {
    // An integer output or one without a channel axis can only be a label map.
    outputs = [{ kind: 'labels' }];
    fixed.push({ field: 'output', value: 'labels', source: sources.output });
  } else if (stated(sources.output) && !options.all) {
    outputs = [{ kind, ...(kind === 'sigmoid' ? { sigmoidApplied: card.output.sigmoidApplied ?? false } : {}) }];
    fixed.push({ field: 'output', value: card.output.kind, source: sources.output });
  } else if (kind === 'sigmoid') {
    // One channel: are the scores raw (threshold in logit space) or already probabilities?
    outputs = [
      { kind: 'sigmoid', sigmoidApplied: false },
      { kind: 'sigmoid', sigmoidApplied: true },
    ];
    tried.push({ field: 'output', values: outputs.map(describeOutput) });
  } else {
    // Several channels: logits and probabilities give the same labels; the output values tell them apart.
    outputs = [{ kind: 'logits' }];
    tried.push({ field: 'output', values: ['logits or probabilities, told apart by the output values'] });
  }

  const trials = orientations.flatMap((orientation) =>
    normalizations.map((normalization) => ({ orientation, normalization })),
  );
  return { trials, outputs, fixed, tried };
}
