/** A chart's hover and arrow keys: a guide at the nearest sweep value and a tooltip with every shown line's value there. */
import type { ChartData, ChartLine, ChartPoint } from '../data/chart-data';
import { formatMetric, formatParameter } from '../data/format';
import { h, s } from '../ui/dom';
import { plottable, slotClass, type ChartOptions, type Frame } from './frame';

/** The band around a centre value in a tooltip: "± 0.051 (n=4)" or "[0.780 – 0.840] (n=4)". */
function spreadText(data: ChartData, p: ChartPoint): string {
  if (p.n === undefined || data.spread === null) return '';
  const n = `(n=${p.n})`;
  if (p.low === null || p.low === undefined || p.high === null || p.high === undefined) return n;
  if (data.spread === 'sd') return `± ${formatMetric((p.high - p.low) / 2, data.yUnit)} ${n}`;
  return `[${formatMetric(p.low, data.yUnit)} – ${formatMetric(p.high, data.yUnit)}] ${n}`;
}

/** Hover and arrow keys: a guide at the nearest sweep value and a tooltip with every shown line's value there. */
export function attachHover(
  root: HTMLElement,
  svg: SVGSVGElement,
  plot: SVGGElement,
  frame: Frame,
  data: ChartData,
  lines: readonly ChartLine[],
  options: ChartOptions,
): void {
  const main = lines.filter((l) => l.role !== 'detail');
  const xs = [...new Set(main.flatMap((l) => plottable(data, l.points).map((p) => p.x)))].sort((a, b) => a - b);
  if (xs.length === 0) return;
  const guide = s('line', { class: 'guide', y1: 0, y2: frame.height, visibility: 'hidden' });
  const marks = s('g', { class: 'hover-marks' });
  plot.append(guide, marks);
  const tooltip = h('div', { class: 'tooltip', role: 'status', hidden: true });
  root.append(tooltip);
  let current = -1;

  const show = (index: number) => {
    current = Math.max(0, Math.min(xs.length - 1, index));
    const value = xs[current];
    const x = frame.x.position(value);
    guide.setAttribute('x1', String(x));
    guide.setAttribute('x2', String(x));
    guide.setAttribute('visibility', 'visible');
    marks.replaceChildren();
    const category = data.x.categories?.find((c) => c.value === value);
    const heading = category
      ? `${category.label} · ${category.detail}`
      : `${data.transform} = ${formatParameter(value)}${data.x.unit && data.x.unit !== '°' ? ' ' : ''}${data.x.unit}`;
    const rows: HTMLElement[] = [];
    for (const line of main) {
      const p = line.points.find((q) => q.x === value);
      if (!p) continue;
      const slot = slotClass(line.classIndex, options.classes.length);
      if (p.y !== null)
        marks.append(s('circle', { class: `hover-dot ${slot}`, cx: x, cy: frame.y.position(p.y), r: 4.5 }));
      const whose =
        line.role === 'focus'
          ? (options.inputLabels?.[line.input as number] ?? `input ${String(line.input)}`)
          : options.viewLabels.length > 1
            ? options.viewLabels[line.view]
            : '';
      const who = whose ? `${line.className} · ${whose}` : line.className;
      const swatch = `swatch ${slot}${line.view !== data.view ? ' dashed' : ''}${line.role === 'focus' ? ' focus' : ''}`;
      rows.push(
        h(
          'div',
          { class: 'tooltip-row' },
          h('span', { class: swatch }),
          h('span', { class: 'tooltip-name' }, who),
          h('span', { class: 'tooltip-value' }, formatMetric(p.raw, data.yUnit)),
          line.role === 'main' && line.view === data.view
            ? h('span', { class: 'tooltip-spread' }, spreadText(data, p))
            : null,
        ),
      );
    }
    tooltip.replaceChildren(h('div', { class: 'tooltip-heading' }, heading), ...rows);
    tooltip.hidden = false;
    const scale = svg.getBoundingClientRect().width / Number(svg.getAttribute('width'));
    const px = (frame.left + x) * scale;
    // Beside the guide, on the side with more room, and never past the card's edges.
    const flip = px > root.clientWidth / 2;
    const width = tooltip.offsetWidth;
    const left = flip ? Math.max(0, px - 12 - width) : Math.max(0, Math.min(px + 12, root.clientWidth - width));
    tooltip.style.left = `${left}px`;
    tooltip.style.top = `${frame.top * scale}px`;
    options.onSelect?.(value);
  };
  const hide = () => {
    current = -1;
    guide.setAttribute('visibility', 'hidden');
    marks.replaceChildren();
    tooltip.hidden = true;
  };
  const nearest = (px: number) => {
    let best = 0;
    for (let i = 1; i < xs.length; i++)
      if (Math.abs(frame.x.position(xs[i]) - px) < Math.abs(frame.x.position(xs[best]) - px)) best = i;
    return best;
  };
  svg.addEventListener('pointermove', (event) => {
    const box = svg.getBoundingClientRect();
    const scale = Number(svg.getAttribute('width')) / box.width;
    show(nearest((event.clientX - box.left) * scale - frame.left));
  });
  svg.addEventListener('click', (event) => {
    const box = svg.getBoundingClientRect();
    const scale = Number(svg.getAttribute('width')) / box.width;
    options.onSelect?.(xs[nearest((event.clientX - box.left) * scale - frame.left)]);
  });
  svg.addEventListener('pointerleave', hide);
  svg.addEventListener('blur', hide);
  svg.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      show(current < 0 ? 0 : current + (event.key === 'ArrowRight' ? 1 : -1));
      event.preventDefault();
    } else if (event.key === 'Home' || event.key === 'End') {
      show(event.key === 'Home' ? 0 : xs.length - 1);
      event.preventDefault();
    } else if (event.key === 'Escape') {
      hide();
    }
  });
}
