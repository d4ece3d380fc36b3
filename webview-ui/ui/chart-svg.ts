/** A card's chart as a standalone SVG file: the page's colours resolved, a title and a legend of the shown classes (and runs). */
import { METRICS, type MetricName } from '../../src/engine/metrics/types';
import type { RunResults } from '../../src/engine/report/results';
import { serializeChart, type ChartCaption } from '../chart/export';
import { dashFor, type ModelView } from '../data/compare';
import { classColor } from '../data/palette';

export interface ChartSvgInput {
  svg: SVGSVGElement;
  /** The chart's box on the page: its card gives the colours and font. */
  chartBox: HTMLElement;
  results: RunResults;
  seriesIndex: number;
  metric: MetricName;
  hiddenClasses: readonly string[];
  views: readonly ModelView[];
}

export function standaloneChartSvg({
  svg,
  chartBox,
  results,
  seriesIndex,
  metric,
  hiddenClasses,
  views,
}: ChartSvgInput): { source: string; width: number; height: number } {
  const cardStyle = getComputedStyle(chartBox.closest('.card') ?? document.body);
  const count = results.classes.length;
  const colorOf = (classIndex: number) =>
    getComputedStyle(document.body)
      .getPropertyValue(`--misas-class-${classColor(classIndex, count).slot}`)
      .trim();
  const shown = results.classes.map((name, i) => ({ name, i })).filter(({ name }) => !hiddenClasses.includes(name));
  const entries: ChartCaption['entries'] = shown.map(({ name, i }) => ({ label: name, color: colorOf(i) }));
  if (views.length > 1) {
    // Short names keep the caption on one line; the page's legend has the full names.
    views.forEach((view, i) => entries.push({ label: view.short, color: cardStyle.color, dash: dashFor(i) }));
  }
  const title = `${results.series[seriesIndex].name} · ${METRICS[metric].label}`;
  const source = serializeChart(svg, cardStyle.backgroundColor, {
    title,
    entries,
    foreground: cardStyle.color,
    fontFamily: cardStyle.fontFamily,
  });
  const size = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(source);
  return { source, width: Number(size?.[1] ?? 600), height: Number(size?.[2] ?? 310) };
}
