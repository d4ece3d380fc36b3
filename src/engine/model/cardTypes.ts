/** The model card's types; schemas/model-card.schema.json documents every field. */
import type { Orientation } from './orientation';

export type { Orientation } from './orientation';

export type InputLayout = 'NCHW' | 'NHWC' | 'NCDHW' | 'NDHWC';
export type ChannelMode = 'grey' | 'repeat-grey';
export type GeometryPolicy = 'resize' | 'pad-crop' | 'pad-to-multiple' | 'sliding-window';
export type WindowBlend = 'gaussian' | 'uniform';
export type NormalizationKind = 'none' | 'min-max' | 'z-score' | 'percentile' | 'fixed' | 'scale';
export type OutputKind = 'logits' | 'probabilities' | 'sigmoid' | 'labels';

export interface GeometrySpec {
  policy: GeometryPolicy;
  /** Model input size in image axis order: [nx, ny] or [nx, ny, nz]. */
  size?: number[];
  multiple?: number;
  padValue?: 'min' | 'zero';
  /** For sliding-window: the least fraction of a window shared with its neighbour along each axis. */
  overlap?: number;
  /** For sliding-window: how overlapping windows' scores are weighted. */
  blend?: WindowBlend;
}

export interface NormalizationSpec {
  kind: NormalizationKind;
  lo?: number;
  hi?: number;
  mean?: number | number[];
  std?: number | number[];
  factor?: number;
  statistics?: 'image' | 'slice';
}

export interface OutputSpec {
  kind: OutputKind;
  name?: string;
  layout?: InputLayout;
  threshold?: number;
  sigmoidApplied?: boolean;
}

/** A card as written in a sidecar or in metadata_props: every property optional. */
export interface ModelCardFile {
  $schema?: string;
  $comment?: string;
  description?: string;
  spatialDims?: 2 | 3;
  layout?: InputLayout;
  channels?: 1 | 3;
  channelMode?: ChannelMode;
  geometry?: GeometrySpec;
  normalization?: NormalizationSpec;
  output?: OutputSpec;
  classes?: string[];
  sliceAxis?: 0 | 1 | 2;
  orientation?: Orientation;
}

/** A resolved card: everything the pre- and post-processing need, defaults filled in. */
export interface ModelCard {
  description?: string;
  spatialDims: 2 | 3;
  layout: InputLayout;
  channels: 1 | 3;
  channelMode: ChannelMode;
  /** size is set for resize, pad-crop and sliding-window, multiple for pad-to-multiple, overlap and blend for sliding-window; padValue always. */
  geometry: GeometrySpec & { padValue: 'min' | 'zero' };
  /** statistics is always set. */
  normalization: NormalizationSpec & { statistics: 'image' | 'slice' };
  /** name and layout are always set; threshold and sigmoidApplied for sigmoid outputs. */
  output: OutputSpec & { name: string; layout: InputLayout };
  /** Index = label value. */
  classes: string[];
  /** Only for 2D models. */
  sliceAxis?: 0 | 1 | 2;
  /** How the model wants the (slice) array laid out relative to misas's stored layout; applied before the geometry step. */
  orientation: Orientation;
}

/** The card properties that inference fills in (the ones the wizard may ask about). */
export type CardField =
  | 'spatialDims'
  | 'layout'
  | 'channels'
  | 'channelMode'
  | 'geometry'
  | 'normalization'
  | 'output'
  | 'classes'
  | 'sliceAxis'
  | 'orientation';

/**
 * Where a resolved property came from: the sidecar card, the model's metadata_props, a MONAI
 * bundle's configs/metadata.json around the model, the model's tensor shapes, or a default.
 */
export type CardSource = 'sidecar' | 'metadata' | 'monai-bundle' | 'model' | 'default';

/** A property neither the model nor a card stated: a default was assumed and the wizard should ask. */
export interface UnresolvedItem {
  field: CardField;
  assumed: unknown;
  reason: string;
}

export interface CardResolution {
  card: ModelCard;
  sources: Record<CardField, CardSource>;
  unresolved: UnresolvedItem[];
  /** Problems that did not stop resolution, e.g. invalid metadata_props entries that were ignored. */
  warnings: string[];
  /** The MONAI bundle metadata.json that was read, if any. */
  bundle?: string;
}

export function isChannelsLast(layout: InputLayout): boolean {
  return layout === 'NHWC' || layout === 'NDHWC';
}

export function layoutSpatialDims(layout: InputLayout): 2 | 3 {
  return layout.length === 4 ? 2 : 3;
}
