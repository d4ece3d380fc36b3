/**
 * Shows the model-card steps (see cardAnswers.ts) as quick picks and input boxes: titled
 * "misas: Model card (2/3): …", the inference's reason as placeholder or prompt, the assumed
 * value first (Enter keeps it), Back to the previous step, Escape to cancel the wizard.
 */
import * as vscode from 'vscode';
import type { FitReport } from '../../engine/model/fit/types';
import type { CardAnswers, CardStep, ChoiceStep, TextStep } from './cardAnswers';
import type { CardChoice, Parsed } from './cardChoices';
import { withFitResult } from './cardFitResult';

/** What a step resolved to: a value, a step back, or undefined when it was dismissed (Escape). */
type StepResult<T> = { value: T } | 'back' | undefined;

/** The item that runs a fit check instead of answering (a step with fitCheck 'offer'). */
export const FIT_CHECK_LABEL = '$(beaker) Find out with a fit check (recommended)';
const FIT = Symbol('fit check');

export interface AskOptions {
  /** Runs the fit check (with progress and Cancel); undefined when it was cancelled or failed (said there). */
  fitCheck?: () => Promise<FitReport | undefined>;
}

/** The open step, as plain data: the extension tests read it (they cannot type into an input box). */
export interface CardStepSnapshot {
  kind: 'pick' | 'input';
  title: string;
  /** Placeholder of a pick, prompt of an input box. */
  text: string;
  value: string;
  items: string[];
  /** Each item's description and detail, joined by " | " (what the tests check of the choices). */
  itemTexts: string[];
  active?: string;
  validationMessage?: string;
}

let openStep: { input: vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox; revalidate(): void } | undefined;

/** The open model-card step, after setting its text to `value` when given (tests); undefined when none is open. */
export function cardStepSnapshot(change?: { value?: string }): CardStepSnapshot | undefined {
  if (!openStep) return undefined;
  const { input } = openStep;
  if (change?.value !== undefined) {
    input.value = change.value;
    openStep.revalidate();
  }
  const isPick = 'items' in input;
  return {
    kind: isPick ? 'pick' : 'input',
    title: input.title ?? '',
    text: (isPick ? input.placeholder : input.prompt) ?? '',
    value: input.value,
    items: isPick ? input.items.map((item) => item.label) : [],
    itemTexts: isPick ? input.items.map((item) => [item.description, item.detail].filter(Boolean).join(' | ')) : [],
    ...(isPick && input.activeItems[0] ? { active: input.activeItems[0].label } : {}),
    ...(!isPick && typeof input.validationMessage === 'string' ? { validationMessage: input.validationMessage } : {}),
  };
}

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Asks every step in turn; resolves to the answers, or undefined when the user pressed Escape.
 * `previous` answers (a second round, after the engine refused the first) are preselected.
 */
export async function askCardSteps(
  initial: readonly CardStep[],
  modelName: string,
  previous: CardAnswers = {},
  options: AskOptions = {},
): Promise<CardAnswers | undefined> {
  const answers: CardAnswers = { ...previous };
  const typed = new Map<string, string>();
  let steps = options.fitCheck
    ? initial
    : initial.map((step) =>
        step.kind === 'choice' && step.fitCheck === 'offer' ? { ...step, fitCheck: undefined } : step,
      );
  for (let index = 0; index < steps.length;) {
    const step = steps[index];
    const title = `misas: Model card (${index + 1}/${steps.length}): ${step.subject} of ${modelName}`;
    const result =
      step.kind === 'choice'
        ? await askChoice(step, title, answers[step.field], typed, index > 0)
        : await askText(step, title, answers[step.field], index > 0);
    if (result === undefined) return undefined;
    if (result === 'back') {
      index--;
      continue;
    }
    if (result.value === FIT) {
      // The same step again, with the winner pre-selected here and in the other fit fields.
      const report = await options.fitCheck!();
      if (report) steps = withFitResult(steps, report);
      continue;
    }
    answers[step.field] = result.value;
    index++;
  }
  return answers;
}

async function askChoice(
  step: ChoiceStep,
  title: string,
  previous: unknown,
  typed: Map<string, string>,
  canGoBack: boolean,
): Promise<StepResult<unknown | typeof FIT>> {
  for (;;) {
    // A choice with a parameter matches a previous answer by its kind or policy.
    const again =
      step.choices.find((choice) => same(choice.value, previous)) ??
      step.choices.find(
        (choice) =>
          choice.parameter &&
          previous &&
          typeof previous === 'object' &&
          same(Object.values(choice.value as object)[0], Object.values(previous)[0]),
      );
    const picked = await pick(step, title, again, canGoBack);
    if (picked === undefined || picked === 'back') return picked;
    if (picked.value === FIT) return { value: FIT };
    const choice = picked.value;
    if (!choice.parameter) return { value: choice.value };
    const key = `${step.field}:${choice.label}`;
    const parameter = await input({
      title: `${title}: ${choice.label}`,
      prompt: choice.parameter.prompt,
      value: typed.get(key) ?? choice.parameter.value,
      placeholder: choice.parameter.placeholder,
      parse: choice.parameter.parse,
      canGoBack: true,
    });
    if (parameter === undefined) return undefined;
    if (parameter === 'back') continue; // back to the choice
    typed.set(key, parameter.value.text);
    return { value: parameter.value.value };
  }
}

async function askText(
  step: TextStep,
  title: string,
  previous: unknown,
  canGoBack: boolean,
): Promise<StepResult<unknown>> {
  const value = Array.isArray(previous) ? previous.join(', ') : step.value;
  const answer = await input({
    title,
    prompt: `${sentence(step.reason)}. ${step.prompt}; Enter keeps them.`,
    value,
    parse: step.parse,
    canGoBack,
  });
  return answer === undefined || answer === 'back' ? answer : { value: answer.value.value };
}

/** `choice` is absent on the item that asks the user to choose (nothing is pre-selected): Enter on it does nothing. */
type ChoiceItem = vscode.QuickPickItem & { choice?: CardChoice | typeof FIT };

/** The first item when nothing may be assumed: the quick pick always highlights an item, and this one cannot be accepted. */
export const CHOOSE_LABEL = '$(question) Choose one of the following';

function placeholder(step: ChoiceStep & { plainPlaceholder?: boolean }): string {
  if (step.plainPlaceholder) return step.reason;
  const images = step.note ? `Images: ${step.note}. ` : '';
  if (step.fitCheck === 'offer')
    return `${images}${sentence(step.reason)}. Enter runs a fit check on the images and their masks (recommended).`;
  const preselected = step.preselected === undefined ? undefined : step.choices[step.preselected];
  const enter = !preselected
    ? 'Nothing follows from the images: choose one.'
    : /^assumed · /.test(preselected.description ?? '')
      ? `Enter keeps the assumed ${preselected.label}.`
      : `Enter keeps ${preselected.label}.`;
  return `${images}${sentence(step.reason)}. ${enter}`;
}

function pick(
  step: ChoiceStep,
  title: string,
  active: CardChoice | undefined,
  canGoBack: boolean,
): Promise<StepResult<CardChoice | typeof FIT>> {
  const quickPick = vscode.window.createQuickPick<ChoiceItem>();
  const items: ChoiceItem[] = step.choices.map((choice) => ({
    label: choice.label,
    description: choice.description,
    detail: choice.detail,
    choice,
  }));
  const fitItem: ChoiceItem = {
    label: FIT_CHECK_LABEL,
    description: 'score every orientation × normalisation at identity against the masks',
    alwaysShow: true,
    choice: FIT,
  };
  if (step.fitCheck === 'offer') items.unshift(fitItem);
  else if (step.preselected === undefined && !active)
    items.unshift({ label: CHOOSE_LABEL, description: 'no choice is assumed', alwaysShow: true });
  quickPick.title = title;
  quickPick.placeholder = placeholder(step);
  quickPick.items = items;
  quickPick.matchOnDescription = true;
  quickPick.ignoreFocusOut = true;
  if (canGoBack) quickPick.buttons = [vscode.QuickInputButtons.Back];
  const activeItem =
    step.fitCheck === 'offer' && !active
      ? fitItem
      : items.find(
          (item) =>
            item.choice !== undefined &&
            item.choice === (active ?? (step.preselected === undefined ? undefined : step.choices[step.preselected])),
        );
  if (activeItem) quickPick.activeItems = [activeItem];
  return run(
    quickPick,
    () => {},
    (done) => {
      quickPick.onDidAccept(() => {
        const item = quickPick.selectedItems[0] ?? quickPick.activeItems[0];
        if (item?.choice) done({ value: item.choice });
      });
    },
  );
}

interface InputOptions {
  title: string;
  prompt: string;
  value: string;
  placeholder?: string;
  parse(text: string): Parsed;
  canGoBack: boolean;
}

function input(options: InputOptions): Promise<StepResult<{ value: unknown; text: string }>> {
  const box = vscode.window.createInputBox();
  box.title = options.title;
  box.prompt = options.prompt;
  box.value = options.value;
  box.placeholder = options.placeholder;
  box.ignoreFocusOut = true;
  if (options.canGoBack) box.buttons = [vscode.QuickInputButtons.Back];
  const validate = () => {
    const parsed = options.parse(box.value);
    box.validationMessage = 'error' in parsed ? parsed.error : undefined;
    return parsed;
  };
  return run(box, validate, (done) => {
    box.onDidChangeValue(validate);
    box.onDidAccept(() => {
      const parsed = validate();
      if ('value' in parsed) done({ value: { value: parsed.value, text: box.value } });
    });
  });
}

/** Shows a quick input until it settles: an answer, Back, or hidden (Escape, focus elsewhere with ignoreFocusOut off). */
function run<T>(
  quickInput: vscode.QuickPick<ChoiceItem> | vscode.InputBox,
  revalidate: () => void,
  wire: (done: (result: { value: T }) => void) => void,
): Promise<StepResult<T>> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: StepResult<T>) => {
      if (settled) return;
      settled = true;
      if (openStep?.input === quickInput) openStep = undefined;
      resolve(result);
      quickInput.dispose();
    };
    wire(settle);
    quickInput.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && settle('back'));
    quickInput.onDidHide(() => settle(undefined));
    openStep = { input: quickInput as vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox, revalidate };
    quickInput.show();
  });
}

export interface OneChoice<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
}

/** A single quick pick outside the card steps (e.g. "Keep or review the card"), first item active; undefined on Escape. */
export async function askOne<T>(title: string, placeholder: string, choices: OneChoice<T>[]): Promise<T | undefined> {
  const step: ChoiceStep & { plainPlaceholder: true } = {
    kind: 'choice',
    field: 'normalization',
    subject: title,
    reason: placeholder,
    preselected: 0,
    plainPlaceholder: true,
    choices: choices.map((choice, index) => ({
      label: choice.label,
      description: choice.description,
      detail: choice.detail,
      value: index,
    })),
  };
  const result = await pick(step, title, step.choices[0], false);
  return result === undefined || result === 'back' || result.value === FIT
    ? undefined
    : choices[result.value.value as number].value;
}
