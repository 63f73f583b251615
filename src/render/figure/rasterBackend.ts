// The figure as pixels: every item anti-aliased onto an RGBA canvas at a chosen DPI, then PNG.
import { OptionError } from '../../errors/OptionError.js';
import { createCanvas, type Canvas } from '../canvas.js';
import { flattenPath, type Path, rectPath, transformPath } from '../path.js';
import { encodePng } from '../png.js';
import { fillPolygons, strokePolygons } from '../raster/fillPolygons.js';
import { type Figure, type ImageItem, POINTS_PER_INCH } from './displayList.js';
import { textOutline } from './textOutline.js';

/** Hairlines stay at least this wide in pixels, so a 0.5 pt frame does not fade out at low DPI. */
const MIN_LINE_PX = 0.75;

/** Largest side in pixels: 20 000² RGBA is 1.6 GB, beyond what a figure should take. */
const MAX_SIDE_PX = 20_000;

/** Render the figure onto a canvas at `dpi` pixels per inch. */
export function rasteriseFigure(figure: Figure, dpi: number): Canvas {
  const scale = dpi / POINTS_PER_INCH;
  const sidePx = Math.max(figure.widthPt, figure.heightPt) * scale;
  if (sidePx > MAX_SIDE_PX) throw new OptionError('dpi', `at most ${Math.floor((MAX_SIDE_PX / sidePx) * dpi)} for this ${Math.round(sidePx / dpi)} in figure (${MAX_SIDE_PX} px a side)`, dpi);
  const canvas = createCanvas(Math.max(1, Math.round(figure.widthPt * scale)), Math.max(1, Math.round(figure.heightPt * scale)), figure.background);
  const fill = (path: Path, colour: readonly [number, number, number], opacity = 1) =>
    fillPolygons(canvas, flattenPath(transformPath(path, [scale, 0, 0, scale, 0, 0]), 0.05), colour, opacity);
  const stroke = (points: readonly number[], widthPt: number, colour: readonly [number, number, number], closed: boolean) =>
    fillPolygons(canvas, strokePolygons(points.map((v) => v * scale), Math.max(MIN_LINE_PX, widthPt * scale), closed), colour);
  for (const item of figure.items) {
    if (item.kind === 'rect') {
      if (item.fill !== undefined) fill(rectPath(item.x, item.y, item.width, item.height), item.fill);
      const { x, y, width: w, height: h } = item;
      if (item.stroke !== undefined) stroke([x, y, x + w, y, x + w, y + h, x, y + h], item.lineWidthPt ?? 0.5, item.stroke, true);
    } else if (item.kind === 'polyline') stroke(item.points, item.lineWidthPt, item.stroke, false);
    else if (item.kind === 'path') fill(item.path, item.fill, item.opacity);
    else if (item.kind === 'text') fill(textOutline(item), item.colour);
    else drawImage(canvas, item, scale);
  }
  return canvas;
}

/** The figure as a PNG file at `dpi`. */
export function figurePng(figure: Figure, dpi: number): Buffer {
  const canvas = rasteriseFigure(figure, dpi);
  return encodePng(canvas.width, canvas.height, canvas.rgba);
}

/**
 * Each pixel takes the image cell under its centre (nearest neighbour: cells stay sharp), weighted at the image's
 * edges by how much of the pixel the image covers, so its border is anti-aliased like every other shape.
 */
function drawImage(canvas: Canvas, image: ImageItem, scale: number): void {
  const [x0, y0, x1, y1] = [image.x * scale, image.y * scale, (image.x + image.width) * scale, (image.y + image.height) * scale];
  for (let py = Math.max(0, Math.floor(y0)); py < Math.min(canvas.height, Math.ceil(y1)); py++) {
    const coverY = Math.min(py + 1, y1) - Math.max(py, y0);
    const row = Math.min(image.rows - 1, Math.max(0, Math.floor(((py + 0.5 - y0) / (y1 - y0)) * image.rows)));
    for (let px = Math.max(0, Math.floor(x0)); px < Math.min(canvas.width, Math.ceil(x1)); px++) {
      const coverX = Math.min(px + 1, x1) - Math.max(px, x0);
      const column = Math.min(image.columns - 1, Math.max(0, Math.floor(((px + 0.5 - x0) / (x1 - x0)) * image.columns)));
      const o = 3 * (row * image.columns + column);
      canvas.blend(px, py, [image.rgb[o], image.rgb[o + 1], image.rgb[o + 2]], coverX * coverY);
    }
  }
}
