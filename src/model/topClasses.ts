// Picking the highest-scoring classes, and the clip score as the mean of patch scores (DESIGN.md §2).
import type { ClassScore, ClipClassification, PatchClassification } from '../types.js';

/** The `k` highest entries of `scores` with their class names, best first; ties keep the lower index first. */
export function topClasses(scores: Float32Array, classNames: readonly string[], k: number): ClassScore[] {
  const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a] || a - b);
  return order.slice(0, k).map((index) => ({ index, name: classNames[index] ?? `class ${index}`, score: scores[index] }));
}

/** Element-wise mean of equally long score vectors (the clip score); all zeros for an empty list. */
export function meanScores(scoreRows: readonly Float32Array[], classes: number): Float32Array {
  const mean = new Float32Array(classes);
  if (scoreRows.length === 0) return mean;
  const sum = new Float64Array(classes);
  for (const row of scoreRows) for (let c = 0; c < classes; c++) sum[c] += row[c];
  for (let c = 0; c < classes; c++) mean[c] = sum[c] / scoreRows.length;
  return mean;
}

/** The clip's and each patch's top `k` classes, as `blurig classify` reports them. */
export function summarizeClassification(
  records: readonly PatchClassification[],
  classNames: readonly string[],
  k: number,
): Pick<ClipClassification, 'clip' | 'patches'> {
  const clipScores = meanScores(records.map((r) => r.scores), classNames.length);
  return {
    clip: { top: topClasses(clipScores, classNames, k) },
    patches: records.map((r) => ({ index: r.index, startSec: r.startSec, top: topClasses(r.scores, classNames, k) })),
  };
}
