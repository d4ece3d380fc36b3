/** The toolbar's building blocks: a labelled select, an action button, the overlay style controls. */
import type { OverlayMode } from '../data/overlay';
import { h } from './dom';

/** A labelled vscode-single-select; `onPick` gets one of `options`' values. */
export function labelledSelect<T extends string>(
  id: string,
  label: string,
  options: ReadonlyArray<[T, string]>,
  current: T,
  onPick: (value: T) => void,
): HTMLElement[] {
  const select = h(
    'vscode-single-select',
    { id, 'aria-label': label },
    ...options.map(([value, text]) => h('vscode-option', { value, selected: value === current }, text)),
  );
  select.addEventListener('change', () => {
    const value = (select as HTMLElement & { value: string }).value as T;
    if (options.some(([v]) => v === value)) onPick(value);
  });
  return [h('label', { class: 'field', for: id }, label), select];
}

/** A secondary vscode-button running `action`; a failure goes to `onError` with the button's title. */
export function actionButton(
  label: string,
  title: string,
  id: string,
  action: () => Promise<void>,
  onError: (message: string) => void,
): HTMLElement {
  const button = h('vscode-button', { secondary: true, title, 'aria-label': title, id }, label);
  button.addEventListener('click', () => {
    if (button.hasAttribute('disabled')) return; // .click() from code still fires on a disabled one
    action().catch((error: unknown) =>
      onError(`${title} failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  });
  return button;
}

/** Shared by every viewer, like the legend: fill or contour, and the overlay opacity. */
export function overlayControls(
  current: { mode: OverlayMode; opacity: number },
  onChange: (change: { mode?: OverlayMode; opacity?: number }) => void,
): HTMLElement {
  const mode = h(
    'vscode-single-select',
    { id: 'overlay-mode', 'aria-label': 'Overlay style' },
    h('vscode-option', { value: 'fill', selected: current.mode === 'fill' }, 'Fill'),
    h('vscode-option', { value: 'contour', selected: current.mode === 'contour' }, 'Contour'),
  );
  mode.addEventListener('change', () => {
    const value = (mode as HTMLElement & { value: string }).value as OverlayMode;
    if (value === 'fill' || value === 'contour') onChange({ mode: value });
  });
  const opacity = h('input', {
    type: 'range',
    id: 'overlay-opacity',
    class: 'opacity-slider',
    min: 0,
    max: 100,
    step: 5,
    value: Math.round(current.opacity * 100),
    'aria-label': 'Overlay opacity',
    title: 'Overlay opacity',
  });
  opacity.addEventListener('input', () => onChange({ opacity: Number(opacity.value) / 100 }));
  return h(
    'span',
    { class: 'overlay-controls' },
    h('label', { class: 'field', for: 'overlay-mode' }, 'Overlay'),
    mode,
    h('label', { class: 'field', for: 'overlay-opacity' }, 'Opacity'),
    opacity,
  );
}
