// The heatmap's kinds of panel as figure items: a [time × band] colour image, a 0…1 score strip, and event marks.
import { YAMNET_FRONT_END } from '../types.js';
import { AXIS, GRID } from './axes.js';
import type { Rgb } from './canvas.js';
import type { FigureItem, ImageItem } from './figure/displayList.js';

/** Where a panel sits on the figure, in points. */
export interface PanelBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Cells without data (gaps, or frames where a class was not explained). */
export const MISSING: Rgb = [222, 222, 222];
export const SCORE_LINE: Rgb = [30, 60, 140];
const SCORE_FILL: Rgb = [200, 212, 238];

/**
 * [columns × 64] values (column-major by time, lowest band first) as an image over `box`: band 0 in the bottom row;
 * NaN cells in {@link MISSING}. Pixelated, so each band and frame stays a sharp cell when enlarged.
 */
export function bandImage(box: PanelBox, values: Float32Array, columns: number, colourOf: (v: number) => Rgb): ImageItem {
  const bands = YAMNET_FRONT_END.melBands;
  const rgb = new Uint8Array(columns * bands * 3);
  for (let c = 0; c < columns; c++) {
    for (let j = 0; j < bands; j++) {
      const v = values[c * bands + j];
      rgb.set(Number.isNaN(v) ? MISSING : colourOf(v), 3 * ((bands - 1 - j) * columns + c));
    }
  }
  return { kind: 'image', ...box, columns, rows: bands, rgb, pixelated: true };
}

/** The panel's frame, drawn last so it sits over the image's edge. */
export function frame(box: PanelBox): FigureItem {
  return { kind: 'rect', ...box, stroke: AXIS, lineWidthPt: 0.5 };
}

/** A line plot of one value in [0, 1] per column, the area under it shaded; NaN columns are greyed and break the line. */
export function scoreStrip(box: PanelBox, scores: Float32Array): FigureItem[] {
  const { x, y, width, height } = box;
  const columnPt = width / scores.length;
  const yOf = (s: number) => y + height - Math.min(1, Math.max(0, s)) * height;
  const items: FigureItem[] = [{ kind: 'polyline', points: [x, yOf(0.5), x + width, yOf(0.5)], stroke: GRID, lineWidthPt: 0.5 }];
  let c = 0;
  while (c < scores.length) {
    const missing = Number.isNaN(scores[c]);
    let end = c;
    while (end < scores.length && Number.isNaN(scores[end]) === missing) end++;
    const [x0, x1] = [x + c * columnPt, x + end * columnPt];
    if (missing) items.push({ kind: 'rect', x: x0, y, width: x1 - x0, height, fill: MISSING });
    else {
      // A step per column: the score holds over the column's frames.
      const points: number[] = [];
      for (let k = c; k < end; k++) points.push(x + k * columnPt, yOf(scores[k]), x + (k + 1) * columnPt, yOf(scores[k]));
      const area = [{ op: 'M', x: x0, y: y + height } as const, ...pairs(points).map(([px, py]) => ({ op: 'L', x: px, y: py }) as const), { op: 'L', x: x1, y: y + height } as const, { op: 'Z' } as const];
      items.push({ kind: 'path', path: area, fill: SCORE_FILL }, { kind: 'polyline', points: simplify(points), stroke: SCORE_LINE, lineWidthPt: 0.75 });
    }
    c = end;
  }
  items.push(frame(box));
  return items;
}

function pairs(flat: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
  return out;
}

/** Drop middle points of horizontal runs, so a long steady score is a few points, not one per column. */
function simplify(flat: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const [prevY, nextY] = [flat[i - 1], flat[i + 3]];
    if (i > 0 && i + 2 < flat.length && prevY === flat[i + 1] && nextY === flat[i + 1]) continue;
    out.push(flat[i], flat[i + 1]);
  }
  return out;
}

/** A detection under a panel: its event span in grey, its evidence in black, clipped to the panel's time range. */
export function eventMarks(bar: PanelBox, xOf: (t: number) => number, span: { startSec: number; endSec: number }, evidence: { startSec: number; endSec: number } | null): FigureItem[] {
  const items: FigureItem[] = [];
  const mark = (from: number, to: number, fill: Rgb) => {
    const [x0, x1] = [Math.max(bar.x, xOf(from)), Math.min(bar.x + bar.width, xOf(to))];
    if (x1 > x0) items.push({ kind: 'rect', x: x0, y: bar.y, width: x1 - x0, height: bar.height, fill });
  };
  mark(span.startSec, span.endSec, EVENT);
  if (evidence !== null) mark(evidence.startSec, evidence.endSec, EVIDENCE);
  return items;
}

export const EVENT: Rgb = [170, 170, 170];
export const EVIDENCE: Rgb = [20, 20, 20];
