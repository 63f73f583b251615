// The figure as a one-page PDF: page size from the figure in points, text as filled glyph outlines, images as RGB XObjects.
import type { Path } from '../path.js';
import type { Figure, ImageItem, Rgb } from './displayList.js';
import { type PdfObject, pdfTextString, writePdf } from './pdfFile.js';
import { num } from './svgBackend.js';
import { textOutline } from './textOutline.js';

const fill = ([r, g, b]: Rgb) => `${num(r / 255)} ${num(g / 255)} ${num(b / 255)} rg`;
const strokeColour = ([r, g, b]: Rgb) => `${num(r / 255)} ${num(g / 255)} ${num(b / 255)} RG`;

/** Path operators: quadratics become cubics with control points 2/3 of the way to the quadratic's control point. */
export function pathOperators(path: Path): string {
  const out: string[] = [];
  let [x0, y0] = [0, 0];
  for (const p of path) {
    if (p.op === 'Z') out.push('h');
    else if (p.op === 'M' || p.op === 'L') out.push(`${num(p.x)} ${num(p.y)} ${p.op === 'M' ? 'm' : 'l'}`);
    else if (p.op === 'Q') {
      const c1 = [x0 + (2 / 3) * (p.cx - x0), y0 + (2 / 3) * (p.cy - y0)];
      const c2 = [p.x + (2 / 3) * (p.cx - p.x), p.y + (2 / 3) * (p.cy - p.y)];
      out.push(`${num(c1[0])} ${num(c1[1])} ${num(c2[0])} ${num(c2[1])} ${num(p.x)} ${num(p.y)} c`);
    }
    if (p.op !== 'Z') [x0, y0] = [p.x, p.y];
  }
  return out.join('\n');
}

/** The figure as a PDF file; `title` goes into the document information. */
export function figurePdf(figure: Figure, title = ''): Buffer {
  const images: ImageItem[] = [];
  const opacities: number[] = [];
  // y down like the figure: flip the page once, so every item keeps its coordinates.
  const ops: string[] = [`1 0 0 -1 0 ${num(figure.heightPt)} cm`, fill(figure.background), `0 0 ${num(figure.widthPt)} ${num(figure.heightPt)} re f`, '1 j'];
  for (const item of figure.items) {
    if (item.kind === 'rect') {
      const box = `${num(item.x)} ${num(item.y)} ${num(item.width)} ${num(item.height)} re`;
      if (item.fill !== undefined) ops.push(fill(item.fill), `${box} f`);
      if (item.stroke !== undefined) ops.push(strokeColour(item.stroke), `${num(item.lineWidthPt ?? 0.5)} w`, `${box} S`);
    } else if (item.kind === 'polyline') {
      const p = item.points;
      const line = [`${num(p[0])} ${num(p[1])} m`];
      for (let i = 2; i < p.length; i += 2) line.push(`${num(p[i])} ${num(p[i + 1])} l`);
      ops.push(strokeColour(item.stroke), `${num(item.lineWidthPt)} w`, ...line, 'S');
    } else if (item.kind === 'path') {
      const opacity = item.opacity ?? 1;
      if (opacity < 1 && !opacities.includes(opacity)) opacities.push(opacity);
      const state = opacity < 1 ? [`/GS${opacities.indexOf(opacity)} gs`] : [];
      ops.push('q', ...state, fill(item.fill), pathOperators(item.path), 'f', 'Q');
    } else if (item.kind === 'text') ops.push(fill(item.colour), pathOperators(textOutline(item)), 'f');
    else {
      // The image's unit square, flipped back so its first row lands at the top.
      ops.push('q', `${num(item.width)} 0 0 ${num(-item.height)} ${num(item.x)} ${num(item.y + item.height)} cm`, `/Im${images.length} Do`, 'Q');
      images.push(item);
    }
  }
  // Objects: 1 catalog, 2 page tree, 3 page, 4 content, 5 info, then one per image and one per opacity.
  const imageObject = (i: number) => 6 + i;
  const stateObject = (i: number) => 6 + images.length + i;
  const xObjects = images.map((_, i) => `/Im${i} ${imageObject(i)} 0 R`).join(' ');
  const states = opacities.map((_, i) => `/GS${i} ${stateObject(i)} 0 R`).join(' ');
  const objects: PdfObject[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${num(figure.widthPt)} ${num(figure.heightPt)}] /Contents 4 0 R /Resources << /XObject << ${xObjects} >> /ExtGState << ${states} >> >> >>`,
    { dictionary: '', stream: Buffer.from(ops.join('\n'), 'latin1') },
    `<< /Title ${pdfTextString(title)} /Producer ${pdfTextString('blurig-audio')} >>`,
    ...images.map((image) => ({
      dictionary: `/Type /XObject /Subtype /Image /Width ${image.columns} /Height ${image.rows} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Interpolate ${image.pixelated ? 'false' : 'true'}`,
      stream: image.rgb,
    })),
    ...opacities.map((a) => `<< /Type /ExtGState /ca ${num(a)} >>`),
  ];
  return writePdf(objects, 1, 5);
}
