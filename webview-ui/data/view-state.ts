/**
 * What the user chose in the panel (metric, hidden classes, how inputs are drawn, the model and
 * group in focus, the input picked in the input list, overlay settings). Saved with the
 * webview's setState so it survives the panel being hidden; a saved state from another run is
 * reconciled with this run's metrics, classes, models, groups and inputs rather than trusted.
 */
import type { MetricName } from '../../src/engine/metrics/types';
import type { RunResults } from '../../src/engine/report/results';
import { groupsOf, inputsWithRows } from './dataset';
import type { OverlayMode } from './overlay';
import { isBackgroundClass } from './palette';
import type { SpreadMode } from './spread';

/** How single inputs are drawn under a centre line over several inputs. */
export type PerInputMode = 'lines' | 'boxes' | 'none';

export const PER_INPUT_LABELS: Record<PerInputMode, string> = { lines: 'Lines', boxes: 'Box plots', none: 'None' };

export interface ViewState {
  metric: MetricName;
  hiddenClasses: string[];
  /** Faint per-input lines, box plots per value, or neither. */
  perInput: PerInputMode;
  /** The band around the centre line: mean ± SD or median + IQR. */
  spread: SpreadMode;
  /** The model whose band, inputs, tolerance and ranking are shown (the others add their centre line). */
  model: number;
  /** Only the inputs of this group; null for all. */
  group: string | null;
  /** The input picked in the input list: highlighted on every chart and shown in the viewers. */
  focusInput: number | null;
  /** Overlay viewer: labels filled or as contours, and their opacity (0…1). */
  overlayMode: OverlayMode;
  overlayOpacity: number;
}

export const DEFAULT_OVERLAY_OPACITY = 0.45;

export function defaultViewState(results: RunResults): ViewState {
  return {
    metric: results.metrics[0] ?? 'dice',
    hiddenClasses: results.classes.filter((_, i) => isBackgroundClass(i, results.classes.length)),
    perInput: 'lines',
    spread: 'sd',
    model: 0,
    group: null,
    focusInput: null,
    overlayMode: 'fill',
    overlayOpacity: DEFAULT_OVERLAY_OPACITY,
  };
}

export function reconcileViewState(results: RunResults, saved: unknown): ViewState {
  const state = defaultViewState(results);
  if (typeof saved !== 'object' || saved === null) return state;
  const s = saved as Partial<Record<keyof ViewState | 'showInputs', unknown>>;
  if (typeof s.metric === 'string' && (results.metrics as string[]).includes(s.metric))
    state.metric = s.metric as MetricName;
  if (Array.isArray(s.hiddenClasses))
    state.hiddenClasses = results.classes.filter((name) => (s.hiddenClasses as unknown[]).includes(name));
  if (s.perInput === 'lines' || s.perInput === 'boxes' || s.perInput === 'none') state.perInput = s.perInput;
  // Saved before box plots existed: a checkbox for the per-input lines.
  else if (s.showInputs === false) state.perInput = 'none';
  if (s.spread === 'sd' || s.spread === 'iqr') state.spread = s.spread;
  if (typeof s.model === 'number' && Number.isInteger(s.model) && s.model >= 0 && s.model < results.models.length)
    state.model = s.model;
  if (typeof s.group === 'string' && groupsOf(results).includes(s.group)) state.group = s.group;
  if (typeof s.focusInput === 'number' && inputsWithRows(results).includes(s.focusInput))
    state.focusInput = s.focusInput;
  if (s.overlayMode === 'fill' || s.overlayMode === 'contour') state.overlayMode = s.overlayMode;
  if (typeof s.overlayOpacity === 'number' && s.overlayOpacity >= 0 && s.overlayOpacity <= 1)
    state.overlayOpacity = s.overlayOpacity;
  return state;
}

export function toggleClass(state: ViewState, className: string): ViewState {
  const hidden = state.hiddenClasses.includes(className)
    ? state.hiddenClasses.filter((name) => name !== className)
    : [...state.hiddenClasses, className];
  return { ...state, hiddenClasses: hidden };
}

/** Picking the input already picked clears the pick. */
export function toggleFocusInput(state: ViewState, input: number): ViewState {
  return { ...state, focusInput: state.focusInput === input ? null : input };
}
