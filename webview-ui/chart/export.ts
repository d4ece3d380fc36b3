/**
 * A chart as a standalone file. The live SVG takes its colours from the page's stylesheet, so
 * the exported copy gets the computed colours written in as presentation attributes (and a
 * background), which keeps it correct outside the page. PNG draws that SVG onto a canvas.
 */

const STYLE_PROPERTIES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'visibility',
] as const;

export interface ChartCaption {
  title: string;
  /** Legend entries with their resolved colours, and the page's text colour. */
  entries: Array<{ label: string; color: string; dash?: string }>;
  foreground: string;
  fontFamily: string;
}

const CAPTION_HEIGHT = 30;
const SVG_NS = 'http://www.w3.org/2000/svg';

function svgElement(tag: string, attributes: Record<string, string | number>, text?: string): SVGElement {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** Title and legend above the chart: an exported file has no page around it to explain the colours. */
function captionOf(caption: ChartCaption): SVGGElement {
  const g = svgElement('g', { 'font-family': caption.fontFamily, fill: caption.foreground }) as SVGGElement;
  g.append(svgElement('text', { x: 12, y: 19, 'font-size': 13, 'font-weight': 600 }, caption.title));
  let x = 12 + caption.title.length * 7.5 + 18;
  for (const entry of caption.entries) {
    g.append(
      svgElement('line', {
        x1: x,
        x2: x + 18,
        y1: 15,
        y2: 15,
        stroke: entry.color,
        'stroke-width': 2.5,
        ...(entry.dash ? { 'stroke-dasharray': entry.dash } : {}),
      }),
    );
    g.append(svgElement('text', { x: x + 23, y: 19, 'font-size': 11.5 }, entry.label));
    x += 23 + entry.label.length * 6.6 + 16;
  }
  return g;
}

/** The SVG source of `svg` with computed styles inlined and hover decorations removed. */
export function serializeChart(svg: SVGSVGElement, background: string, caption?: ChartCaption): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...svg.querySelectorAll('*')];
  const copies = [copy, ...copy.querySelectorAll('*')];
  originals.forEach((original, i) => {
    const computed = getComputedStyle(original);
    const target = copies[i];
    for (const property of STYLE_PROPERTIES) {
      const value = computed.getPropertyValue(property);
      if (value && value !== 'none' && value !== 'normal') target.setAttribute(property, value);
      else if (value === 'none' && (property === 'fill' || property === 'stroke'))
        target.setAttribute(property, 'none');
    }
    target.removeAttribute('class');
    target.removeAttribute('tabindex');
  });
  for (const transient of copy.querySelectorAll('[visibility="hidden"]')) transient.remove();
  const width = Number(svg.getAttribute('width') ?? 600);
  const chartHeight = Number(svg.getAttribute('height') ?? 280);
  const height = chartHeight + (caption ? CAPTION_HEIGHT : 0);
  if (caption) {
    // Shift the chart down under the caption.
    const body = svgElement('g', { transform: `translate(0,${CAPTION_HEIGHT})` });
    body.append(...copy.childNodes);
    copy.append(captionOf(caption), body);
  }
  copy.insertBefore(svgElement('rect', { width, height, fill: background }), copy.firstChild);
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  copy.setAttribute('viewBox', `0 0 ${width} ${height}`);
  copy.setAttribute('xmlns', SVG_NS);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`;
}

/** PNG bytes of an SVG source (drawn at `pixelRatio`× for crisp text). */
export async function svgToPng(svgSource: string, width: number, height: number, pixelRatio = 2): Promise<ArrayBuffer> {
  const image = new Image();
  const loaded = new Promise<void>((resolve, reject) => {
    image.onload = () => resolve();
    image.onerror = () => reject(new Error('the chart could not be drawn as an image'));
  });
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgSource)}`;
  await loaded;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * pixelRatio);
  canvas.height = Math.round(height * pixelRatio);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D canvas available');
  context.scale(pixelRatio, pixelRatio);
  context.drawImage(image, 0, 0, width, height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the canvas produced no PNG');
  return blob.arrayBuffer();
}
