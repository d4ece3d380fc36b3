/**
 * Positions on the chart: d3-scale for the numbers (linear, log, nice ticks), plus an evenly
 * spaced categorical axis for transforms like dihedral whose values name operations.
 */
import { scaleLinear, scaleLog } from 'd3-scale';
import type { ChartData } from '../data/chart-data';
import { formatParameter, labelledLogTicks } from '../data/format';

export interface XTick {
  value: number;
  /** Empty for an unlabelled (minor) tick. */
  label: string;
  /** Second line under the label (categorical axes). */
  detail?: string;
}

export interface XAxis {
  position(value: number): number;
  /** Half the distance between two categories (0 on numeric axes): widens bands around single values. */
  halfStep: number;
  ticks: XTick[];
  contains(value: number): boolean;
}

/** `padding` keeps the first and last values that far from the plot's edges (room for box plots). */
export function xAxis(data: ChartData, width: number, padding = 0): XAxis {
  const [lo, hi] = data.x.domain;
  const categories = data.x.categories;
  if (data.x.scale === 'categorical' && categories) {
    const scale = scaleLinear()
      .domain([-0.5, categories.length - 0.5])
      .range([0, width]);
    const indexOf = (value: number) => categories.findIndex((c) => c.value === value);
    return {
      position: (value) => scale(indexOf(value)),
      halfStep: width / categories.length / 2,
      ticks: categories.map((c) => ({ value: c.value, label: c.label, detail: c.detail })),
      contains: (value) => indexOf(value) >= 0,
    };
  }
  if (data.x.scale === 'log') {
    const scale = scaleLog()
      .domain(lo === hi ? [lo / 2, hi * 2] : [lo, hi])
      .range([padding, width - padding]);
    const ticks = scale.ticks();
    const labelled = labelledLogTicks(ticks);
    return {
      position: (value) => scale(value),
      halfStep: 0,
      ticks: ticks.map((t) => ({ value: t, label: labelled.has(t) ? formatParameter(t) : '' })),
      contains: (value) => value > 0 && value >= Math.min(lo, hi) && value <= Math.max(lo, hi),
    };
  }
  const scale = scaleLinear()
    .domain(lo === hi ? [lo - 1, hi + 1] : [lo, hi])
    .range([padding, width - padding]);
  const count = Math.max(2, Math.min(8, Math.floor(width / 70)));
  return {
    position: (value) => scale(value),
    halfStep: 0,
    ticks: scale.ticks(count).map((t) => ({ value: t, label: formatParameter(t) })),
    contains: (value) => value >= Math.min(lo, hi) && value <= Math.max(lo, hi),
  };
}

export interface YAxis {
  position(value: number): number;
  ticks: number[];
}

export function yAxis(data: ChartData, height: number): YAxis {
  const scale = scaleLinear().domain(data.yDomain).range([height, 0]);
  if (data.yUnit !== '') scale.nice(5);
  return { position: (value) => scale(value), ticks: scale.ticks(5) };
}
