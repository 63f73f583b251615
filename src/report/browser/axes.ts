// Axes and legends drawn on the views' canvases: time ticks, Hz ticks on the mel rows, a labelled colour bar, a row label.
import { formatTime, PLOT_RIGHT, type TimeRange, tickStepSec, timeToX } from './geometry.js';
import type { Rect } from './grid.js';

const INK = '#1d1d1f';
const MUTED = '#6b6b70';
export const FONT = '11px system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif';

/** Tick marks and labels of the visible range along the top of `rect`. */
export function drawTimeAxis(context: CanvasRenderingContext2D, range: TimeRange, rect: Rect): void {
  const step = tickStepSec(range.endSec - range.startSec, Math.max(2, rect.width / 90));
  context.font = FONT;
  context.fillStyle = MUTED;
  context.strokeStyle = MUTED;
  context.textBaseline = 'top';
  context.textAlign = 'center';
  context.beginPath();
  for (let t = Math.ceil(range.startSec / step - 1e-9) * step; t <= range.endSec + 1e-9; t += step) {
    const x = Math.round(timeToX(range, rect.x, rect.width, t)) + 0.5;
    context.moveTo(x, rect.y + rect.height - 4);
    context.lineTo(x, rect.y + rect.height);
    context.fillText(formatTime(t, step), x, rect.y);
  }
  context.stroke();
}

/** Hz ticks left of a band grid: the band centres nearest 250, 500, 1000, 2000, 4000 Hz, lowest band at the bottom. */
export function drawHzAxis(context: CanvasRenderingContext2D, bandCentresHz: readonly number[], rect: Rect): void {
  const rowHeight = rect.height / bandCentresHz.length;
  context.font = FONT;
  context.fillStyle = MUTED;
  context.textAlign = 'right';
  context.textBaseline = 'middle';
  for (const hz of [250, 500, 1000, 2000, 4000, 7000]) {
    let band = 0;
    bandCentresHz.forEach((c, j) => (Math.abs(c - hz) < Math.abs(bandCentresHz[band] - hz) ? (band = j) : 0));
    const y = Math.max(rect.y + 5, rect.y + rect.height - (band + 0.5) * rowHeight);
    context.fillRect(rect.x - 4, Math.round(y), 4, 1);
    context.fillText(hz >= 1000 ? `${hz / 1000} k` : `${hz}`, rect.x - 6, y);
  }
}

/** The row's name in the left gutter, top-aligned, wrapped onto a second line when long. */
export function drawLabel(context: CanvasRenderingContext2D, lines: readonly string[], y: number, colour = INK): void {
  context.font = `600 ${FONT}`;
  context.fillStyle = colour;
  context.textAlign = 'left';
  context.textBaseline = 'top';
  lines.forEach((line, i) => context.fillText(line, 2, y + i * 13, 84));
}

/** A vertical colour bar right of the plot with its top, middle and bottom values. */
export function drawColourBar(context: CanvasRenderingContext2D, widthCss: number, rect: Rect, lut: Uint32Array, codes: readonly [number, number], labels: readonly [string, string, string]): void {
  const x = widthCss - PLOT_RIGHT + 8;
  const [low, high] = codes;
  for (let y = 0; y < rect.height; y++) {
    const code = Math.round(high + ((low - high) * y) / Math.max(1, rect.height - 1));
    const c = lut[code & 255];
    context.fillStyle = `rgb(${c & 255},${(c >> 8) & 255},${(c >> 16) & 255})`;
    context.fillRect(x, rect.y + y, 10, 1);
  }
  context.font = FONT;
  context.fillStyle = MUTED;
  context.textAlign = 'left';
  context.textBaseline = 'middle';
  context.fillText(labels[0], x + 13, rect.y + 5);
  context.fillText(labels[1], x + 13, rect.y + rect.height / 2);
  context.fillText(labels[2], x + 13, rect.y + rect.height - 5);
}
