/**
 * Draws one card's chart as SVG. Colours are never written into the SVG: elements carry classes
 * (`c-<slot>` for the class colour, `grid`, `band`…) and the stylesheet maps them to VS Code's
 * theme variables, so a theme change restyles the chart without redrawing it.
 * Layers, bottom to top: tolerance shading, grid, spread bands, box plots, per-input lines,
 * other models' and runs' lines, the centre lines, the picked input's line.
 */
import type { ChartBoxes, ChartData, ChartLine, ChartPoint } from '../data/chart-data';
import { dashFor } from '../data/compare';
import { formatMetric, formatParameter } from '../data/format';
import { sharedTolerance } from '../data/tolerance';
import { s } from '../ui/dom';
import { plottable, slotClass, type ChartOptions, type Frame } from './frame';
import { attachHover } from './hover';
import { polylinePath, round } from './path';
import { xAxis, yAxis, type XAxis, type YAxis } from './scales';

/** Moves a chart's selection marker without redrawing it (see setChartSelection). */
const selectionMovers = new WeakMap<SVGSVGElement, (value: number | undefined) => void>();

/** Marks `value` as the selected one on a chart drawn by renderChart. */
export function setChartSelection(svg: SVGSVGElement | undefined, value: number | undefined): void {
  if (svg) selectionMovers.get(svg)?.(value);
}

const HEIGHT = 280;
const STRIP = 5;
/** Space between the plot's top edge and the tolerance strips (clear of the top y label). */
const STRIP_GAP = 9;

function visibleLines(data: ChartData, options: ChartOptions): ChartLine[] {
  const shown = data.lines.filter(
    (l) => !options.hidden.has(l.className) && (l.role !== 'detail' || options.perInput === 'lines'),
  );
  // Faint lines first, other views next, the view in focus, then the picked input on top.
  const rank = (l: ChartLine) => (l.role === 'detail' ? 0 : l.role === 'focus' ? 3 : l.view !== data.view ? 1 : 2);
  return shown.sort((a, b) => rank(a) - rank(b));
}

/** y of a value, clamped to the plot (a band past 1 or an infinite whisker ends at the edge). */
function clampedY(frame: Frame, value: number): number {
  if (value === Infinity) return 0;
  if (value === -Infinity) return frame.height;
  return Math.max(0, Math.min(frame.height, frame.y.position(value)));
}

function drawGrid(frame: Frame, data: ChartData): SVGGElement {
  const g = s('g', { class: 'axes' });
  for (const t of frame.y.ticks) {
    const y = frame.y.position(t);
    g.append(s('line', { class: 'grid', x1: 0, x2: frame.width, y1: y, y2: y }));
    g.append(
      s(
        'text',
        { class: 'tick y-tick', x: -8, y, 'text-anchor': 'end', 'dominant-baseline': 'middle' },
        data.yUnit ? formatParameter(t) : t.toFixed(1),
      ),
    );
  }
  for (const t of frame.x.ticks) {
    const x = frame.x.position(t.value);
    g.append(
      s('line', { class: t.label ? 'grid grid-x' : 'grid grid-x minor', x1: x, x2: x, y1: 0, y2: frame.height }),
    );
    if (!t.label) continue;
    g.append(s('text', { class: 'tick x-tick', x, y: frame.height + 16, 'text-anchor': 'middle' }, t.label));
    if (t.detail)
      g.append(s('text', { class: 'tick x-tick detail', x, y: frame.height + 30, 'text-anchor': 'middle' }, t.detail));
  }
  g.append(s('line', { class: 'axis-line', x1: 0, x2: frame.width, y1: frame.height, y2: frame.height }));
  const labelY = frame.height + (data.x.categories ? 46 : 34);
  g.append(s('text', { class: 'axis-label', x: frame.width / 2, y: labelY, 'text-anchor': 'middle' }, data.x.label));
  const yLabel = data.yUnit ? `${data.metricLabel} (${data.yUnit})` : data.metricLabel;
  g.append(
    s(
      'text',
      { class: 'axis-label', transform: `translate(${-40},${frame.height / 2}) rotate(-90)`, 'text-anchor': 'middle' },
      yLabel,
    ),
  );
  return g;
}

/** x extent of an interval of parameter values, at least a few pixels wide so single values show. */
function span(frame: Frame, [lo, hi]: [number, number]): { x: number; width: number } {
  // A descending sweep's axis runs high to low: the interval's left edge is whichever end is left.
  const [left, right] = [frame.x.position(lo), frame.x.position(hi)].sort((p, q) => p - q);
  const a = left - frame.x.halfStep;
  const b = right + frame.x.halfStep;
  const width = Math.max(3, b - a);
  return { x: Math.min(a, b) - (width > b - a ? (width - (b - a)) / 2 : 0), width };
}

function drawTolerance(frame: Frame, data: ChartData, options: ChartOptions): SVGGElement {
  const g = s('g', { class: 'tolerance' });
  const shownClasses = new Set(data.tolerance.map((b) => b.className).filter((name) => !options.hidden.has(name)));
  const shared = sharedTolerance(data.tolerance, shownClasses);
  if (shared) {
    const { x, width } = span(frame, shared);
    const leftOut = data.tolerance
      .filter((b) => shownClasses.has(b.className) && b.failsAtBaseline !== null)
      .map((b) => b.className);
    const except = leftOut.length > 0 ? ` (not ${leftOut.join(', ')}: failing at baseline)` : '';
    g.append(
      s(
        'rect',
        { class: 'band', x, width, y: 0, height: frame.height },
        s(
          'title',
          {},
          `every shown class tolerated${except}: ${formatParameter(shared[0])} … ${formatParameter(shared[1])}`,
        ),
      ),
    );
  }
  // One thin strip per shown class above the plot: its own tolerance interval.
  const strips = data.tolerance.filter((b) => shownClasses.has(b.className));
  if (strips.length > 0) {
    const middle = -(strips.length * (STRIP + 2)) / 2 - STRIP_GAP;
    g.append(
      s(
        'text',
        { class: 'strip-label', x: -8, y: middle, 'text-anchor': 'end', 'dominant-baseline': 'middle' },
        'tolerated',
      ),
    );
  }
  strips.forEach((band, i) => {
    const y = -(strips.length - i) * (STRIP + 2) - STRIP_GAP + 2;
    const cls = `strip ${slotClass(band.classIndex, options.classes.length)}`;
    if (band.interval) {
      const { x, width } = span(frame, band.interval);
      const title = `${band.className}: tolerated ${formatParameter(band.interval[0])} … ${formatParameter(band.interval[1])}${band.nauc !== null ? `, nAUC ${band.nauc.toFixed(3)}` : ''}`;
      g.append(
        s(
          'rect',
          { class: cls, 'data-class': band.className, x, width, y, height: STRIP, rx: 1.5 },
          s('title', {}, title),
        ),
      );
    }
  });
  return g;
}

function drawIdentity(frame: Frame, data: ChartData): SVGGElement | null {
  if (data.identity === null || !frame.x.contains(data.identity)) return null;
  const x = frame.x.position(data.identity);
  return s(
    'g',
    { class: 'identity' },
    s('line', { class: 'identity-line', x1: x, x2: x, y1: 0, y2: frame.height }),
    s('text', { class: 'identity-label', x: x + 4, y: frame.height - 6 }, 'identity'),
  );
}

/** The marker of the value shown by the overlay viewer; hidden until a value is selected. */
function drawSelection(svg: SVGSVGElement, frame: Frame): SVGGElement {
  const line = s('line', { class: 'selected-line', y1: 0, y2: frame.height, visibility: 'hidden' });
  const g = s('g', { class: 'selection' }, line);
  selectionMovers.set(svg, (value) => {
    const shown = value !== undefined && frame.x.contains(value);
    line.setAttribute('visibility', shown ? 'visible' : 'hidden');
    if (!shown) return;
    const x = frame.x.position(value);
    line.setAttribute('x1', String(x));
    line.setAttribute('x2', String(x));
    line.setAttribute('data-value', String(value));
  });
  return g;
}

/** The spread band of each shown class: one closed shape per run of values where both edges are defined. */
function drawBands(frame: Frame, data: ChartData, options: ChartOptions): SVGGElement {
  const g = s('g', { class: 'spread-bands' });
  if (data.spread === null) return g;
  for (const band of data.bands) {
    if (options.hidden.has(band.className)) continue;
    const points = data.x.scale === 'log' ? band.points.filter((p) => p.x > 0) : band.points;
    let d = '';
    let run: Array<{ x: number; lo: number; hi: number }> = [];
    const flush = () => {
      if (run.length > 1) {
        const upper = run
          .map((p, i) => `${i === 0 ? 'M' : 'L'}${round(frame.x.position(p.x))},${round(clampedY(frame, p.hi))}`)
          .join('');
        const lower = [...run]
          .reverse()
          .map((p) => `L${round(frame.x.position(p.x))},${round(clampedY(frame, p.lo))}`)
          .join('');
        d += `${upper}${lower}Z`;
      }
      run = [];
    };
    for (const p of points) {
      if (p.lo === null || p.hi === null || Number.isNaN(p.lo) || Number.isNaN(p.hi)) flush();
      else run.push({ x: p.x, lo: p.lo, hi: p.hi });
    }
    flush();
    if (!d) continue;
    const title = `${band.className}: ${data.spread === 'sd' ? 'mean ± SD' : 'median and interquartile range (Q1–Q3)'} over ${data.inputCount} inputs`;
    g.append(
      s(
        'path',
        {
          class: `spread-band ${slotClass(band.classIndex, options.classes.length)}`,
          'data-class': band.className,
          'data-spread': data.spread,
          d,
        },
        s('title', {}, title),
      ),
    );
  }
  return g;
}

/** Pixels between the closest two values with boxes (sets the box width). */
function closestGap(frame: Frame, boxes: readonly ChartBoxes[]): number {
  const xs = [...new Set(boxes.flatMap((b) => b.points.map((p) => frame.x.position(p.x))))].sort((a, b) => a - b);
  let gap = frame.width / 4;
  for (let i = 1; i < xs.length; i++) gap = Math.min(gap, xs[i] - xs[i - 1]);
  return gap;
}

/** Box plots per value: median line, Q1–Q3 box, whiskers to min and max; shown classes side by side. */
function drawBoxes(frame: Frame, data: ChartData, options: ChartOptions): SVGGElement {
  const g = s('g', { class: 'boxes' });
  const shown = data.boxes
    .filter((b) => !options.hidden.has(b.className))
    .map((b) => ({ ...b, points: data.x.scale === 'log' ? b.points.filter((p) => p.x > 0) : b.points }));
  if (shown.length === 0) return g;
  const groupWidth = Math.min(closestGap(frame, shown) * 0.8, 14 * shown.length);
  const width = Math.max(2, groupWidth / shown.length);
  shown.forEach((boxes, k) => {
    const slot = slotClass(boxes.classIndex, options.classes.length);
    for (const p of boxes.points) {
      const cx = frame.x.position(p.x) + (k - (shown.length - 1) / 2) * width;
      const [top, bottom] = [clampedY(frame, p.q3), clampedY(frame, p.q1)];
      const title = `${boxes.className} at ${formatParameter(p.x)}: median ${formatMetric(p.median, data.yUnit)}, box Q1–Q3 ${formatMetric(p.q1, data.yUnit)} – ${formatMetric(p.q3, data.yUnit)}, whiskers min–max ${formatMetric(p.min, data.yUnit)} – ${formatMetric(p.max, data.yUnit)} (${p.n} inputs)`;
      g.append(
        s(
          'g',
          { class: `box ${slot}`, 'data-class': boxes.className, 'data-value': p.x },
          s('title', {}, title),
          s('line', {
            class: 'whisker',
            x1: round(cx),
            x2: round(cx),
            y1: round(clampedY(frame, p.max)),
            y2: round(clampedY(frame, p.min)),
          }),
          s('rect', {
            class: 'box-iqr',
            x: round(cx - width * 0.4),
            width: round(width * 0.8),
            y: round(top),
            height: round(Math.max(1, bottom - top)),
          }),
          s('line', {
            class: 'box-median',
            x1: round(cx - width * 0.4),
            x2: round(cx + width * 0.4),
            y1: round(clampedY(frame, p.median)),
            y2: round(clampedY(frame, p.median)),
          }),
        ),
      );
    }
  });
  return g;
}

function drawLines(frame: Frame, data: ChartData, lines: readonly ChartLine[], options: ChartOptions): SVGGElement {
  const g = s('g', { class: 'lines' });
  const path = (points: readonly ChartPoint[]) =>
    polylinePath(
      points,
      (p) => p.y !== null,
      (p) => frame.x.position(p.x),
      (p) => frame.y.position(p.y!),
    );
  for (const line of lines) {
    const points = plottable(data, line.points);
    const slot = slotClass(line.classIndex, options.classes.length);
    const other = line.view !== data.view;
    const dash = line.role === 'detail' ? '' : dashFor(line.view);
    g.append(
      s('path', {
        class: `line ${line.role} ${slot}${other ? ' compared' : ''}`,
        d: path(points),
        'data-class': line.className,
        'data-view': line.view,
        'data-run': options.viewRuns?.[line.view] ?? line.view,
        'data-input': String(line.input),
        'data-points': points.filter((p) => p.y !== null).length,
        'stroke-dasharray': dash || null,
      }),
    );
    if (line.role !== 'main' || other) continue;
    for (const p of points) {
      if (p.y !== null) {
        g.append(
          s('circle', {
            class: `dot ${slot}${p.refined ? ' refined' : ''}`,
            'data-class': line.className,
            cx: frame.x.position(p.x),
            cy: frame.y.position(p.y),
            // Refined points (adaptive refinement) crowd around breaking points: smaller dots.
            r: p.refined ? 1.6 : 2.6,
          }),
        );
      } else if (p.raw !== null && !Number.isNaN(p.raw)) {
        // Off the scale (an infinite surface distance): a hollow marker on the edge.
        const edge = p.raw > 0 ? 0 : frame.height;
        g.append(
          s(
            'circle',
            {
              class: `dot off-scale ${slot}`,
              'data-class': line.className,
              cx: frame.x.position(p.x),
              cy: edge,
              r: 3.2,
            },
            s('title', {}, `${line.className}: ${formatMetric(p.raw, data.yUnit)}`),
          ),
        );
      }
    }
  }
  return g;
}

function describeChart(data: ChartData, options: ChartOptions): string {
  const shown = options.classes.filter((name) => !options.hidden.has(name));
  const spread = data.spread === null ? '' : data.spread === 'sd' ? 'mean ± SD' : 'median and interquartile range';
  const group = data.group !== null ? ` in group ${data.group}` : '';
  const pooled =
    data.spread !== null
      ? `, ${spread} of ${data.inputCount} inputs${group}${options.perInput === 'boxes' ? ' with box plots per value (median, Q1–Q3, min–max)' : ''}`
      : '';
  return `${data.metricLabel} versus ${data.x.label} for ${shown.join(', ') || 'no classes'}${pooled}. ${data.sentences.map((x) => x.text).join('. ')}`;
}

/** Replaces the content of `root` with the chart (SVG plus its tooltip layer). */
export function renderChart(root: HTMLElement, data: ChartData, options: ChartOptions): SVGSVGElement {
  const stripCount = data.tolerance.filter((b) => !options.hidden.has(b.className)).length;
  const margin = {
    top: 12 + stripCount * (STRIP + 2) + STRIP_GAP,
    right: 18,
    bottom: data.x.categories ? 58 : 44,
    left: 56,
  };
  const width = Math.max(280, Math.floor(options.width));
  const frame: Frame = {
    width: width - margin.left - margin.right,
    height: HEIGHT - margin.top - margin.bottom,
    left: margin.left,
    top: margin.top,
    x: null as unknown as XAxis,
    y: null as unknown as YAxis,
  };
  // Box plots sit side by side around each value: keep the outermost ones inside the plot.
  const boxClasses =
    options.perInput === 'boxes' && data.spread !== null
      ? data.boxes.filter((b) => !options.hidden.has(b.className)).length
      : 0;
  frame.x = xAxis(data, frame.width, boxClasses > 0 ? Math.min(24, 7 * boxClasses + 2) : 0);
  frame.y = yAxis(data, frame.height);

  const lines = visibleLines(data, options);
  const svg = s('svg', {
    class: 'chart',
    xmlns: 'http://www.w3.org/2000/svg',
    width,
    height: HEIGHT,
    viewBox: `0 0 ${width} ${HEIGHT}`,
    role: 'img',
    tabindex: 0,
    'aria-label': describeChart(data, options),
  });
  const plot = s('g', { class: 'plot', transform: `translate(${margin.left},${margin.top})` });
  plot.append(drawTolerance(frame, data, options), drawGrid(frame, data), drawBands(frame, data, options));
  if (options.perInput === 'boxes' && data.spread !== null) plot.append(drawBoxes(frame, data, options));
  const identity = drawIdentity(frame, data);
  if (identity) plot.append(identity);
  if (options.onSelect) plot.append(drawSelection(svg, frame));
  plot.append(drawLines(frame, data, lines, options));
  svg.append(plot);
  root.replaceChildren(svg);
  attachHover(root, svg, plot, frame, data, lines, options);
  setChartSelection(svg, options.selected);
  return svg;
}
