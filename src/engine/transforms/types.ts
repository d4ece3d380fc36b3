import type { Random } from '../random';
import type { Volume } from '../volume';
import type { Sweep } from './sweep';

/**
 * spatial: the geometry changes, so the label map is transformed too (nearest neighbour);
 * intensity: only voxel values change (including MR artifacts), the label map is unchanged.
 */
export type TransformKind = 'spatial' | 'intensity';

/**
 * One extra argument of a transform (beyond the swept parameter), with its default: the shape
 * the docs and the experiment schema read. Definitions use the narrower kinds below, so that
 * each transform's options get a type of their own (OptionsOf).
 */
export interface TransformOption {
  type: 'number' | 'integer' | 'boolean' | 'string';
  default: number | boolean | string;
  description: string;
  /** Allowed values for string options. */
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
}

export interface NumberOption extends TransformOption {
  type: 'number' | 'integer';
  default: number;
  enum?: undefined;
}

export interface BooleanOption extends TransformOption {
  type: 'boolean';
  default: boolean;
  enum?: undefined;
  minimum?: undefined;
  maximum?: undefined;
}

/** A string option; with `enum`, one of those values (its type is then their union). */
export interface StringOption<V extends string = string> extends TransformOption {
  type: 'string';
  default: V;
  enum?: readonly V[];
  minimum?: undefined;
  maximum?: undefined;
}

/** A transform's option declarations by name (declare them `as const` so enums keep their values). */
export type OptionSpecs = Readonly<Record<string, NumberOption | BooleanOption | StringOption>>;

/** The value an option declaration stands for: number, boolean, the union of its enum, or string. */
export type OptionValue<O> = O extends { type: 'boolean' }
  ? boolean
  : O extends { type: 'number' | 'integer' }
    ? number
    : O extends { enum?: readonly (infer V extends string)[] }
      ? V
      : string;

/** The options a transform's apply receives: every declared option, defaults filled in, checked. */
export type OptionsOf<S extends OptionSpecs> = { readonly [K in keyof S]: OptionValue<S[K]> };

/** Options as given (experiment params, results.json): untyped until checked against the declarations. */
export type TransformOptions = Record<string, number | boolean | string>;

export interface TransformContext {
  /** Seeded generator for random transforms; derived per series, input and step by the runner. */
  random: Random;
}

export interface TransformInput {
  image: Volume;
  /** Label map with integer data, same dims as the image (channels = 1). */
  label?: Volume;
  /**
   * Each channel's minimum of `image`, when the caller computed it once for many calls (the
   * runner: a sweep transforms the same input at every step); the 'min' fill then reads it
   * instead of passing over the data again.
   */
  imageMinima?: readonly number[];
}

export interface TransformOutput {
  image: Volume;
  /** Present exactly when a label was given. Never holds a value that was not in the input label. */
  label?: Volume;
}

/** Parameter values of severity levels 1…5 (increasing corruption) and where they come from. */
export interface SeverityLevels {
  /** Five values, level 1 first; a function where they depend on the input's size (pixels). */
  values: readonly number[] | ((dims: readonly number[]) => number[]);
  /** The levels in words, with their source (ROOD-MRI, ImageNet-C, misas), for docs and help. */
  text: string;
  /** false where the transform has no order of strength (dihedral): the levels are only labels. */
  ordered?: false;
}

export interface TransformSpec {
  /** Name used in experiment files, the CLI and the UI. */
  name: string;
  title: string;
  /** One sentence on what the transform does. */
  description: string;
  kind: TransformKind;
  parameter: {
    name: string;
    /** Unit shown after values ('°', 'px', '×', 'σ mm', '' for dimensionless). */
    unit: string;
    /** 'log' when the natural axis is logarithmic (factors). */
    scale: 'linear' | 'log';
    /** Whether only integer values make sense (dihedral k). */
    integer?: boolean;
    minimum?: number;
    /** Values must be greater than this (gamma > 0). */
    exclusiveMinimum?: number;
    maximum?: number;
  };
  /** The value that leaves the input unchanged; its metric is the baseline. */
  identity: number;
  /** The identity where it depends on the input's size (resize: its longest side); overrides `identity`. */
  identityFor?(dims: readonly number[]): number;
  /**
   * True where no value leaves the input unchanged (spike-position): `identity` is then only the
   * reference point of summaries, and the step there is transformed like every other.
   */
  identityChangesInput?: boolean;
  /** Default sweep; a function where it depends on the input's size (resize) or on the series' options, defaults filled in (occlusion). */
  defaultSweep: Sweep | ((dims: readonly number[], options: TransformOptions) => Sweep);
  /** Default sweep in words for docs and help (because defaultSweep may be a function). */
  defaultSweepText: string;
  options: OptionSpecs;
  /** Whether apply() uses ctx.random. */
  random?: boolean;
  /** Its five severity levels (./severities.ts); the registry attaches them to every entry. */
  severities?: SeverityLevels;
  /** Applies the transform; options missing from `given` take their defaults, wrong ones are refused. */
  apply(input: TransformInput, value: number, given: TransformOptions, ctx: TransformContext): TransformOutput;
}

/**
 * A transform as its module writes it (see defineTransform): apply receives its own options,
 * typed from the declarations in `options`, defaults filled in and checked.
 */
export interface TransformDefinition<S extends OptionSpecs> extends Omit<
  TransformSpec,
  'options' | 'apply' | 'severities'
> {
  options: S;
  apply(input: TransformInput, value: number, options: OptionsOf<S>, ctx: TransformContext): TransformOutput;
}
