// One row of the heatmap figure: the spectrogram and, per class, its header, attribution, event marks and score strip.
import type { Detection, ExplainedClass, FrameAttribution } from '../types.js';
import { YAMNET_FRONT_END } from '../types.js';
import { AXIS, type AxisContext, colourBar, formatNumber, frequencyAxis, INK, timeAxis, timeTicks, timeTickStep } from './axes.js';
import type { Rgb } from './canvas.js';
import { textWidthPt } from './font/textLayout.js';
import { averageColumns, timeColumns } from './frameColumns.js';
import { bandImage, eventMarks, frame, scoreStrip } from './panels.js';

const BANDS = YAMNET_FRONT_END.melBands;

/** Everything a row needs that the whole figure decided: sizes in points, colours, scales, per-class text. */
export interface RowPlan {
  readonly ctx: AxisContext;
  readonly slots: readonly (FrameAttribution | undefined)[];
  readonly firstIndex: number;
  readonly classes: readonly ExplainedClass[];
  readonly detections: readonly Detection[];
  /** Per class (in `classes` order): score per frame slot (NaN where unknown), header detail, colour limit. */
  readonly scoreBySlot: readonly Float32Array[];
  readonly details: readonly string[];
  readonly limits: readonly number[];
  readonly shared: boolean;
  readonly spectrogram: { readonly scale: number; readonly low: number; readonly high: number; readonly ticks: readonly number[]; readonly caption: string; readonly colourOf: (t: number) => Rgb };
  readonly attributionCaption: string;
  readonly diverging: (t: number) => Rgb;
  readonly plotX: number;
  readonly barX: number;
  readonly captionX: number;
  readonly rotatedX: number;
  readonly heights: { readonly spectrogram: number; readonly attribution: number; readonly score: number; readonly header: number; readonly eventGap: number; readonly eventBar: number; readonly classGap: number; readonly axis: number };
  readonly dpi: number;
  readonly minutes: boolean;
}

/**
 * Draws the row of slots [start, start + count) at `y`, `widthPt` wide, with panels for the classes at `shown`
 * (indices into `plan.classes`); returns the y below it.
 */
export function drawRow(plan: RowPlan, shown: readonly number[], start: number, count: number, y: number, widthPt: number): number {
  const { ctx, heights: h, plotX } = plan;
  const f = ctx.fontPt;
  const columns = Math.min(count, Math.ceil((widthPt / 72) * plan.dpi));
  const grid = timeColumns(plan.firstIndex + start, count, columns, 1);
  const xOf = (t: number) => plotX + ((t - grid.t0Sec) / (grid.t1Sec - grid.t0Sec)) * widthPt;
  const rotated = (text: string, box: { y: number; height: number }) => {
    const label = textWidthPt(text, f) <= box.height ? text : 'Hz';
    ctx.items.push({ kind: 'text', text: label, x: plan.rotatedX, y: box.y + box.height / 2, align: 'center', anchor: 'top', rotationDeg: 90, sizePt: f, colour: INK });
  };

  const sp = plan.spectrogram;
  const spectrogram = { x: plotX, y, width: widthPt, height: h.spectrogram };
  const logMel = averageColumns(grid, BANDS, (s) => plan.slots[start + s]?.logMel);
  ctx.items.push(bandImage(spectrogram, logMel, grid.columns, (v) => sp.colourOf((v * sp.scale - sp.low) / (sp.high - sp.low))), frame(spectrogram));
  frequencyAxis(ctx, spectrogram);
  rotated('frequency (Hz)', spectrogram);
  colourBar(ctx, { x: plan.barX, y, width: f * 0.6, height: h.spectrogram }, { low: sp.low, high: sp.high, ticks: sp.ticks, format: formatNumber }, (v) => sp.colourOf((v - sp.low) / (sp.high - sp.low)), { text: sp.caption, x: plan.captionX });
  y += h.spectrogram + h.classGap;

  const attributionTop = y + h.header;
  let attributionBottom = attributionTop;
  for (const k of shown) {
    const cls = plan.classes[k];
    const name = cls.name;
    ctx.items.push({ kind: 'text', text: name, x: plotX, y: y + h.header * 0.75, sizePt: f, weight: 'bold', colour: INK });
    const detailX = plotX + textWidthPt(name, f, 'bold') + f * 0.6;
    ctx.items.push({ kind: 'text', text: fitText(plan.details[k], plotX + widthPt - detailX, f), x: detailX, y: y + h.header * 0.75, sizePt: f, colour: AXIS });
    y += h.header;
    const box = { x: plotX, y, width: widthPt, height: h.attribution };
    const limit = plan.limits[k];
    const values = averageColumns(grid, BANDS, (s) => plan.slots[start + s]?.classes.find((fc) => fc.classIndex === cls.index)?.attribution);
    ctx.items.push(bandImage(box, values, grid.columns, (v) => plan.diverging(0.5 + v / (2 * limit))), frame(box));
    frequencyAxis(ctx, box);
    rotated('Hz', box);
    if (!plan.shared) attributionBar(plan, box, limit);
    attributionBottom = y + h.attribution;
    y += h.attribution + h.eventGap;
    const bar = { x: plotX, y, width: widthPt, height: h.eventBar };
    for (const d of plan.detections) if (d.classIndex === cls.index) ctx.items.push(...eventMarks(bar, xOf, d, d.evidence));
    y += h.eventBar + h.eventGap;
    const bySlot = plan.scoreBySlot[k];
    const scores = averageColumns(grid, 1, (s) => (Number.isNaN(bySlot[start + s]) ? undefined : [bySlot[start + s]]));
    const strip = { x: plotX, y, width: widthPt, height: h.score };
    ctx.items.push(...scoreStrip(strip, scores));
    for (const [v, label] of [[0, '0'], [1, '1']] as const) {
      const ty = strip.y + strip.height * (1 - v);
      ctx.items.push({ kind: 'text', text: label, x: plotX - f * 0.55, y: ty, anchor: 'middle', align: 'right', sizePt: f * 0.85, colour: INK });
    }
    y += h.score + h.classGap;
  }
  if (plan.shared && shown.length > 0) attributionBar(plan, { y: attributionTop, height: attributionBottom - attributionTop }, plan.limits[0]);

  const step = timeTickStep(grid.t1Sec - grid.t0Sec, widthPt, textWidthPt('00:00', f) + 2 * f);
  const lastY = y - h.classGap;
  timeAxis(ctx, timeTicks(grid.t0Sec, grid.t1Sec, step), xOf, lastY, plan.minutes);
  return lastY + h.axis;
}

/** The attribution's colour bar beside `box`: symmetric about 0, ticks at ±limit (and ±limit/2 when tall enough). */
function attributionBar(plan: RowPlan, box: { y: number; height: number }, limit: number): void {
  const f = plan.ctx.fontPt;
  const ticks = box.height >= 6 * f ? [-limit, -limit / 2, 0, limit / 2, limit] : [-limit, 0, limit];
  const format = (v: number) => (v > 0 ? `+${formatNumber(v)}` : formatNumber(v));
  const range = { low: -limit, high: limit, ticks, format };
  colourBar(plan.ctx, { x: plan.barX, y: box.y, width: f * 0.6, height: box.height }, range, (v) => plan.diverging(0.5 + v / (2 * limit)), { text: plan.attributionCaption, x: plan.captionX });
}

/** `text`, cut with an ellipsis to fit `widthPt` at `sizePt`. */
export function fitText(text: string, widthPt: number, sizePt: number, weight: 'normal' | 'bold' = 'normal'): string {
  if (textWidthPt(text, sizePt, weight) <= widthPt) return text;
  const chars = [...text];
  while (chars.length > 0 && textWidthPt(chars.join('') + '\u2026', sizePt, weight) > widthPt) chars.pop();
  return chars.length === 0 ? '' : chars.join('') + '\u2026';
}

/**
 * The classes (indices into `plan.classes`) a row shows: those explained in one of its frames or detected within
 * it, so a long clip's rows do not repeat empty panels for classes heard elsewhere.
 */
export function classesInRow(plan: Pick<RowPlan, 'slots' | 'classes' | 'detections' | 'firstIndex'>, start: number, count: number, frameSec: number): number[] {
  const [t0, t1] = [(plan.firstIndex + start) * frameSec, (plan.firstIndex + start + count) * frameSec];
  return plan.classes.flatMap((cls, k) => {
    const detected = plan.detections.some((d) => d.classIndex === cls.index && d.endSec > t0 && d.startSec < t1);
    let explained = false;
    for (let s = start; s < start + count && !explained; s++) explained = plan.slots[s]?.classes.some((c) => c.classIndex === cls.index) ?? false;
    return detected || explained ? [k] : [];
  });
}
