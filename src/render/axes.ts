// Axes and legends of the heatmap: time ticks in seconds, frequency ticks in Hz on the mel scale, colour bars, numbers.
import { hertzToMel } from '../audio/melFilterbank.js';
import { YAMNET_FRONT_END } from '../types.js';
import type { Canvas, Rgb } from './canvas.js';
import { textHeight, textWidth } from './canvas.js';

export const INK: Rgb = [25, 25, 25];
export const AXIS: Rgb = [110, 110, 110];
export const GRID: Rgb = [225, 225, 225];

/** Tick spacings tried, in seconds, smallest first. */
const TIME_STEPS_SEC = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600];

/** Ticks of the frequency axis, in Hz: the filterbank's edges and octaves from 250 Hz. */
export const FREQUENCY_TICKS_HZ = [125, 250, 500, 1000, 2000, 4000, 7500];

/** A number in at most two significant figures, short: 0.5, 12, 1.2e-3, 3.4e+4; negatives with a real minus sign. */
export function formatNumber(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return v === 0 ? '0' : String(v);
  const a = Math.abs(v);
  const text = a >= 0.01 && a < 1000 ? String(Number(a.toPrecision(2))) : a.toExponential(1).replace('.0e', 'e');
  return v < 0 ? `\u2212${text}` : text;
}

/** A time label in seconds (1.5, 12) or, with `minutes`, as m:ss (0:05, 1:30). */
export function formatSeconds(t: number, minutes = false): string {
  if (!minutes) return String(Number(t.toFixed(1)));
  const m = Math.floor(t / 60);
  const s = Math.round(t - 60 * m);
  return `${m}:${String(s).padStart(2, '0')}`;
}

/** The smallest tick step whose labels stay at least `minSpacingPx` apart on a plot `widthPx` wide. */
export function timeTickStep(spanSec: number, widthPx: number, minSpacingPx = 60): number {
  return TIME_STEPS_SEC.find((step) => (step / spanSec) * widthPx >= minSpacingPx) ?? TIME_STEPS_SEC[TIME_STEPS_SEC.length - 1];
}

/** Tick times (multiples of `step`) within [t0, t1]. */
export function timeTicks(t0Sec: number, t1Sec: number, step: number): number[] {
  const ticks: number[] = [];
  for (let k = Math.ceil(t0Sec / step - 1e-9); k * step <= t1Sec + 1e-9; k++) ticks.push(k * step + 0); // + 0 turns −0 into 0
  return ticks;
}

/**
 * Position of `frequencyHz` in band units: band j's centre (filterbank edge j + 1) is at j, so 125 Hz (edge 0) is at
 * −1 and 7500 Hz (edge 65) at 64, half a band beyond the panel's rows; callers clamp those onto the panel's edge.
 */
export function bandPosition(frequencyHz: number): number {
  const { melMinHz, melMaxHz, melBands } = YAMNET_FRONT_END;
  const lowMel = hertzToMel(melMinHz);
  const edgeStep = (hertzToMel(melMaxHz) - lowMel) / (melBands + 1);
  return (hertzToMel(frequencyHz) - lowMel) / edgeStep - 1;
}

/** Hz ticks and labels left of a panel whose band rows are `bandPx` tall, lowest band at the bottom. */
export function drawFrequencyAxis(canvas: Canvas, plotLeft: number, top: number, bandPx: number): void {
  const bands = YAMNET_FRONT_END.melBands;
  const bottom = top + bands * bandPx; // one past the last row
  let lastLabelTop = Infinity;
  for (const hz of FREQUENCY_TICKS_HZ) {
    const y = Math.round(Math.min(bottom - 1, Math.max(top, bottom - (bandPosition(hz) + 0.5) * bandPx)));
    canvas.hline(plotLeft - 4, plotLeft - 1, y, AXIS);
    const label = String(hz);
    const labelTop = Math.min(bottom - textHeight() + 2, Math.max(top - 2, y - 5));
    if (labelTop + textHeight() - 1 > lastLabelTop) continue; // would overlap the label below it
    canvas.drawText(plotLeft - 6 - textWidth(label), labelTop, label, INK);
    lastLabelTop = labelTop;
  }
  canvas.drawText(plotLeft - 6 - textWidth('Hz'), top - textHeight() - 2, 'Hz', AXIS);
}

/** Tick marks under a panel, and (when `labels`) the times under them, in seconds or (with `minutes`) m:ss. */
export function drawTimeTicks(
  canvas: Canvas,
  ticks: readonly number[],
  xOf: (t: number) => number,
  y: number,
  labels: boolean,
  minutes = false,
): void {
  for (const t of ticks) {
    const x = Math.round(xOf(t));
    canvas.vline(x, y, y + 3, AXIS);
    if (labels) {
      const label = formatSeconds(t, minutes);
      const lx = Math.max(0, Math.min(canvas.width - textWidth(label), x - Math.floor(textWidth(label) / 2)));
      canvas.drawText(lx, y + 5, label, INK);
    }
  }
}

/** A vertical colour bar from `low` (bottom) to `high` (top), labelled with both ends (and 0 when it lies inside). */
export function drawColourBar(
  canvas: Canvas,
  box: { x: number; y: number; width: number; height: number },
  low: number,
  high: number,
  colourOf: (v: number) => Rgb,
  format: (v: number) => string = formatNumber,
): void {
  const { x, y, width, height } = box;
  for (let row = 0; row < height; row++) {
    canvas.fillRect(x, y + row, width, 1, colourOf(high - (row / Math.max(1, height - 1)) * (high - low)));
  }
  canvas.hline(x - 1, x + width, y - 1, AXIS);
  canvas.hline(x - 1, x + width, y + height, AXIS);
  canvas.vline(x - 1, y - 1, y + height, AXIS);
  canvas.vline(x + width, y - 1, y + height, AXIS);
  const labelX = x + width + 4;
  canvas.drawText(labelX, y - 2, format(high), INK);
  canvas.drawText(labelX, y + height - textHeight() + 2, format(low), INK);
  if (low < 0 && high > 0) {
    const zeroY = y + Math.round((high / (high - low)) * (height - 1));
    canvas.drawText(labelX, zeroY - 5, '0', INK);
  }
}
