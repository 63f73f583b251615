// The attribution heatmap as a figure: log-mel spectrogram on top, then per class its signed attribution, events and score.
import { OptionError } from '../errors/OptionError.js';
import type { Detection, ExplainedClass, FrameAttribution } from '../types.js';
import { YAMNET_FRONT_END } from '../types.js';
import { AXIS, colourBarLabelWidth, formatNumber, INK, niceTicks, tickSizes } from './axes.js';
import { type Figure, type FigureItem, POINTS_PER_INCH } from './figure/displayList.js';
import { figurePng } from './figure/rasterBackend.js';
import { capHeightPt, lineExtentPt, textWidthPt } from './font/textLayout.js';
import { FRAME_SEC, frameSlots, quantile } from './frameColumns.js';
import { classScoresBySlot, summariseRelErrors, type RelErrorSummary } from './heatmapData.js';
import { DB_PER_NEPER_POWER, type HeatmapOptions, MAX_ROWS, resolveHeatmapOptions } from './heatmapOptions.js';
import { classesInRow, drawRow, fitText, type RowPlan } from './heatmapRow.js';
import { legend } from './heatmapLegend.js';
import { colourMap } from './namedColourMaps.js';

export type { RelErrorSummary } from './heatmapData.js';
export type { HeatmapOptions } from './heatmapOptions.js';

/** What {@link heatmapFigure} draws. */
export interface HeatmapInput {
  /** The per-frame attribution stream, in any order (frames are placed by index; gaps stay empty). */
  readonly frames: readonly FrameAttribution[];
  /** The explained classes, one panel each, in this order. */
  readonly classes: readonly ExplainedClass[];
  readonly title: {
    /** Input file name, shown first (any Unicode; characters DejaVu Sans lacks show as its .notdef box). */
    readonly file: string;
    /** Attribution method, e.g. `blur-ig+idgi of the score`. */
    readonly method: string;
    /** The model's name. @default not shown */
    readonly model?: string;
    /** What the attribution is in units of, for its colour bar. @default 'score' */
    readonly output?: string;
    /** Relative completeness error: one figure, one summary, or one per class. @default from the frames */
    readonly relErrors?: number | RelErrorSummary | readonly RelErrorSummary[];
  };
  /** Detections to mark under their class panels: the event (grey) and its evidence (black). @default none */
  readonly detections?: readonly Detection[];
  /** Per class (in `classes` order), per patch: its start and score. @default the frames' covering-patch scores */
  readonly patchScores?: readonly (readonly { readonly startSec: number; readonly score: number }[])[];
}

/**
 * Build the heatmap figure (sizes in points); render it with figurePng, figureSvg or figurePdf. Given a height, the
 * panels stretch (or shrink, to 0.3 of their natural height) to fill it: the text-bound parts are measured on a
 * first layout at natural size.
 */
export function heatmapFigure(input: HeatmapInput, options: HeatmapOptions = {}): Figure {
  const natural = layoutHeatmap(input, options, 1);
  const heightIn = options.figSizeIn?.heightIn;
  if (heightIn === undefined) return natural.figure;
  const k = Math.max(0.3, (heightIn * POINTS_PER_INCH - (natural.figure.heightPt - natural.variablePt)) / natural.variablePt);
  return layoutHeatmap(input, options, k).figure;
}

function layoutHeatmap(input: HeatmapInput, options: HeatmapOptions, k: number): { figure: Figure; variablePt: number } {
  const o = resolveHeatmapOptions(options);
  if (input.frames.length === 0) throw new OptionError('frames', 'a non-empty array of frame records', input.frames);
  const { frames, classes } = input;
  const f = o.fontSizePt;
  const { firstIndex, slots } = frameSlots(frames);
  const rows = Math.min(MAX_ROWS, Math.ceil((slots.length * FRAME_SEC) / o.rowSec - 1e-9));
  const slotsPerRow = Math.ceil(slots.length / rows);
  const rowSec = slotsPerRow * FRAME_SEC;
  // A clip under 10 s gets a narrower figure by default, down to 4.5 in: its frames would otherwise spread thin.
  const widthPt = (o.figSizeIn?.widthIn ?? Math.min(7, Math.max(4.5, 3.5 + 0.35 * rowSec))) * POINTS_PER_INCH;

  // The spectrogram's colours span its 1st percentile to its maximum, so a few silent frames do not flatten it.
  const scale = o.spectrogramUnits === 'db' ? DB_PER_NEPER_POWER : 1;
  const logMel = frames.flatMap((fr) => Array.from(fr.logMel, (v) => v * scale));
  const low = quantile(logMel, 0.01);
  const high = Math.max(quantile(logMel, 1), low + 1e-6);
  const specTicks = niceTicks(low, high, 4);
  const caption = o.spectrogramUnits === 'db' ? 'mel power (dB)' : `ln(mel + ${YAMNET_FRONT_END.logOffset})`;

  const valuesOf = (cls: ExplainedClass) => frames.flatMap((fr) => Array.from(fr.classes.find((c) => c.classIndex === cls.index)?.attribution ?? []));
  const sharedLimit = o.colourScale === 'shared' ? colourLimit(Float32Array.from(classes.flatMap(valuesOf))).limit : 0;
  const limits = classes.map((cls) => (o.colourScale === 'shared' ? sharedLimit : colourLimit(Float32Array.from(valuesOf(cls))).limit));
  const errors = summariseRelErrors(frames, classes, input.title.relErrors);
  const details = classes.map((cls, k) => {
    const peaks = (input.detections ?? []).filter((d) => d.classIndex === cls.index).map((d) => d.peakScore);
    return [`class ${cls.index}`, peaks.length > 0 ? `peak score ${Math.max(...peaks).toFixed(2)}` : '', errors.perClass[k]].filter((s) => s !== '').join(' \u00b7 ');
  });

  // Margins from measured text: tick labels and a rotated axis label on the left, colour bars and theirs on the right.
  const { tickPt, gapPt } = tickSizes(f);
  const { ascentPt, descentPt } = lineExtentPt(f);
  const lineH = ascentPt + descentPt;
  const margin = f * 0.3;
  const rotatedX = margin;
  const plotX = margin + lineH + Math.max(textWidthPt('7500', f), textWidthPt('1', f * 0.85)) + gapPt + tickPt;
  const attributionLabels = limits.flatMap((l) => [formatNumber(-l), `+${formatNumber(l)}`]);
  const labelsWidth = colourBarLabelWidth(f, [...specTicks.map(formatNumber), ...attributionLabels]);
  const barX = widthPt - margin - lineH - labelsWidth - f * 0.6;
  const plotWidth = barX - f * 0.6 - plotX;
  if (plotWidth < POINTS_PER_INCH) throw new OptionError('figSizeIn.widthIn', `wide enough for the plots at ${f} pt text (try ${Math.ceil((widthPt - plotWidth + 2 * POINTS_PER_INCH) / POINTS_PER_INCH)} in)`, widthPt / POINTS_PER_INCH);

  // Heights: text-bound parts are fixed; the panels share what the figure height leaves (k = 1 without one).
  const c = classes.length;
  const base = { spectrogram: 64, attribution: c <= 2 ? 52 : c <= 4 ? 42 : 34, score: 14 };
  const fixed = { header: lineH * 1.05, eventGap: f * 0.2, eventBar: f * 0.35, classGap: f * 0.45, axis: tickPt + gapPt + capHeightPt(f) + f * 0.6 };
  const rowCounts = Array.from({ length: rows }, (_, r) => Math.min(slotsPerRow, slots.length - r * slotsPerRow));
  const shown = rowCounts.map((count, r) => classesInRow({ slots, classes, detections: input.detections ?? [], firstIndex }, r * slotsPerRow, count, FRAME_SEC));
  const variablePt = shown.reduce((sum, row) => sum + base.spectrogram + row.length * (base.attribution + base.score), 0);
  const askedHeightPt = o.figSizeIn?.heightIn === undefined ? 0 : o.figSizeIn.heightIn * POINTS_PER_INCH;

  const items: FigureItem[] = [];
  const ctx = { items, fontPt: f };
  let y = margin + lineExtentPt(f * 1.1).ascentPt;
  const titleWidth = widthPt - 2 * margin;
  items.push({ kind: 'text', text: fitText(input.title.file, titleWidth, f * 1.1, 'bold'), x: margin, y, sizePt: f * 1.1, weight: 'bold', colour: INK });
  y += lineExtentPt(f * 1.1).descentPt + ascentPt;
  const subtitle = [input.title.model ?? '', input.title.method, errors.overall].filter((s) => s !== '').join(' \u00b7 ');
  items.push({ kind: 'text', text: fitText(subtitle, titleWidth, f), x: margin, y, sizePt: f, colour: AXIS });
  y += descentPt + f * 0.3;

  const plan: RowPlan = {
    ctx,
    slots,
    firstIndex,
    classes,
    detections: input.detections ?? [],
    scoreBySlot: classes.map((cls, i) => classScoresBySlot(slots, firstIndex, cls.index, input.patchScores?.[i])),
    details,
    limits,
    shared: o.colourScale === 'shared',
    spectrogram: { scale, low, high, ticks: specTicks, caption, colourOf: colourMap(o.spectrogramCmap) },
    attributionCaption: `attribution (\u0394 ${input.title.output ?? 'score'})`,
    diverging: colourMap(o.cmap),
    plotX,
    barX,
    captionX: widthPt - margin - lineH,
    rotatedX,
    heights: { spectrogram: base.spectrogram * k, attribution: base.attribution * k, score: base.score * k, ...fixed },
    dpi: o.dpi,
    minutes: (firstIndex + slots.length) * FRAME_SEC >= 120,
  };
  rowCounts.forEach((count, r) => {
    y = drawRow(plan, shown[r], r * slotsPerRow, count, y, (plotWidth * count) / slotsPerRow);
  });
  const bottom = legend(ctx, { x: plotX, y: y + ascentPt * 0.2, width: plotWidth }, plan.minutes ? 'time (m:ss)' : 'time (s)');
  return { figure: { widthPt, heightPt: Math.max(askedHeightPt, bottom + margin), background: [255, 255, 255], items }, variablePt: k * variablePt };
}

/** Render the heatmap as a PNG at `options.dpi` (150 by default). */
export function renderHeatmap(input: HeatmapInput, options: HeatmapOptions = {}): Buffer {
  return figurePng(heatmapFigure(input, options), resolveHeatmapOptions(options).dpi);
}

/**
 * The symmetric colour limit: the 99th percentile of |attribution|, so one outlier does not wash the panels out; but
 * at least 1/10 of the largest |attribution|, because when a class lives in under 1 % of a long clip the 99th
 * percentile falls in the near-zero background and would saturate everything that matters.
 */
export function colourLimit(values: Float32Array): { limit: number; rule: string } {
  const absolute = values.map(Math.abs);
  const largest = quantile(absolute, 1);
  const p99 = quantile(absolute, 0.99);
  if (!(largest > 0)) return { limit: 1, rule: 'all zero' };
  return p99 >= largest / 10 ? { limit: p99, rule: '99th pct of |a|' } : { limit: largest / 10, rule: 'max |a| / 10' };
}
