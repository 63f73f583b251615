// The PNG of `blurig evaluate --png`: each method's mean deletion and insertion curve against both references, four panels.
import type { EvaluationReport } from './evaluationJson.js';
import { AXIS, GRID, INK } from './axes.js';
import { createCanvas, type Rgb, textHeight, textWidth } from './canvas.js';
import { encodePng } from './png.js';

/** Distinct colours for up to 12 methods (Tableau 10 plus two), the default drawn thicker. */
const PALETTE: readonly Rgb[] = [
  [31, 119, 180],
  [255, 127, 14],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
  [140, 86, 75],
  [227, 119, 194],
  [127, 127, 127],
  [188, 189, 34],
  [23, 190, 207],
  [0, 0, 128],
  [128, 0, 0],
];
const PANEL = { width: 420, height: 260 };
const PAD = 16;
const AXIS_LEFT = 44;
const AXIS_BOTTOM = 30;
const LEGEND_WIDTH = 300;

type CurveKey = { readonly curve: 'deletion' | 'insertion'; readonly reference: 'silence' | 'blur' };
const PANELS: readonly CurveKey[] = [
  { curve: 'deletion', reference: 'silence' },
  { curve: 'deletion', reference: 'blur' },
  { curve: 'insertion', reference: 'silence' },
  { curve: 'insertion', reference: 'blur' },
];

/** Four panels (deletion/insertion × silence/blur) of f(x_q)/f(x) against q, one line per method, and a legend. */
export function renderCurves(report: EvaluationReport): Buffer {
  const width = PAD + 2 * (AXIS_LEFT + PANEL.width + PAD) + LEGEND_WIDTH;
  const top = PAD + 2 * textHeight(2) + 8;
  const height = top + 2 * (PANEL.height + AXIS_BOTTOM + textHeight() + PAD);
  const canvas = createCanvas(width, height, [255, 255, 255]);
  canvas.drawText(PAD, PAD, `evaluate: ${report.input}`, INK, 2);
  canvas.drawText(PAD, PAD + textHeight(2) + 4, `${report.patches} patches, ${report.methods[0]?.pairs ?? 0} (patch, class) pairs; ${report.model}`, AXIS);
  const values = report.methods.flatMap((m) => PANELS.flatMap((p) => m.curves[p.curve][p.reference])).filter(Number.isFinite);
  const yMax = Math.max(1.05, Math.min(3, Math.max(...values, 1)) * 1.05); // a curve may rise above 1 (the reference scores higher)
  PANELS.forEach((panel, i) => {
    const x0 = PAD + (i % 2) * (AXIS_LEFT + PANEL.width + PAD) + AXIS_LEFT;
    const y0 = top + Math.floor(i / 2) * (PANEL.height + AXIS_BOTTOM + textHeight() + PAD) + textHeight() + 4;
    const better = panel.curve === 'deletion' ? 'lower is better' : 'higher is better';
    canvas.drawText(x0, y0 - textHeight() - 2, `${panel.curve}, cells -> ${panel.reference} (${better})`, INK);
    const px = (q: number): number => x0 + q * PANEL.width;
    const py = (v: number): number => y0 + PANEL.height - (Math.max(0, Math.min(yMax, v)) / yMax) * PANEL.height;
    for (let t = 0; t <= 1.0001; t += 0.25) {
      canvas.hline(x0, x0 + PANEL.width, Math.round(py(t)), GRID);
      canvas.drawText(x0 - textWidth(t.toFixed(2)) - 4, Math.round(py(t)) - 5, t.toFixed(2), AXIS);
      canvas.vline(Math.round(px(t)), y0, y0 + PANEL.height, GRID);
      canvas.drawText(Math.round(px(t)) - textWidth(t.toFixed(2)) / 2, y0 + PANEL.height + 4, t.toFixed(2), AXIS);
    }
    canvas.drawText(x0 + PANEL.width / 2 - textWidth('share of cells') / 2, y0 + PANEL.height + 16, 'share of cells', AXIS);
    canvas.vline(x0, y0, y0 + PANEL.height, AXIS);
    canvas.hline(x0, x0 + PANEL.width, y0 + PANEL.height, AXIS);
    report.methods.forEach((m, k) => {
      const curve = m.curves[panel.curve][panel.reference];
      const color = PALETTE[k % PALETTE.length];
      for (let j = 1; j < curve.length; j++) {
        if (!Number.isFinite(curve[j - 1]) || !Number.isFinite(curve[j])) continue;
        const [a, b] = [m.curves.fractions[j - 1], m.curves.fractions[j]];
        for (const dy of m.default ? [-1, 0, 1] : [0]) canvas.drawLine(px(a), py(curve[j - 1]) + dy, px(b), py(curve[j]) + dy, color);
      }
    });
  });
  const legendX = width - LEGEND_WIDTH + 8;
  canvas.drawText(legendX, top, 'method: AUC del sil/blur, ins sil/blur', INK);
  report.methods.forEach((m, k) => {
    const y = top + (k + 1) * (textHeight() + 8);
    canvas.fillRect(legendX, y + 3, 14, m.default ? 4 : 2, PALETTE[k % PALETTE.length]);
    const auc = [m.deletionAuc.silence, m.deletionAuc.blur, m.insertionAuc.silence, m.insertionAuc.blur].map((v) => (v === null ? '-' : v.toFixed(2))).join(' ');
    canvas.drawText(legendX + 20, y, `${m.name}${m.default ? '*' : ''}: ${auc}`, INK);
  });
  return encodePng(canvas.width, canvas.height, canvas.rgba);
}
