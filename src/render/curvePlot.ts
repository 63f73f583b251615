// The figure of `blurig evaluate --png`: each method's mean deletion and insertion curve against both references, four panels.
import type { EvaluationReport } from './evaluationJson.js';
import { AXIS, GRID, INK } from './axes.js';
import type { Rgb } from './canvas.js';
import type { Figure, FigureItem } from './figure/displayList.js';
import { figurePng } from './figure/rasterBackend.js';
import { lineExtentPt, textWidthPt } from './font/textLayout.js';
import { fitText } from './heatmapRow.js';

/** Distinct colours for up to 12 methods (Tableau 10 plus two), the default drawn thicker. */
const PALETTE: readonly Rgb[] = [
  [31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189], [140, 86, 75],
  [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207], [0, 0, 128], [128, 0, 0],
];
const FONT_PT = 8;
const PANEL = { width: 200, height: 120 };

type CurveKey = { readonly curve: 'deletion' | 'insertion'; readonly reference: 'silence' | 'blur' };
const PANELS: readonly CurveKey[] = [
  { curve: 'deletion', reference: 'silence' },
  { curve: 'deletion', reference: 'blur' },
  { curve: 'insertion', reference: 'silence' },
  { curve: 'insertion', reference: 'blur' },
];

/** Four panels (deletion/insertion × silence/blur) of f(x_q)/f(x) against q, one line per method, and a legend. */
export function curvesFigure(report: EvaluationReport): Figure {
  const f = FONT_PT;
  const { ascentPt, descentPt } = lineExtentPt(f);
  const line = ascentPt + descentPt;
  const margin = 4;
  const axisLeft = textWidthPt('0.00', f) + 6;
  const axisBottom = 2 * line + 4;
  const legendItems = report.methods.map((m) => {
    const auc = [m.deletionAuc.silence, m.deletionAuc.blur, m.insertionAuc.silence, m.insertionAuc.blur].map((v) => (v === null ? '\u2013' : v.toFixed(2))).join(' ');
    return `${m.name}${m.default ? ' (default)' : ''}: ${auc}`;
  });
  const legendHead = 'AUC: deletion silence/blur, insertion silence/blur';
  const legendWidth = 24 + Math.max(textWidthPt(legendHead, f), ...legendItems.map((t) => textWidthPt(t, f)));
  const cellWidth = axisLeft + PANEL.width + 8;
  const cellHeight = line + PANEL.height + axisBottom;
  const top = margin + 2 * line + 4;
  const widthPt = margin + 2 * cellWidth + legendWidth + margin;
  const heightPt = Math.max(top + 2 * cellHeight, top + (legendItems.length + 1) * line) + margin;
  const items: FigureItem[] = [];
  const text = (t: string, x: number, y: number, o: { align?: 'left' | 'center' | 'right'; colour?: Rgb; bold?: boolean; anchor?: 'baseline' | 'middle' | 'top' } = {}) =>
    items.push({ kind: 'text', text: t, x, y, sizePt: f, align: o.align, anchor: o.anchor, weight: o.bold ? 'bold' : 'normal', colour: o.colour ?? INK });
  text(fitText(`evaluate: ${report.input}`, widthPt - 2 * margin, f, 'bold'), margin, margin + ascentPt, { bold: true });
  text(fitText(`${report.patches} patches, ${report.methods[0]?.pairs ?? 0} (patch, class) pairs; ${report.model}`, widthPt - 2 * margin, f), margin, margin + line + ascentPt, { colour: AXIS });
  const values = report.methods.flatMap((m) => PANELS.flatMap((p) => m.curves[p.curve][p.reference])).filter(Number.isFinite);
  const yMax = Math.max(1.05, Math.min(3, Math.max(...values, 1)) * 1.05); // a curve may rise above 1 (the reference scores higher)
  PANELS.forEach((panel, i) => {
    const x0 = margin + (i % 2) * cellWidth + axisLeft;
    const y0 = top + Math.floor(i / 2) * cellHeight + line;
    const better = panel.curve === 'deletion' ? 'lower is better' : 'higher is better';
    text(`${panel.curve}, cells \u2192 ${panel.reference} (${better})`, x0, y0 - descentPt - 1);
    const px = (q: number): number => x0 + q * PANEL.width;
    const py = (v: number): number => y0 + PANEL.height - (Math.max(0, Math.min(yMax, v)) / yMax) * PANEL.height;
    for (let t = 0; t <= 1.0001; t += 0.25) {
      items.push({ kind: 'polyline', points: [x0, py(t), x0 + PANEL.width, py(t)], stroke: GRID, lineWidthPt: 0.5 });
      items.push({ kind: 'polyline', points: [px(t), y0, px(t), y0 + PANEL.height], stroke: GRID, lineWidthPt: 0.5 });
      text(t.toFixed(2), x0 - 3, py(t), { align: 'right', anchor: 'middle', colour: AXIS });
      text(t.toFixed(2), px(t), y0 + PANEL.height + 3, { align: 'center', anchor: 'top', colour: AXIS });
    }
    text('share of cells', x0 + PANEL.width / 2, y0 + PANEL.height + 3 + line, { align: 'center', anchor: 'top', colour: AXIS });
    items.push({ kind: 'rect', x: x0, y: y0, width: PANEL.width, height: PANEL.height, stroke: AXIS, lineWidthPt: 0.5 });
    report.methods.forEach((m, k) => {
      const curve = m.curves[panel.curve][panel.reference];
      let points: number[] = [];
      const flush = () => {
        if (points.length >= 4) items.push({ kind: 'polyline', points, stroke: PALETTE[k % PALETTE.length], lineWidthPt: m.default ? 1.5 : 0.75 });
        points = [];
      };
      curve.forEach((v, j) => (Number.isFinite(v) ? points.push(px(m.curves.fractions[j]), py(v)) : flush()));
      flush();
    });
  });
  const legendX = margin + 2 * cellWidth + 8;
  text(legendHead, legendX, top + ascentPt);
  legendItems.forEach((label, k) => {
    const y = top + (k + 1) * line + ascentPt;
    items.push({ kind: 'polyline', points: [legendX, y - 3, legendX + 16, y - 3], stroke: PALETTE[k % PALETTE.length], lineWidthPt: report.methods[k].default ? 1.5 : 0.75 });
    text(label, legendX + 22, y);
  });
  return { widthPt, heightPt, background: [255, 255, 255], items };
}

/** The curves as a PNG at 150 dpi. */
export function renderCurves(report: EvaluationReport): Buffer {
  return figurePng(curvesFigure(report), 150);
}
