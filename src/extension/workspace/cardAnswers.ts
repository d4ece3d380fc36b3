/**
 * The analyze wizard's model-card questions, as plain data: one step per card property the
 * inference left unresolved (the assumed value first, so Enter keeps it; the choices are
 * cardChoices.ts's) and the sidecar card the answers make. No `vscode` here: the unit tests check
 * it directly.
 */
import type {
  CardField,
  GeometrySpec,
  InputLayout,
  ModelCardFile,
  NormalizationSpec,
  UnresolvedItem,
} from '../../engine/model/cardTypes';
import {
  CHANNEL_CHOICES,
  choicesAssumedFirst,
  geometryChoices,
  layoutChoices,
  mark,
  normalizationChoice,
  NORMALIZATION_KINDS,
  orientationChoices,
  outputChoices,
  parseClassNames,
  SLICE_AXIS_CHOICES,
  type CardChoice,
  type ModelFacts,
  type Parsed,
} from './cardChoices';
import { checkNormalization, describeFacts, impliedNormalization, type Verdict } from './intensityFit';

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

/** The properties a fit check decides (it scores orientation × normalisation at identity against the masks). */
export const FIT_FIELDS: readonly CardField[] = ['normalization', 'orientation'];

/** Where a step's current value comes from: assumed by the inference (wizard), or the card as it stands (Edit Model Card). */
export type Origin = 'assumed' | 'inferred' | 'card' | 'metadata' | 'bundle';

/** A property to ask about, with its current value. */
export interface AskedItem {
  field: CardField;
  current: unknown;
  reason: string;
  origin: Origin;
}

const ORIGIN_MARK: Record<Origin, string> = {
  assumed: 'assumed',
  inferred: 'inferred',
  card: 'from the card',
  metadata: "from the model's metadata",
  bundle: 'from the MONAI bundle',
};

const FIELD_ORDER: CardField[] = [
  'spatialDims',
  'layout',
  'channels',
  'channelMode',
  'geometry',
  'normalization',
  'output',
  'classes',
  'sliceAxis',
  'orientation',
];

const VERDICT_ORDER: Record<Verdict, number> = { fits: 0, open: 1, contradicted: 2 };

/**
 * The normalisation step: with the images' facts, each choice says what it makes of them, the
 * one the images imply is pre-selected (intensityFit.ts) and contradicted ones come last; an
 * assumed or inferred value alone is never pre-selected (nothing in a model says z-score).
 */
function normalizationStep(item: AskedItem, facts: ModelFacts): Pick<ChoiceStep, 'choices' | 'preselected' | 'note'> {
  const current = item.current as NormalizationSpec | undefined;
  const images = facts.images ?? [];
  const stated = item.origin === 'card' || item.origin === 'metadata' || item.origin === 'bundle';
  const implied = impliedNormalization(NORMALIZATION_KINDS, images);
  const wanted = stated ? current?.kind : implied;
  const checked = NORMALIZATION_KINDS.map((kind, order) => {
    const choice = normalizationChoice(kind, current);
    if (images.length === 0) return { choice, order, verdict: 'open' as Verdict };
    const check = checkNormalization(
      (choice.parameter
        ? (choice.parameter.parse(choice.parameter.value) as { value?: NormalizationSpec }).value
        : undefined) ?? { kind },
      images,
    );
    const verdictText =
      check.verdict === 'open' ? '' : ` — ${check.verdict === 'fits' ? 'fits' : 'contradicted'}: ${check.why}`;
    return { choice: { ...choice, detail: `${check.effect}${verdictText}` }, order, verdict: check.verdict };
  });
  const isWanted = (c: (typeof checked)[number]) => (c.choice.value as NormalizationSpec).kind === wanted;
  checked.sort(
    (a, b) =>
      Number(isWanted(b)) - Number(isWanted(a)) ||
      VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict] ||
      a.order - b.order,
  );
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

const asAsked = (item: UnresolvedItem | AskedItem): AskedItem =>
  'origin' in item ? item : { field: item.field, current: item.assumed, reason: item.reason, origin: 'assumed' };

/**
 * One step per property the wizard knows how to ask about, in card order: the unresolved ones
 * (the wizard: their assumed value is current) or the card's properties as they stand (Edit Model Card).
 */
export function cardSteps(items: readonly (UnresolvedItem | AskedItem)[], facts: ModelFacts): CardStep[] {
  const ordered = items
    .map(asAsked)
    .filter((item) => applies(item.field, facts))
    .sort((a, b) => FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field));
  const steps = ordered.flatMap((item) => stepsFor(item, facts));
  return facts.fitCheck
    ? steps.map((step) =>
        step.kind === 'choice' && FIT_FIELDS.includes(step.field) ? { ...step, fitCheck: 'offer' } : step,
      )
    : steps;
}

function stepsFor(item: AskedItem, facts: ModelFacts): CardStep[] {
  const base = { field: item.field, reason: item.reason };
  const origin = ORIGIN_MARK[item.origin];
  const choice = (subject: string, choices: CardChoice[]): CardStep[] => [
    { kind: 'choice', subject, ...base, choices: mark(choices, 0, origin), preselected: 0 },
  ];
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
      return [
        {
          kind: 'text',
          subject: 'class names',
          ...base,
          value: names.join(', '),
          parse: parseClassNames,
          prompt: `Class names, comma-separated, background first: the index is the label value (${count})`,
        },
      ];
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
    if (answer === undefined)
      throw new Error(
        `the model card answers must give ${step.field}: nothing follows from the images${step.kind === 'choice' && step.note ? ` (${step.note})` : ''}`,
      );
    answers[step.field] = answer;
  }
  return answers;
}

/** Says where a card written by Edit Model Card came from (only for a new file; an existing one keeps its own). */
export const EDIT_CARD_COMMENT = 'Written by misas: Edit Model Card.';

const kindOf = (value: unknown): unknown =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? ((value as { kind?: unknown; policy?: unknown }).kind ?? (value as { policy?: unknown }).policy)
    : undefined;

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
export function editedCard(
  existing: ModelCardFile | undefined,
  answers: CardAnswers,
  metadata: ModelCardFile = {},
): ModelCardFile {
  const card: Record<string, unknown> = existing ? { ...existing } : { $comment: EDIT_CARD_COMMENT };
  for (const field of FIELD_ORDER) {
    if (answers[field] === undefined) continue;
    const before = existing?.[field];
    if (
      before === undefined &&
      metadata[field] !== undefined &&
      JSON.stringify(over(metadata[field], answers[field])) === JSON.stringify(metadata[field])
    )
      continue;
    card[field] = over(before, answers[field]);
  }
  return card as ModelCardFile;
}
