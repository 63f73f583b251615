// Axes and legends of figures: time ticks in seconds, frequency ticks in Hz on the mel scale, colour bars, numbers.
import { hertzToMel } from '../audio/melFilterbank.js';
import { YAMNET_FRONT_END } from '../types.js';
import type { Rgb } from './canvas.js';
import type { FigureItem } from './figure/displayList.js';
import { capHeightPt, textWidthPt } from './font/textLayout.js';

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
  const steps = [0.1, 0.2, ...TIME_STEPS_SEC];
  return steps.find((step) => (step / spanSec) * widthPx >= minSpacingPx) ?? steps[steps.length - 1];
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

/** Round tick values within [low, high], at most about `maxTicks` of them, on steps of 1, 2 or 5 × 10^k. */
export function niceTicks(low: number, high: number, maxTicks: number): number[] {
  if (!(high > low)) return [low];
  const raw = (high - low) / Math.max(1, maxTicks);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let k = Math.ceil(low / step - 1e-9); k * step <= high + 1e-9 * step; k++) ticks.push(Number((k * step).toPrecision(12)) + 0);
  return ticks;
}

/** Where an axis draws: the plot box in points, the font size and the ink. */
export interface AxisContext {
  readonly items: FigureItem[];
  readonly fontPt: number;
}

/** Tick length and the gap between a tick and its label, in points, for a font size. */
export function tickSizes(fontPt: number): { tickPt: number; gapPt: number } {
  return { tickPt: fontPt * 0.35, gapPt: fontPt * 0.25 };
}

/** Hz ticks and labels left of a band panel (lowest band at the bottom); labels that would overlap are skipped. */
export function frequencyAxis(ctx: AxisContext, box: { x: number; y: number; height: number }): void {
  const { tickPt, gapPt } = tickSizes(ctx.fontPt);
  const bands = YAMNET_FRONT_END.melBands;
  const cap = capHeightPt(ctx.fontPt);
  let lastTop = Infinity;
  for (const hz of FREQUENCY_TICKS_HZ) {
    const y = box.y + box.height - ((Math.min(bands, Math.max(0, bandPosition(hz) + 0.5))) / bands) * box.height;
    const top = Math.max(box.y - cap / 2, Math.min(box.y + box.height - cap, y - cap / 2));
    if (top + cap + gapPt > lastTop) continue; // would overlap the label below it
    ctx.items.push({ kind: 'polyline', points: [box.x - tickPt, y, box.x, y], stroke: AXIS, lineWidthPt: 0.5 });
    ctx.items.push({ kind: 'text', text: String(hz), x: box.x - tickPt - gapPt, y: top, anchor: 'top', align: 'right', sizePt: ctx.fontPt, colour: INK });
    lastTop = top;
  }
}

/** Tick marks under a plot at `y`, and the times under them. */
export function timeAxis(ctx: AxisContext, ticks: readonly number[], xOf: (t: number) => number, y: number, minutes: boolean): void {
  const { tickPt, gapPt } = tickSizes(ctx.fontPt);
  for (const t of ticks) {
    const x = xOf(t);
    ctx.items.push({ kind: 'polyline', points: [x, y, x, y + tickPt], stroke: AXIS, lineWidthPt: 0.5 });
    ctx.items.push({ kind: 'text', text: formatSeconds(t, minutes), x, y: y + tickPt + gapPt, anchor: 'top', align: 'center', sizePt: ctx.fontPt, colour: INK });
  }
}

/** Width of a colour bar's tick labels plus its tick and gap, for laying out the right margin. */
export function colourBarLabelWidth(fontPt: number, labels: readonly string[]): number {
  const { tickPt, gapPt } = tickSizes(fontPt);
  return tickPt + gapPt + Math.max(0, ...labels.map((l) => textWidthPt(l, fontPt)));
}

/** A vertical colour bar (`low` at the bottom) with ticks at `ticks`, labelled by `format`, and a rotated caption beside them. */
export function colourBar(
  ctx: AxisContext,
  box: { x: number; y: number; width: number; height: number },
  range: { low: number; high: number; ticks: readonly number[]; format: (v: number) => string },
  colourOf: (v: number) => Rgb,
  caption: { text: string; x: number },
): void {
  const { tickPt, gapPt } = tickSizes(ctx.fontPt);
  const steps = 128;
  const rgb = new Uint8Array(steps * 3);
  for (let i = 0; i < steps; i++) rgb.set(colourOf(range.high - ((i + 0.5) / steps) * (range.high - range.low)), 3 * i);
  ctx.items.push({ kind: 'image', ...box, columns: 1, rows: steps, rgb, pixelated: false });
  ctx.items.push({ kind: 'rect', ...box, stroke: AXIS, lineWidthPt: 0.5 });
  const cap = capHeightPt(ctx.fontPt);
  for (const v of range.ticks) {
    const y = box.y + ((range.high - v) / (range.high - range.low)) * box.height;
    ctx.items.push({ kind: 'polyline', points: [box.x + box.width, y, box.x + box.width + tickPt, y], stroke: AXIS, lineWidthPt: 0.5 });
    const top = Math.max(box.y - cap / 2, Math.min(box.y + box.height - cap / 2, y - cap / 2));
    ctx.items.push({ kind: 'text', text: range.format(v), x: box.x + box.width + tickPt + gapPt, y: top, anchor: 'top', sizePt: ctx.fontPt, colour: INK });
  }
  const fits = textWidthPt(caption.text, ctx.fontPt) <= box.height + 2 * ctx.fontPt;
  if (fits) ctx.items.push({ kind: 'text', text: caption.text, x: caption.x, y: box.y + box.height / 2, align: 'center', anchor: 'top', rotationDeg: 90, sizePt: ctx.fontPt, colour: INK });
}
