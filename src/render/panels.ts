// The heatmap's two kinds of panel: a [time × band] colour image and a 0…1 line plot, each with its frame.
import { YAMNET_FRONT_END } from '../types.js';
import type { Canvas, Rgb } from './canvas.js';
import { textHeight, textWidth } from './canvas.js';
import { AXIS, GRID, INK } from './axes.js';

/** Where a panel sits on the canvas. */
export interface PanelBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Cells without data (gaps, or frames where a class was not explained): light grey with a faint hatch. */
export function missingColour(x: number, y: number): Rgb {
  return (x + y) % 6 === 0 ? [200, 200, 200] : [228, 228, 228];
}

function frame(canvas: Canvas, { x, y, width, height }: PanelBox): void {
  canvas.hline(x - 1, x + width, y - 1, AXIS);
  canvas.hline(x - 1, x + width, y + height, AXIS);
  canvas.vline(x - 1, y - 1, y + height, AXIS);
  canvas.vline(x + width, y - 1, y + height, AXIS);
}

/**
 * Paint [columns × 64] values (column-major by time, lowest band first) as an image: band j fills rows
 * `bandPx` tall from the bottom; NaN cells get {@link missingColour}.
 */
export function drawBandImage(canvas: Canvas, box: PanelBox, values: Float32Array, bandPx: number, colourOf: (v: number) => Rgb): void {
  const bands = YAMNET_FRONT_END.melBands;
  const bottom = box.y + box.height;
  for (let c = 0; c < box.width; c++) {
    for (let j = 0; j < bands; j++) {
      const v = values[c * bands + j];
      for (let r = 0; r < bandPx; r++) {
        const y = bottom - (j + 1) * bandPx + r;
        canvas.setPixel(box.x + c, y, Number.isNaN(v) ? missingColour(box.x + c, y) : colourOf(v));
      }
    }
  }
  frame(canvas, box);
}

/** A line plot of one value in [0, 1] per column, the area under it shaded; NaN columns break the line. */
export function drawScorePlot(canvas: Canvas, box: PanelBox, scores: Float32Array, caption: string): void {
  const { x, y, width, height } = box;
  const yOf = (s: number): number => y + height - 1 - Math.round(Math.min(1, Math.max(0, s)) * (height - 1));
  for (const [s, label] of [
    [0, '0'],
    [0.5, '0.5'],
    [1, '1'],
  ] as const) {
    canvas.hline(x, x + width - 1, yOf(s), GRID);
    canvas.hline(x - 4, x - 1, yOf(s), AXIS);
    canvas.drawText(x - 6 - textWidth(label), Math.min(y + height - textHeight() + 2, Math.max(y - 2, yOf(s) - 5)), label, INK);
  }
  const line: Rgb = [30, 60, 140];
  const shade: Rgb = [200, 212, 238];
  for (let c = 0; c < width; c++) {
    if (Number.isNaN(scores[c])) {
      for (let yy = y; yy < y + height; yy++) canvas.setPixel(x + c, yy, missingColour(x + c, yy));
      continue;
    }
    canvas.vline(x + c, yOf(scores[c]) + 1, y + height - 1, shade);
  }
  for (let c = 0; c < width; c++) {
    if (Number.isNaN(scores[c])) continue;
    const previous = c > 0 && !Number.isNaN(scores[c - 1]) ? yOf(scores[c - 1]) : yOf(scores[c]);
    canvas.drawLine(x + c, previous, x + c, yOf(scores[c]), line);
  }
  frame(canvas, box);
  canvas.drawText(x + width + 8, y + Math.round(height / 2) - 5, caption, AXIS);
}
