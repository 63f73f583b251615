// The table `blurig evaluate` prints: one row per method, each figure in a column, with the direction that is better.
import type { EvaluationReport } from '../render/evaluationJson.js';

const COLUMNS = ['method', 'del sil ↓', 'del blur ↓', 'ins sil ↑', 'ins blur ↑', 'inside ↑', 'point ↑', 'IoU ↑', 'rand ρ ↓', 'compl err', 'evals', 'ms/patch'];

/** A figure with 3 decimals, `–` when there is none. */
function figure(value: number | null, digits = 3): string {
  return value === null || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}

/** The table of `report`, then the classes and anything not run. */
export function formatEvaluation(report: EvaluationReport): string {
  const rows = report.methods.map((m) => [
    m.default ? `${m.name} (default)` : m.name,
    figure(m.deletionAuc.silence),
    figure(m.deletionAuc.blur),
    figure(m.insertionAuc.silence),
    figure(m.insertionAuc.blur),
    figure(m.insideShare),
    figure(m.pointingGame, 2),
    figure(m.evidenceIou),
    figure(m.randomizationRankCorrelation),
    figure(m.completenessError),
    m.evaluationsPerPatch.toFixed(0),
    m.msPerPatch.toFixed(0),
  ]);
  const widths = COLUMNS.map((c, i) => Math.max([...c].length, ...rows.map((r) => [...r[i]].length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  const classes = report.classes.map((c) => `${c.name} (${c.patches} patches)`).join(', ') || 'none';
  const pairs = report.methods[0] ? `${report.methods[0].pairs} (patch, class) pairs${report.methods[0].skippedPairs > 0 ? `, ${report.methods[0].skippedPairs} without curves (score below ${report.settings.minScore})` : ''}` : 'no pairs';
  const lines = [
    `${report.input}: ${report.patches} patches${report.complete ? '' : ' (stopped early)'}, ${report.model} on ${report.engine === 'onnx' ? 'onnxruntime' : `tfjs ${report.backend}`}`,
    `classes: ${classes}; ${pairs}`,
    '',
    line(COLUMNS),
    ...rows.map(line),
    '',
    'del/ins: areas under f(x_q)/f(x) with cells removed (inserted) in attribution order, against silence and the blurred patch.',
    report.settings.spans.length > 0 ? `inside/point/IoU: against ${report.settings.spans.length} labelled span(s) of ${report.settings.spansFile}.` : 'inside/point/IoU: give --spans FILE (as samples/samples.json) for localisation.',
    report.settings.randomizationLevels.length > 0 ? `rand ρ: Spearman correlation of the logit attribution with the model's top ${Math.max(...report.settings.randomizationLevels)} layers randomised (first ${report.settings.sanityPatches} patches per class).` : 'rand ρ: off (--randomize none).',
  ];
  for (const u of report.unsupported) lines.push(`not run: ${u.name}: ${u.reason}`);
  return lines.join('\n') + '\n';
}
