// The figure as SVG: shapes as elements, text as glyph-outline paths (no font needed), images as embedded PNGs.
import type { Path } from '../path.js';
import { encodePng } from '../png.js';
import type { Figure, ImageItem, Rgb } from './displayList.js';
import { textOutline } from './textOutline.js';

/** A coordinate with at most 3 decimals and no trailing zeros. */
export function num(v: number): string {
  return String(Math.round(v * 1000) / 1000 + 0); // + 0 turns −0 into 0
}

function colour([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);
}

/** SVG path data for a path (quadratics kept as Q). */
export function pathData(path: Path): string {
  return path
    .map((p) => (p.op === 'Z' ? 'Z' : p.op === 'Q' ? `Q${num(p.cx)} ${num(p.cy)} ${num(p.x)} ${num(p.y)}` : `${p.op}${num(p.x)} ${num(p.y)}`))
    .join('');
}

/** An image's RGB as a base64 PNG data URL. */
function imageUrl(image: ImageItem): string {
  const rgba = new Uint8Array(image.columns * image.rows * 4);
  for (let i = 0; i < image.columns * image.rows; i++) {
    rgba.set(image.rgb.subarray(3 * i, 3 * i + 3), 4 * i);
    rgba[4 * i + 3] = 255;
  }
  return `data:image/png;base64,${encodePng(image.columns, image.rows, rgba).toString('base64')}`;
}

/** The figure as an SVG document, sized in points. */
export function figureSvg(figure: Figure): string {
  const { widthPt: w, heightPt: h } = figure;
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" width="${num(w)}pt" height="${num(h)}pt" viewBox="0 0 ${num(w)} ${num(h)}">`,
    `<rect x="0" y="0" width="${num(w)}" height="${num(h)}" fill="${colour(figure.background)}"/>`,
  ];
  for (const item of figure.items) {
    if (item.kind === 'rect') {
      const fill = item.fill === undefined ? 'none' : colour(item.fill);
      const stroke = item.stroke === undefined ? '' : ` stroke="${colour(item.stroke)}" stroke-width="${num(item.lineWidthPt ?? 0.5)}"`;
      out.push(`<rect x="${num(item.x)}" y="${num(item.y)}" width="${num(item.width)}" height="${num(item.height)}" fill="${fill}"${stroke}/>`);
    } else if (item.kind === 'polyline') {
      const points = item.points.map(num).join(' ');
      out.push(`<polyline points="${points}" fill="none" stroke="${colour(item.stroke)}" stroke-width="${num(item.lineWidthPt)}" stroke-linejoin="round"/>`);
    } else if (item.kind === 'path') {
      const opacity = item.opacity === undefined ? '' : ` fill-opacity="${num(item.opacity)}"`;
      out.push(`<path d="${pathData(item.path)}" fill="${colour(item.fill)}"${opacity}/>`);
    } else if (item.kind === 'text') {
      // The text itself rides along as a label, for search and screen readers; what is drawn is the outline.
      out.push(`<path aria-label="${escapeXml(item.text)}" d="${pathData(textOutline(item))}" fill="${colour(item.colour)}"/>`);
    } else {
      const rendering = item.pixelated ? ' image-rendering="pixelated" style="image-rendering:crisp-edges;image-rendering:pixelated"' : '';
      out.push(`<image x="${num(item.x)}" y="${num(item.y)}" width="${num(item.width)}" height="${num(item.height)}" preserveAspectRatio="none"${rendering} xlink:href="${imageUrl(item)}"/>`);
    }
  }
  out.push('</svg>', '');
  return out.join('\n');
}
