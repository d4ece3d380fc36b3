/**
 * The choices of the model-card questions, one list per card property (the assumed value first),
 * how typed answers are read, and the facts about the model and images the choices describe.
 * No `vscode` here: the unit tests check it directly.
 */
import type { IntensityFacts } from '../../engine/io/intensityFacts';
import type {
  GeometryPolicy,
  GeometrySpec,
  InputLayout,
  NormalizationKind,
  NormalizationSpec,
} from '../../engine/model/cardTypes';
import { ORIENTATIONS_2D, ORIENTATIONS_3D, type OrientationChoice } from '../../engine/model/orientation';
import { factorText } from './intensityFit';

/** Typed text read as a card value, or why it cannot be. */
export type Parsed = { value: unknown } | { error: string };

/** A follow-up input box for a choice that needs numbers (percentiles, a factor, a size). */
export interface ParameterPrompt {
  prompt: string;
  /** Prefilled text: the current value's when the choice is the current one, else a typical one. */
  value: string;
  placeholder?: string;
  parse(text: string): Parsed;
}

export interface CardChoice {
  label: string;
  description?: string;
  detail?: string;
  /** The card value; with a parameter, the parameter's parsed value replaces it. */
  value: unknown;
  parameter?: ParameterPrompt;
}

export interface ModelFacts {
  spatialDims: 2 | 3;
  /** The intensity facts of the picked images (or of the first few); absent when there are none (Edit Model Card). */
  images?: IntensityFacts[];
  /** Whether a volume is among the picked images; undefined when not every image was read (then the slice axis is asked). */
  hasVolume?: boolean;
  /** Said with the facts: e.g. which images they cover, or which could not be read. */
  imagesNote?: string;
  /** Some picked image has a mask: the normalisation and orientation steps offer a fit check. */
  fitCheck?: boolean;
}

/** The engine's orientations (one list, src/engine/model/orientation.ts) as choices, the assumed one first. */
export function orientationChoices(assumed: unknown, spatialDims: 2 | 3): CardChoice[] {
  const all: readonly OrientationChoice[] = spatialDims === 2 ? ORIENTATIONS_2D : ORIENTATIONS_3D;
  const choices = all.map((o): CardChoice => ({ label: String(o.value), description: o.description, value: o.value }));
  return choicesAssumedFirst(choices, assumed);
}

/** "0.5", "1/255" → number; anything else → NaN. */
export function parseNumber(text: string): number {
  const fraction = /^\s*([-+0-9.eE]+)\s*\/\s*([-+0-9.eE]+)\s*$/.exec(text);
  if (fraction) return Number(fraction[1]) / Number(fraction[2]);
  return text.trim() === '' ? NaN : Number(text);
}

/** Comma-separated numbers (spaces allowed); NaN entries for what is not a number. */
function parseNumbers(text: string): number[] {
  return text.split(',').map(parseNumber);
}

export function parseClassNames(text: string): Parsed {
  const names = text.split(',').map((name) => name.trim());
  if (names.some((name) => name === ''))
    return { error: 'A class name is empty: separate the names with single commas' };
  if (names.length < 2) return { error: 'Name at least two classes, background first' };
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) return { error: `"${repeated}" is named twice` };
  return { value: names };
}

/** "128x96" or "128, 96" (width × height[ × depth]). */
export function parseSize(text: string, spatialDims: 2 | 3): Parsed {
  const size = text
    .split(/[x×,\s]+/)
    .filter(Boolean)
    .map(Number);
  const axes = spatialDims === 2 ? 'width x height' : 'width x height x depth';
  if (size.length !== spatialDims || size.some((n) => !Number.isInteger(n) || n < 1))
    return { error: `Give ${spatialDims} whole numbers: ${axes}` };
  return { value: size };
}

export function normalizationChoice(kind: NormalizationKind, current?: NormalizationSpec): CardChoice {
  const choice = normalizationChoiceOf(kind);
  // The current card's parameters prefill its choice (Edit Model Card).
  if (current?.kind === kind && choice.parameter) {
    const text =
      kind === 'scale'
        ? current.factor === undefined
          ? undefined
          : factorText(current.factor)
        : kind === 'percentile'
          ? current.lo === undefined
            ? undefined
            : `${current.lo}, ${current.hi}`
          : kind === 'fixed' && typeof current.mean === 'number'
            ? `${current.mean}, ${String(current.std)}`
            : undefined;
    if (text !== undefined) choice.parameter = { ...choice.parameter, value: text };
  }
  return choice;
}

function normalizationChoiceOf(kind: NormalizationKind): CardChoice {
  switch (kind) {
    case 'none':
      return { label: 'none', description: 'raw intensities', value: { kind } };
    case 'min-max':
      return { label: 'min-max', description: '(x − min) / (max − min): into [0, 1]', value: { kind } };
    case 'z-score':
      return { label: 'z-score', description: '(x − mean) / sd of the image', value: { kind } };
    case 'percentile':
      return {
        label: 'percentile',
        description: 'clip to the lo–hi percentiles, then scale to [0, 1]',
        value: { kind },
        parameter: {
          prompt: 'Lower and upper percentile (0–100), comma-separated',
          value: '0.5, 99.5',
          parse: (text) => {
            const [lo, hi, ...rest] = parseNumbers(text);
            if (rest.length || !(lo >= 0 && hi <= 100 && lo < hi))
              return { error: 'Two percentiles, lower first, between 0 and 100: e.g. 0.5, 99.5' };
            return { value: { kind, lo, hi } };
          },
        },
      };
    case 'fixed':
      return {
        label: 'fixed',
        description: '(x − mean) / std with the mean and std the model was trained with',
        value: { kind },
        parameter: {
          prompt: "Mean and standard deviation in the image's raw units, comma-separated",
          value: '',
          placeholder: 'e.g. 120, 45',
          parse: (text) => {
            const [mean, std, ...rest] = parseNumbers(text);
            if (rest.length || !Number.isFinite(mean) || !(std > 0))
              return { error: 'A mean and a positive standard deviation: e.g. 120, 45' };
            return { value: { kind, mean, std } };
          },
        },
      };
    case 'scale':
      return {
        label: 'scale',
        description: 'x · factor, e.g. 1/255 for 8-bit images',
        value: { kind },
        parameter: {
          prompt: 'The factor every intensity is multiplied by (a number or a fraction such as 1/255)',
          value: '1/255',
          parse: (text) => {
            const factor = parseNumber(text);
            return Number.isFinite(factor) && factor !== 0
              ? { value: { kind, factor } }
              : { error: 'A non-zero number or fraction: e.g. 1/255' };
          },
        },
      };
  }
}

export const NORMALIZATION_KINDS: NormalizationKind[] = ['none', 'min-max', 'z-score', 'percentile', 'fixed', 'scale'];

function geometryChoice(policy: GeometryPolicy, assumed: GeometrySpec, facts: ModelFacts): CardChoice {
  const choice = geometryChoiceOf(policy, assumed, facts);
  if (policy === assumed.policy && choice.parameter) {
    const text =
      policy === 'pad-to-multiple' ? String(assumed.multiple ?? 16) : assumed.size ? assumed.size.join('x') : undefined;
    if (text !== undefined) choice.parameter = { ...choice.parameter, value: text };
  }
  return choice;
}

function geometryChoiceOf(policy: GeometryPolicy, assumed: GeometrySpec, facts: ModelFacts): CardChoice {
  const descriptions: Record<GeometryPolicy, string> = {
    resize: 'resample the image to the model size, and the prediction back',
    'pad-crop': 'centre the image in the model size, padding or cropping',
    'pad-to-multiple': 'pad each axis up to a multiple of k (U-Nets with any input size)',
    'sliding-window': 'cover the image with overlapping model-sized windows (models trained on patches)',
  };
  const choice: CardChoice = { label: policy, description: descriptions[policy], value: { policy } };
  if (policy === 'pad-to-multiple') {
    choice.parameter = {
      prompt: 'Pad every spatial axis up to a multiple of (typically 2^levels of a U-Net)',
      value: String(assumed.multiple ?? 16),
      parse: (text) => {
        const multiple = Number(text.trim());
        return Number.isInteger(multiple) && multiple >= 1
          ? { value: { policy, multiple } }
          : { error: 'A whole number ≥ 1, e.g. 16' };
      },
    };
  } else if (assumed.size) {
    // A fixed model size: the card restates it.
    choice.value = { policy, size: [...assumed.size] };
    choice.detail = `model size ${assumed.size.join(' × ')}`;
  } else {
    choice.parameter = {
      prompt: `The model input size in pixels (${facts.spatialDims === 2 ? 'width x height' : 'width x height x depth'}); the model takes any size, so misas needs one`,
      value: '',
      placeholder: facts.spatialDims === 2 ? 'e.g. 256x256' : 'e.g. 128x128x64',
      parse: (text) => {
        const size = parseSize(text, facts.spatialDims);
        return 'error' in size ? size : { value: { policy, size: size.value } };
      },
    };
  }
  return choice;
}

export function geometryChoices(assumed: GeometrySpec, facts: ModelFacts): CardChoice[] {
  // A fixed input size cannot be padded to a multiple; any size can be anything.
  const policies: GeometryPolicy[] = assumed.size
    ? ['resize', 'pad-crop', 'sliding-window']
    : ['pad-to-multiple', 'resize', 'pad-crop', 'sliding-window'];
  return assumedFirst(policies, assumed.policy).map((policy) => geometryChoice(policy, assumed, facts));
}

export function outputChoices(current: string | { kind: string; sigmoidApplied?: boolean }): CardChoice[] {
  const { kind, sigmoidApplied = false } = typeof current === 'string' ? { kind: current } : current;
  const choices = outputChoicesFor(kind === 'sigmoid' || kind === 'labels' ? 'sigmoid' : 'logits');
  const index = choices.findIndex((choice) => {
    const value = choice.value as { kind: string; sigmoidApplied?: boolean };
    return value.kind === kind && (value.sigmoidApplied ?? false) === (kind === 'sigmoid' && sigmoidApplied);
  });
  return index <= 0 ? choices : [choices[index], ...choices.filter((_, i) => i !== index)];
}

function outputChoicesFor(assumed: string): CardChoice[] {
  const logits: CardChoice = {
    label: 'logits',
    description: 'one raw score per class; softmax, then the highest wins',
    value: { kind: 'logits' },
  };
  const probabilities: CardChoice = {
    label: 'probabilities',
    description: 'one probability per class (already softmax-ed)',
    value: { kind: 'probabilities' },
  };
  const sigmoid: CardChoice = {
    label: 'sigmoid',
    description: 'independent raw scores per class; misas applies the sigmoid (threshold 0.5)',
    value: { kind: 'sigmoid' },
  };
  const sigmoidApplied: CardChoice = {
    label: 'sigmoid, applied',
    description: 'the model ends with a Sigmoid: its outputs are probabilities (threshold 0.5)',
    value: { kind: 'sigmoid', sigmoidApplied: true },
  };
  const labels: CardChoice = {
    label: 'labels',
    description: 'the output is the label map itself',
    value: { kind: 'labels' },
  };
  // One channel cannot be softmax-ed; several channels cannot be a label map.
  return assumed === 'sigmoid' ? [sigmoid, sigmoidApplied, labels] : [logits, probabilities, sigmoid, sigmoidApplied];
}

export function layoutChoices(assumed: InputLayout): CardChoice[] {
  const is3d = assumed.length === 5;
  const first: CardChoice = is3d
    ? { label: 'NCDHW', description: 'channels first: [batch, channels, depth, height, width]', value: 'NCDHW' }
    : { label: 'NCHW', description: 'channels first: [batch, channels, height, width]', value: 'NCHW' };
  const last: CardChoice = is3d
    ? { label: 'NDHWC', description: 'channels last: [batch, depth, height, width, channels]', value: 'NDHWC' }
    : { label: 'NHWC', description: 'channels last: [batch, height, width, channels]', value: 'NHWC' };
  return first.value === assumed ? [first, last] : [last, first];
}

export const CHANNEL_CHOICES: CardChoice[] = [
  { label: '1 channel', description: 'grey images as they are; colour images averaged to grey', value: 1 },
  { label: '3 channels', description: 'grey images repeated into three channels; RGB images as they are', value: 3 },
];

export const SLICE_AXIS_CHOICES: CardChoice[] = [
  { label: '2: (x, y) planes', description: 'axial for RAS-stored volumes', value: 2 },
  { label: '1: (x, z) planes', description: 'coronal for RAS-stored volumes', value: 1 },
  { label: '0: (y, z) planes', description: 'sagittal for RAS-stored volumes', value: 0 },
];

function assumedFirst<T>(items: T[], assumed: T): T[] {
  return [...items.filter((item) => item === assumed), ...items.filter((item) => item !== assumed)];
}

export function choicesAssumedFirst(choices: CardChoice[], assumed: unknown): CardChoice[] {
  const index = choices.findIndex((choice) => choice.value === assumed);
  return index <= 0 ? choices : [choices[index], ...choices.filter((_, i) => i !== index)];
}

/** Marks the pre-selected choice with where its value comes from, so the user sees which one Enter keeps. */
export function mark(choices: CardChoice[], index: number | undefined, origin: string): CardChoice[] {
  return choices.map((choice, i) =>
    i === index ? { ...choice, description: `${origin} · ${choice.description ?? ''}`.replace(/ · $/, '') } : choice,
  );
}
