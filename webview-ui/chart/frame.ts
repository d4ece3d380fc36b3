/** What every layer of a chart is drawn with: the options, the plot's frame and axes, class colour slots. */
import type { ChartData, ChartPoint } from '../data/chart-data';
import { classColor } from '../data/palette';
import type { PerInputMode } from '../data/view-state';
import type { XAxis, YAxis } from './scales';

export interface ChartOptions {
  width: number;
  classes: readonly string[];
  hidden: ReadonlySet<string>;
  /** Under a centre line over several inputs: faint per-input lines, box plots per value, or neither. */
  perInput: PerInputMode;
  /** Short name of every view (model, run), index = ChartLine.view. */
  viewLabels: readonly string[];
  /** The run of every view (0 = the run shown), written on lines as data-run. */
  viewRuns?: readonly number[];
  /** Names of the inputs (the picked input's tooltip row). */
  inputLabels?: readonly string[];
  /** The value the overlay viewer shows (a marker on the chart). */
  selected?: number;
  /** Hovering (or the arrow keys on) the chart, or clicking it, selects the nearest sweep value. */
  onSelect?: (value: number) => void;
}

/** The plot area inside the margins, and its axes. */
export interface Frame {
  x: XAxis;
  y: YAxis;
  width: number;
  height: number;
  left: number;
  top: number;
}

export function slotClass(classIndex: number, classCount: number): string {
  return `c-${classColor(classIndex, classCount).slot}`;
}

export function plottable(data: ChartData, points: readonly ChartPoint[]): ChartPoint[] {
  return data.x.scale === 'log' ? points.filter((p) => p.x > 0) : [...points];
}
