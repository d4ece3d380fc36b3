/**
 * What the user chose in the panel (metric, hidden classes, per-input lines). Saved with the
 * webview's setState so it survives the panel being hidden; a saved state from another run is
 * reconciled with this run's metrics and classes rather than trusted.
 */
import type { MetricName } from '../../src/engine/metrics/types';
import type { RunResults } from '../../src/engine/report/results';
import type { OverlayMode } from './overlay';
import { isBackgroundClass } from './palette';

export interface ViewState {
  metric: MetricName;
  hiddenClasses: string[];
  showInputs: boolean;
  /** Overlay viewer: labels filled or as contours, and their opacity (0…1). */
  overlayMode: OverlayMode;
  overlayOpacity: number;
}

export const DEFAULT_OVERLAY_OPACITY = 0.45;

export function defaultViewState(results: RunResults): ViewState {
  return {
    metric: results.metrics[0] ?? 'dice',
    hiddenClasses: results.classes.filter((_, i) => isBackgroundClass(i, results.classes.length)),
    showInputs: true,
    overlayMode: 'fill',
    overlayOpacity: DEFAULT_OVERLAY_OPACITY,
  };
}

export function reconcileViewState(results: RunResults, saved: unknown): ViewState {
  const state = defaultViewState(results);
  if (typeof saved !== 'object' || saved === null) return state;
  const s = saved as Partial<Record<keyof ViewState, unknown>>;
  if (typeof s.metric === 'string' && (results.metrics as string[]).includes(s.metric)) state.metric = s.metric as MetricName;
  if (Array.isArray(s.hiddenClasses)) state.hiddenClasses = results.classes.filter((name) => (s.hiddenClasses as unknown[]).includes(name));
  if (typeof s.showInputs === 'boolean') state.showInputs = s.showInputs;
  if (s.overlayMode === 'fill' || s.overlayMode === 'contour') state.overlayMode = s.overlayMode;
  if (typeof s.overlayOpacity === 'number' && s.overlayOpacity >= 0 && s.overlayOpacity <= 1) state.overlayOpacity = s.overlayOpacity;
  return state;
}

export function toggleClass(state: ViewState, className: string): ViewState {
  const hidden = state.hiddenClasses.includes(className) ? state.hiddenClasses.filter((name) => name !== className) : [...state.hiddenClasses, className];
  return { ...state, hiddenClasses: hidden };
}
