/**
 * What the user chose in the panel (metric, hidden classes, per-input lines). Saved with the
 * webview's setState so it survives the panel being hidden; a saved state from another run is
 * reconciled with this run's metrics and classes rather than trusted.
 */
import type { MetricName } from '../../src/engine/metrics/types';
import type { RunResults } from '../../src/engine/report/results';
import { isBackgroundClass } from './palette';

export interface ViewState {
  metric: MetricName;
  hiddenClasses: string[];
  showInputs: boolean;
}

export function defaultViewState(results: RunResults): ViewState {
  return {
    metric: results.metrics[0] ?? 'dice',
    hiddenClasses: results.classes.filter((_, i) => isBackgroundClass(i, results.classes.length)),
    showInputs: true,
  };
}

export function reconcileViewState(results: RunResults, saved: unknown): ViewState {
  const state = defaultViewState(results);
  if (typeof saved !== 'object' || saved === null) return state;
  const s = saved as Partial<Record<keyof ViewState, unknown>>;
  if (typeof s.metric === 'string' && (results.metrics as string[]).includes(s.metric)) state.metric = s.metric as MetricName;
  if (Array.isArray(s.hiddenClasses)) state.hiddenClasses = results.classes.filter((name) => (s.hiddenClasses as unknown[]).includes(name));
  if (typeof s.showInputs === 'boolean') state.showInputs = s.showInputs;
  return state;
}

export function toggleClass(state: ViewState, className: string): ViewState {
  const hidden = state.hiddenClasses.includes(className) ? state.hiddenClasses.filter((name) => name !== className) : [...state.hiddenClasses, className];
  return { ...state, hiddenClasses: hidden };
}
