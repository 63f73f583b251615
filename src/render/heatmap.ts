// The attribution heatmap as a PNG: log-mel spectrogram on top, then per class its signed attribution and score.
import { OptionError } from '../errors/OptionError.js';
import type { Detection, ExplainedClass, FrameAttribution } from '../types.js';
import { YAMNET_FRONT_END } from '../types.js';
import { AXIS, INK, drawColourBar, drawFrequencyAxis, drawTimeTicks, formatNumber, timeTickStep, timeTicks } from './axes.js';
import type { Canvas, Rgb } from './canvas.js';
import { createCanvas, textHeight, textWidth } from './canvas.js';
import { diverging, sequential } from './colormaps.js';
import { averageColumns, frameSlots, quantile, timeColumns } from './frameColumns.js';
import { encodePng } from './png.js';
import type { PanelBox } from './panels.js';
import { drawBandImage, drawScorePlot } from './panels.js';
import { classScoresBySlot, summariseRelErrors, type RelErrorSummary } from './heatmapData.js';

export type { RelErrorSummary } from './heatmapData.js';

/** What {@link renderHeatmap} draws. */
export interface HeatmapInput {
  /** The per-frame attribution stream, in any order (frames are placed by index; gaps stay empty). */
  readonly frames: readonly FrameAttribution[];
  /** The explained classes, one panel each, in this order. */
  readonly classes: readonly ExplainedClass[];
  readonly title: {
    /** Input file name, shown first. */
    readonly file: string;
    /** Attribution method, e.g. `blur-ig`. */
    readonly method: string;
    /**
     * Relative completeness error: one figure, one summary, or one summary per class (in `classes` order).
     * @default the median and max over the (patch, class) errors the frames carry
     */
    readonly relErrors?: number | RelErrorSummary | readonly RelErrorSummary[];
  };
  /**
   * Detections to mark: under each class panel a bar shows its events' spans (grey) and their evidence (black).
   * @default none
   */
  readonly detections?: readonly Detection[];
  /** Per class (in `classes` order), per patch: its start and score. @default the frames' covering-patch scores */
  readonly patchScores?: readonly (readonly { readonly startSec: number; readonly score: number }[])[];
}

/** Options of {@link renderHeatmap}. */
export interface HeatmapOptions {
  /** Widest image, in pixels; longer clips average frames into columns. At least 240. @default 1600 */
  readonly maxWidthPx?: number;
}

const LEFT = 52; // Hz and score labels
const RIGHT = 92; // colour bar (10 gap, 12 bar, 4 gap, labels up to 8 characters) and padding
const PAD = 10;
const BACKGROUND = [255, 255, 255] as const;
const BANDS = YAMNET_FRONT_END.melBands;

/** Draw the heatmap and return the canvas with each panel's box (for callers that composite or test it). */
export function renderHeatmapCanvas(input: HeatmapInput, options: HeatmapOptions = {}): { canvas: Canvas; panels: PanelBox[] } {
  const maxWidthPx = options.maxWidthPx ?? 1600;
  if (!Number.isInteger(maxWidthPx) || maxWidthPx < 240) throw new OptionError('maxWidthPx', 'an integer ≥ 240', maxWidthPx);
  if (input.frames.length === 0) throw new OptionError('frames', 'a non-empty array of frame records', input.frames);
  const { frames, classes, title } = input;
  const { firstIndex, slots } = frameSlots(frames);
  const grid = timeColumns(firstIndex, slots.length, maxWidthPx - LEFT - RIGHT);

  const errors = summariseRelErrors(frames, classes, title.relErrors);
  const names = classes.map((c) => c.name).join(', ');
  const titleText = [title.file, names, title.method, errors.overall].filter((s) => s !== '').join(' \u00b7 ');
  const width = Math.min(maxWidthPx, Math.max(LEFT + grid.columns + RIGHT, textWidth(titleText, 2) + 2 * PAD));
  const titleScale = textWidth(titleText, 2) + 2 * PAD <= width ? 2 : 1;
  const bandPx = classes.length <= 3 ? 3 : 2;
  const panelHeight = BANDS * bandPx;
  const scoreHeight = 48;
  const headerHeight = 26;
  const classBlock = headerHeight + panelHeight + 8 + scoreHeight + 14;
  const height = PAD + textHeight(titleScale) + 12 + headerHeight + BANDS * 3 + 14 + classes.length * classBlock + 30;
  const canvas = createCanvas(width, height, BACKGROUND);
  const panels: PanelBox[] = [];

  canvas.drawText(PAD, PAD, fit(titleText, width - 2 * PAD, titleScale), INK, titleScale);
  const xOf = (t: number): number => LEFT + ((t - grid.t0Sec) / (grid.t1Sec - grid.t0Sec)) * grid.columns;
  const ticks = timeTicks(grid.t0Sec, grid.t1Sec, timeTickStep(grid.t1Sec - grid.t0Sec, grid.columns));
  const header = (y: number, name: string, detail: string): void => {
    const used = canvas.drawText(LEFT, y, fit(name, width - LEFT - PAD, 2), INK, 2);
    canvas.drawText(LEFT + used + 8, y + 8, fit(detail, width - LEFT - used - 8 - PAD, 1), AXIS);
  };
  let y = PAD + textHeight(titleScale) + 12;

  // The log-mel spectrogram: colours span its 1st percentile to its maximum, so a few silent frames do not flatten it.
  const logMel = averageColumns(grid, BANDS, (s) => slots[s]?.logMel);
  const low = quantile(logMel, 0.01);
  const high = Math.max(quantile(logMel, 1), low + 1e-6);
  header(y, 'log-mel spectrogram', `ln(mel + ${YAMNET_FRONT_END.logOffset})`);
  y += headerHeight;
  const spectrogram = { x: LEFT, y, width: grid.columns, height: BANDS * 3 };
  drawBandImage(canvas, spectrogram, logMel, 3, (v) => sequential((v - low) / (high - low)));
  drawFrequencyAxis(canvas, LEFT, y, 3);
  drawColourBar(canvas, { x: LEFT + grid.columns + 10, y, width: 12, height: spectrogram.height }, low, high, (v) => sequential((v - low) / (high - low)));
  drawTimeTicks(canvas, ticks, xOf, y + spectrogram.height + 1, false);
  panels.push(spectrogram);
  y += spectrogram.height + 14;

  classes.forEach((cls, k) => {
    const rowOf = (s: number) => slots[s]?.classes.find((fc) => fc.classIndex === cls.index)?.attribution;
    const values = averageColumns(grid, BANDS, rowOf);
    const { limit, rule } = colourLimit(values);
    const detail = [`class ${cls.index}`, `attribution, colour limit \u00b1${formatNumber(limit)} (${rule})`, errors.perClass[k]];
    header(y, cls.name, detail.filter((s) => s !== '').join(' \u00b7 '));
    y += headerHeight;
    const box = { x: LEFT, y, width: grid.columns, height: panelHeight };
    drawBandImage(canvas, box, values, bandPx, (v) => diverging(v / limit));
    drawFrequencyAxis(canvas, LEFT, y, bandPx);
    const bar = { x: LEFT + grid.columns + 10, y, width: 12, height: panelHeight };
    drawColourBar(canvas, bar, -limit, limit, (v) => diverging(v / limit), (v) => (v > 0 ? `+${formatNumber(v)}` : formatNumber(v)));
    drawTimeTicks(canvas, ticks, xOf, y + panelHeight + 1, false);
    panels.push(box);
    for (const d of input.detections ?? []) {
      if (d.classIndex !== cls.index) continue;
      const mark = (from: number, to: number, colour: Rgb) => {
        const x0 = Math.max(LEFT, Math.round(xOf(from)));
        const x1 = Math.min(LEFT + grid.columns, Math.round(xOf(to)));
        if (x1 > x0) canvas.fillRect(x0, y + panelHeight + 3, x1 - x0, 4, colour);
      };
      mark(d.startSec, d.endSec, [170, 170, 170]);
      if (d.evidence !== null) mark(d.evidence.startSec, d.evidence.endSec, [20, 20, 20]);
    }
    y += panelHeight + 8;

    const bySlot = classScoresBySlot(slots, firstIndex, cls.index, input.patchScores?.[k]);
    const scores = averageColumns(grid, 1, (s) => (Number.isNaN(bySlot[s]) ? undefined : [bySlot[s]]));
    const scoreBox = { x: LEFT, y, width: grid.columns, height: scoreHeight };
    drawScorePlot(canvas, scoreBox, scores, 'score');
    panels.push(scoreBox);
    drawTimeTicks(canvas, ticks, xOf, y + scoreHeight + 1, k === classes.length - 1, grid.t1Sec >= 60);
    y += scoreHeight + 14;
  });

  if (classes.length === 0) drawTimeTicks(canvas, ticks, xOf, y - 13, true, grid.t1Sec >= 60);
  const axisLabel = grid.t1Sec >= 60 ? 'time (m:ss)' : 'time (s)';
  canvas.drawText(LEFT + Math.round((grid.columns - textWidth(axisLabel)) / 2), y + 4, axisLabel, AXIS);
  return { canvas, panels };
}

/** Render the heatmap (see {@link HeatmapInput}) as a PNG file, at most `maxWidthPx` wide. */
export function renderHeatmap(input: HeatmapInput, options: HeatmapOptions = {}): Buffer {
  const { canvas } = renderHeatmapCanvas(input, options);
  return encodePng(canvas.width, canvas.height, canvas.rgba);
}

/**
 * The symmetric colour limit of a class panel: the 99th percentile of |attribution| as shown, so one outlier does not
 * wash the panel out; but at least 1/10 of the largest |attribution|, because when a class lives in under 1% of a
 * long clip the 99th percentile falls in the near-zero background and would saturate everything that matters.
 */
export function colourLimit(values: Float32Array): { limit: number; rule: string } {
  const absolute = values.map(Math.abs);
  const largest = quantile(absolute, 1);
  const p99 = quantile(absolute, 0.99);
  if (!(largest > 0)) return { limit: 1, rule: 'all zero' };
  return p99 >= largest / 10 ? { limit: p99, rule: '99th pct of |a|' } : { limit: largest / 10, rule: 'max |a| / 10' };
}

/** `text`, cut with an ellipsis to fit `widthPx` at `scale`. */
function fit(text: string, widthPx: number, scale: number): string {
  const room = Math.floor(widthPx / textWidth('x', scale));
  const chars = [...text];
  return chars.length <= room ? text : chars.slice(0, Math.max(0, room - 1)).join('') + '\u2026';
}

