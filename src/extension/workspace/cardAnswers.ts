/**
 * The analyze wizard's model-card questions, as plain data: one step per card property the
 * inference left unresolved (the assumed value first, so Enter keeps it), how typed answers are
 * read, and the sidecar card the answers make. No `vscode` here: the unit tests check it directly.
 */
import type { IntensityFacts } from '../../engine/io/intensityFacts';
import type { FitCandidate, FitReport } from '../../engine/model/fit/types';
import type { CardField, GeometryPolicy, GeometrySpec, InputLayout, ModelCardFile, NormalizationKind, NormalizationSpec, UnresolvedItem } from '../../engine/model/cardTypes';
import { ORIENTATIONS_2D, ORIENTATIONS_3D, type OrientationChoice } from '../../engine/model/orientation';
import { checkNormalization, describeFacts, factorText, impliedNormalization, type Verdict } from './intensityFit';

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

interface StepBase {
  field: CardField;
  /** Short name of the property, shown in the title. */
  subject: string;
  /** Why the wizard asks: the inference's reason. */
  reason: string;
}

/** A pick among choices. */
export interface ChoiceStep extends StepBase {
  kind: 'choice';
  choices: CardChoice[];
  /** Index of the choice Enter takes; undefined when nothing may be assumed (the user must choose). */
  preselected?: number;
  /** What the images say, shown with the question: "uint8, 0…255 (p1 3, p99 201)". */
  note?: string;
  /** 'offer': the first item runs a fit check (masks are there); 'done': its result is in the choices. */
  fitCheck?: 'offer' | 'done';
}

/** Free text, prefilled with the assumed value. */
export interface TextStep extends StepBase {
  kind: 'text';
  prompt: string;
  value: string;
  parse(text: string): Parsed;
}

export type CardStep = ChoiceStep | TextStep;

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

/** The properties a fit check decides (it scores orientation × normalisation at identity against the masks). */
export const FIT_FIELDS: readonly CardField[] = ['normalization', 'orientation'];

/** Where a step's current value comes from: assumed by the inference (wizard), or the card as it stands (Edit Model Card). */
export type Origin = 'assumed' | 'inferred' | 'card' | 'metadata';

/** A property to ask about, with its current value. */
export interface AskedItem {
  field: CardField;
  current: unknown;
  reason: string;
  origin: Origin;
}

const ORIGIN_MARK: Record<Origin, string> = { assumed: 'assumed', inferred: 'inferred', card: 'from the card', metadata: 'from the model\'s metadata' };

const FIELD_ORDER: CardField[] = ['spatialDims', 'layout', 'channels', 'channelMode', 'geometry', 'normalization', 'output', 'classes', 'sliceAxis', 'orientation'];

/** The engine's orientations (one list, src/engine/model/orientation.ts) as choices, the assumed one first. */
function orientationChoices(assumed: unknown, spatialDims: 2 | 3): CardChoice[] {
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
  if (names.some((name) => name === '')) return { error: 'A class name is empty: separate the names with single commas' };
  if (names.length < 2) return { error: 'Name at least two classes, background first' };
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) return { error: `"${repeated}" is named twice` };
  return { value: names };
}

/** "128x96" or "128, 96" (width × height[ × depth]). */
export function parseSize(text: string, spatialDims: 2 | 3): Parsed {
  const size = text.split(/[x×,\s]+/).filter(Boolean).map(Number);
  const axes = spatialDims === 2 ? 'width x height' : 'width x height x depth';
  if (size.length !== spatialDims || size.some((n) => !Number.isInteger(n) || n < 1)) return { error: `Give ${spatialDims} whole numbers: ${axes}` };
  return { value: size };
}

function normalizationChoice(kind: NormalizationKind, current?: NormalizationSpec): CardChoice {
  const choice = normalizationChoiceOf(kind);
  // The current card's parameters prefill its choice (Edit Model Card).
  if (current?.kind === kind && choice.parameter) {
    const text = kind === 'scale' ? (current.factor === undefined ? undefined : factorText(current.factor))
      : kind === 'percentile' ? (current.lo === undefined ? undefined : `${current.lo}, ${current.hi}`)
        : kind === 'fixed' && typeof current.mean === 'number' ? `${current.mean}, ${String(current.std)}` : undefined;
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
        label: 'percentile', description: 'clip to the lo–hi percentiles, then scale to [0, 1]', value: { kind },
        parameter: {
          prompt: 'Lower and upper percentile (0–100), comma-separated', value: '0.5, 99.5',
          parse: (text) => {
            const [lo, hi, ...rest] = parseNumbers(text);
            if (rest.length || !(lo >= 0 && hi <= 100 && lo < hi)) return { error: 'Two percentiles, lower first, between 0 and 100: e.g. 0.5, 99.5' };
            return { value: { kind, lo, hi } };
          },
        },
      };
    case 'fixed':
      return {
        label: 'fixed', description: '(x − mean) / std with the mean and std the model was trained with', value: { kind },
        parameter: {
          prompt: 'Mean and standard deviation in the image\'s raw units, comma-separated', value: '', placeholder: 'e.g. 120, 45',
          parse: (text) => {
            const [mean, std, ...rest] = parseNumbers(text);
            if (rest.length || !Number.isFinite(mean) || !(std > 0)) return { error: 'A mean and a positive standard deviation: e.g. 120, 45' };
            return { value: { kind, mean, std } };
          },
        },
      };
    case 'scale':
      return {
        label: 'scale', description: 'x · factor, e.g. 1/255 for 8-bit images', value: { kind },
        parameter: {
          prompt: 'The factor every intensity is multiplied by (a number or a fraction such as 1/255)', value: '1/255',
          parse: (text) => {
            const factor = parseNumber(text);
            return Number.isFinite(factor) && factor !== 0 ? { value: { kind, factor } } : { error: 'A non-zero number or fraction: e.g. 1/255' };
          },
        },
      };
  }
}

const NORMALIZATION_KINDS: NormalizationKind[] = ['none', 'min-max', 'z-score', 'percentile', 'fixed', 'scale'];

function geometryChoice(policy: GeometryPolicy, assumed: GeometrySpec, facts: ModelFacts): CardChoice {
  const choice = geometryChoiceOf(policy, assumed, facts);
  if (policy === assumed.policy && choice.parameter) {
    const text = policy === 'pad-to-multiple' ? String(assumed.multiple ?? 16) : assumed.size ? assumed.size.join('x') : undefined;
    if (text !== undefined) choice.parameter = { ...choice.parameter, value: text };
  }
  return choice;
}

function geometryChoiceOf(policy: GeometryPolicy, assumed: GeometrySpec, facts: ModelFacts): CardChoice {
  const descriptions: Record<GeometryPolicy, string> = {
    'resize': 'resample the image to the model size, and the prediction back',
    'pad-crop': 'centre the image in the model size, padding or cropping',
    'pad-to-multiple': 'pad each axis up to a multiple of k (U-Nets with any input size)',
    'sliding-window': 'cover the image with overlapping model-sized windows (models trained on patches)',
  };
  const choice: CardChoice = { label: policy, description: descriptions[policy], value: { policy } };
  if (policy === 'pad-to-multiple') {
    choice.parameter = {
      prompt: 'Pad every spatial axis up to a multiple of (typically 2^levels of a U-Net)', value: String(assumed.multiple ?? 16),
      parse: (text) => {
        const multiple = Number(text.trim());
        return Number.isInteger(multiple) && multiple >= 1 ? { value: { policy, multiple } } : { error: 'A whole number ≥ 1, e.g. 16' };
      },
    };
  } else if (assumed.size) {
    // A fixed model size: the card restates it.
    choice.value = { policy, size: [...assumed.size] };
    choice.detail = `model size ${assumed.size.join(' × ')}`;
  } else {
    choice.parameter = {
      prompt: `The model input size in pixels (${facts.spatialDims === 2 ? 'width x height' : 'width x height x depth'}); the model takes any size, so misas needs one`,
      value: '', placeholder: facts.spatialDims === 2 ? 'e.g. 256x256' : 'e.g. 128x128x64',
      parse: (text) => {
        const size = parseSize(text, facts.spatialDims);
        return 'error' in size ? size : { value: { policy, size: size.value } };
      },
    };
  }
  return choice;
}

function geometryChoices(assumed: GeometrySpec, facts: ModelFacts): CardChoice[] {
  // A fixed input size cannot be padded to a multiple; any size can be anything.
  const policies: GeometryPolicy[] = assumed.size ? ['resize', 'pad-crop', 'sliding-window'] : ['pad-to-multiple', 'resize', 'pad-crop', 'sliding-window'];
  return assumedFirst(policies, assumed.policy).map((policy) => geometryChoice(policy, assumed, facts));
}

function outputChoices(current: string | { kind: string; sigmoidApplied?: boolean }): CardChoice[] {
  const { kind, sigmoidApplied = false } = typeof current === 'string' ? { kind: current } : current;
  const choices = outputChoicesFor(kind === 'sigmoid' || kind === 'labels' ? 'sigmoid' : 'logits');
  const index = choices.findIndex((choice) => {
    const value = choice.value as { kind: string; sigmoidApplied?: boolean };
    return value.kind === kind && (value.sigmoidApplied ?? false) === (kind === 'sigmoid' && sigmoidApplied);
  });
  return index <= 0 ? choices : [choices[index], ...choices.filter((_, i) => i !== index)];
}

function outputChoicesFor(assumed: string): CardChoice[] {
  const logits: CardChoice = { label: 'logits', description: 'one raw score per class; softmax, then the highest wins', value: { kind: 'logits' } };
  const probabilities: CardChoice = { label: 'probabilities', description: 'one probability per class (already softmax-ed)', value: { kind: 'probabilities' } };
  const sigmoid: CardChoice = { label: 'sigmoid', description: 'independent raw scores per class; misas applies the sigmoid (threshold 0.5)', value: { kind: 'sigmoid' } };
  const sigmoidApplied: CardChoice = { label: 'sigmoid, applied', description: 'the model ends with a Sigmoid: its outputs are probabilities (threshold 0.5)', value: { kind: 'sigmoid', sigmoidApplied: true } };
  const labels: CardChoice = { label: 'labels', description: 'the output is the label map itself', value: { kind: 'labels' } };
  // One channel cannot be softmax-ed; several channels cannot be a label map.
  return assumed === 'sigmoid' ? [sigmoid, sigmoidApplied, labels] : [logits, probabilities, sigmoid, sigmoidApplied];
}

function layoutChoices(assumed: InputLayout): CardChoice[] {
  const is3d = assumed.length === 5;
  const first: CardChoice = is3d
    ? { label: 'NCDHW', description: 'channels first: [batch, channels, depth, height, width]', value: 'NCDHW' }
    : { label: 'NCHW', description: 'channels first: [batch, channels, height, width]', value: 'NCHW' };
  const last: CardChoice = is3d
    ? { label: 'NDHWC', description: 'channels last: [batch, depth, height, width, channels]', value: 'NDHWC' }
    : { label: 'NHWC', description: 'channels last: [batch, height, width, channels]', value: 'NHWC' };
  return first.value === assumed ? [first, last] : [last, first];
}

const CHANNEL_CHOICES: CardChoice[] = [
  { label: '1 channel', description: 'grey images as they are; colour images averaged to grey', value: 1 },
  { label: '3 channels', description: 'grey images repeated into three channels; RGB images as they are', value: 3 },
];

const SLICE_AXIS_CHOICES: CardChoice[] = [
  { label: '2: (x, y) planes', description: 'axial for RAS-stored volumes', value: 2 },
  { label: '1: (x, z) planes', description: 'coronal for RAS-stored volumes', value: 1 },
  { label: '0: (y, z) planes', description: 'sagittal for RAS-stored volumes', value: 0 },
];

function assumedFirst<T>(items: T[], assumed: T): T[] {
  return [...items.filter((item) => item === assumed), ...items.filter((item) => item !== assumed)];
}

function choicesAssumedFirst(choices: CardChoice[], assumed: unknown): CardChoice[] {
  const index = choices.findIndex((choice) => choice.value === assumed);
  return index <= 0 ? choices : [choices[index], ...choices.filter((_, i) => i !== index)];
}

/** Marks the pre-selected choice with where its value comes from, so the user sees which one Enter keeps. */
function mark(choices: CardChoice[], index: number | undefined, origin: string): CardChoice[] {
  return choices.map((choice, i) => (i === index ? { ...choice, description: `${origin} · ${choice.description ?? ''}`.replace(/ · $/, '') } : choice));
}

const VERDICT_ORDER: Record<Verdict, number> = { fits: 0, open: 1, contradicted: 2 };

/**
 * The normalisation step: with the images' facts, each choice says what it makes of them, the
 * one the images imply is pre-selected (intensityFit.ts) and contradicted ones come last; an
 * assumed or inferred value alone is never pre-selected (nothing in a model says z-score).
 */
function normalizationStep(item: AskedItem, facts: ModelFacts): Pick<ChoiceStep, 'choices' | 'preselected' | 'note'> {
  const current = item.current as NormalizationSpec | undefined;
  const images = facts.images ?? [];
  const stated = item.origin === 'card' || item.origin === 'metadata';
  const implied = impliedNormalization(NORMALIZATION_KINDS, images);
  const wanted = stated ? current?.kind : implied;
  const checked = NORMALIZATION_KINDS.map((kind, order) => {
    const choice = normalizationChoice(kind, current);
    if (images.length === 0) return { choice, order, verdict: 'open' as Verdict };
    const check = checkNormalization((choice.parameter ? (choice.parameter.parse(choice.parameter.value) as { value?: NormalizationSpec }).value : undefined) ?? { kind }, images);
    const verdictText = check.verdict === 'open' ? '' : ` — ${check.verdict === 'fits' ? 'fits' : 'contradicted'}: ${check.why}`;
    return { choice: { ...choice, detail: `${check.effect}${verdictText}` }, order, verdict: check.verdict };
  });
  const isWanted = (c: (typeof checked)[number]) => (c.choice.value as NormalizationSpec).kind === wanted;
  checked.sort((a, b) => Number(isWanted(b)) - Number(isWanted(a)) || VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict] || a.order - b.order);
  const choices = checked.map((c) => c.choice);
  const preselected = wanted === undefined ? undefined : 0;
  const origin = stated ? ORIGIN_MARK[item.origin] : 'fits the images';
  const note = [images.length ? describeFacts(images) : '', facts.imagesNote ?? ''].filter(Boolean).join(' ');
  return { choices: mark(choices, preselected, origin), preselected, ...(note ? { note } : {}) };
}

/** Whether a step for `field` makes sense for these images: the slice axis only matters when a volume is among them. */
function applies(field: CardField, facts: ModelFacts): boolean {
  return field !== 'sliceAxis' || facts.hasVolume !== false;
}

const asAsked = (item: UnresolvedItem | AskedItem): AskedItem => ('origin' in item ? item : { field: item.field, current: item.assumed, reason: item.reason, origin: 'assumed' });

/**
 * One step per property the wizard knows how to ask about, in card order: the unresolved ones
 * (the wizard: their assumed value is current) or the card's properties as they stand (Edit Model Card).
 */
export function cardSteps(items: readonly (UnresolvedItem | AskedItem)[], facts: ModelFacts): CardStep[] {
  const ordered = items.map(asAsked).filter((item) => applies(item.field, facts)).sort((a, b) => FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field));
  const steps = ordered.flatMap((item) => stepsFor(item, facts));
  return facts.fitCheck ? steps.map((step) => (step.kind === 'choice' && FIT_FIELDS.includes(step.field) ? { ...step, fitCheck: 'offer' } : step)) : steps;
}

function stepsFor(item: AskedItem, facts: ModelFacts): CardStep[] {
  const base = { field: item.field, reason: item.reason };
  const origin = ORIGIN_MARK[item.origin];
  const choice = (subject: string, choices: CardChoice[]): CardStep[] => [{ kind: 'choice', subject, ...base, choices: mark(choices, 0, origin), preselected: 0 }];
  switch (item.field) {
    case 'layout':
      return choice('input layout', layoutChoices(item.current as InputLayout));
    case 'channels':
      return choice('input channels', choicesAssumedFirst(CHANNEL_CHOICES, item.current));
    case 'geometry':
      return choice('geometry', geometryChoices(item.current as GeometrySpec, facts));
    case 'normalization':
      return [{ kind: 'choice', subject: 'normalization', ...base, ...normalizationStep(item, facts) }];
    case 'output':
      return choice('output', outputChoices(item.current as string | { kind: string; sigmoidApplied?: boolean }));
    case 'sliceAxis':
      return choice('slice axis', choicesAssumedFirst(SLICE_AXIS_CHOICES, item.current));
    case 'orientation':
      return choice('orientation', orientationChoices(item.current, facts.spatialDims));
    case 'classes': {
      const names = item.current as string[];
      const count = item.origin === 'assumed' ? `${names.length} assumed` : `${names.length}, ${origin}`;
      return [{
        kind: 'text', subject: 'class names', ...base, value: names.join(', '), parse: parseClassNames,
        prompt: `Class names, comma-separated, background first: the index is the label value (${count})`,
      }];
    }
    default:
      return []; // spatialDims and channelMode follow from the shapes and channels
  }
}

/** The value a step has when the user accepts its default (the assumed one). */
export function defaultAnswer(step: CardStep): unknown {
  if (step.kind === 'text') {
    const parsed = step.parse(step.value);
    return 'value' in parsed ? parsed.value : undefined;
  }
  // As Enter twice does: the pre-selected choice with its prefilled parameter; nothing when none is.
  if (step.preselected === undefined) return undefined;
  const assumed = step.choices[step.preselected];
  const parsed = assumed.parameter?.parse(assumed.parameter.value);
  return parsed && 'value' in parsed ? parsed.value : assumed.value;
}

export type CardAnswers = Partial<Record<CardField, unknown>>;

/** Says where a written card came from; the properties after it are the user's answers. */
export const CARD_COMMENT = 'Written by misas: Analyze Sensitivity (the answers to its model-card step).';

/**
 * The sidecar card: a `$comment` and the answered properties, in card order. Only what was asked
 * goes in, so whatever the model or its metadata state keeps coming from there. No `$schema`:
 * VS Code validates `*.onnx.misas.json` through the extension's jsonValidation, and a link into
 * the installed extension would go stale with its next version.
 */
export function cardFromAnswers(answers: CardAnswers): ModelCardFile {
  const card: Record<string, unknown> = { $comment: CARD_COMMENT };
  for (const field of FIELD_ORDER) if (answers[field] !== undefined) card[field] = answers[field];
  return card as ModelCardFile;
}

/** Answers from pre-made ones (automation): each step takes the given value, else its default. */
export function automatedAnswers(steps: readonly CardStep[], given: Partial<ModelCardFile>): CardAnswers {
  const answers: CardAnswers = {};
  for (const step of steps) {
    const answer = given[step.field] ?? defaultAnswer(step);
    if (answer === undefined) throw new Error(`the model card answers must give ${step.field}: nothing follows from the images${step.kind === 'choice' && step.note ? ` (${step.note})` : ''}`);
    answers[step.field] = answer;
  }
  return answers;
}

/** Says where a card written by Edit Model Card came from (only for a new file; an existing one keeps its own). */
export const EDIT_CARD_COMMENT = 'Written by misas: Edit Model Card.';

const kindOf = (value: unknown): unknown => (value && typeof value === 'object' && !Array.isArray(value) ? ((value as { kind?: unknown; policy?: unknown }).kind ?? (value as { policy?: unknown }).policy) : undefined);

/** An answer over what was there: an object of the same kind or policy keeps the properties that were not asked (padValue, statistics, name, …). */
function over(before: unknown, answer: unknown): unknown {
  const kind = kindOf(answer);
  return kind !== undefined && kindOf(before) === kind ? { ...(before as object), ...(answer as object) } : answer;
}

/**
 * The sidecar Edit Model Card writes: the existing sidecar with the answered properties replaced
 * (everything it did not ask stays, in its place); an answer that only restates what the model's
 * metadata_props say is left out, so it keeps coming from there.
 */
export function editedCard(existing: ModelCardFile | undefined, answers: CardAnswers, metadata: ModelCardFile = {}): ModelCardFile {
  const card: Record<string, unknown> = existing ? { ...existing } : { $comment: EDIT_CARD_COMMENT };
  for (const field of FIELD_ORDER) {
    if (answers[field] === undefined) continue;
    const before = existing?.[field];
    if (before === undefined && metadata[field] !== undefined && JSON.stringify(over(metadata[field], answers[field])) === JSON.stringify(metadata[field])) continue;
    card[field] = over(before, answers[field]);
  }
  return card as ModelCardFile;
}

/** "mean foreground Dice 0.92" (with masks) or "label-free score 0.71". */
function fitScore(report: FitReport, candidate: FitCandidate): string {
  return report.ranking === 'dice' && candidate.meanDice !== null ? `mean foreground Dice ${candidate.meanDice.toFixed(2)}` : `label-free score ${candidate.score.toFixed(2)}`;
}

/** The candidate value a choice of a fit field stands for. */
function fitValue(field: CardField, candidate: FitCandidate): unknown {
  return field === 'normalization' ? candidate.normalization.kind : candidate.orientation;
}

function choiceKey(field: CardField, choice: CardChoice): unknown {
  return field === 'normalization' ? (choice.value as NormalizationSpec).kind : choice.value;
}

/**
 * The steps with a fit check's result: in each fit field it varied, the winner's choice comes
 * first and is pre-selected ("fit check: best, mean foreground Dice 0.92", its parameters
 * prefilled), and every other choice shows the best score it reached.
 */
export function withFitResult(steps: readonly CardStep[], report: FitReport): CardStep[] {
  const [winner] = report.candidates;
  const tried = new Set(report.tried.map((t) => t.field as CardField));
  return steps.map((step): CardStep => {
    if (step.kind !== 'choice' || !FIT_FIELDS.includes(step.field)) return step;
    if (!winner || !tried.has(step.field)) return { ...step, fitCheck: 'done' };
    const scored = step.choices.map((choice) => {
      // Candidates are best first: the first that matches is this choice's best.
      const best = report.candidates.find((candidate) => JSON.stringify(fitValue(step.field, candidate)) === JSON.stringify(choiceKey(step.field, choice)));
      const isWinner = best === winner;
      let updated: CardChoice = choice;
      if (isWinner && step.field === 'normalization') updated = { ...normalizationChoice(winner.normalization.kind, winner.normalization), detail: choice.detail };
      const plain = (updated.description ?? '').replace(/^(assumed|inferred|fits the images|from the card|from the model's metadata) · /, '');
      const description = isWinner ? `fit check: best, ${fitScore(report, winner)} · ${plain}`.replace(/ · $/, '') : plain;
      const result = best && !isWinner ? `fit check: ${fitScore(report, best)}` : best ? '' : 'fit check: not tried';
      return { choice: { ...updated, description, detail: [updated.detail, result].filter(Boolean).join(' · ') || undefined }, isWinner };
    });
    const ordered = [...scored.filter((s) => s.isWinner), ...scored.filter((s) => !s.isWinner)];
    return { ...step, choices: ordered.map((s) => s.choice), preselected: ordered[0]?.isWinner ? 0 : undefined, fitCheck: 'done' };
  });
}
