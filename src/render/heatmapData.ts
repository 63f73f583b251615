// What the heatmap derives from the frames besides pixels: per-frame class scores and completeness-error summaries.
import type { ExplainedClass, FrameAttribution } from '../types.js';
import { YAMNET_FRONT_END } from '../types.js';
import { FRAME_SEC, mean, quantile } from './frameColumns.js';

/** Median and largest relative completeness error, as fractions (0.05 = 5%). */
export interface RelErrorSummary {
  readonly median: number;
  readonly max: number;
}

function percent(fraction: number): string {
  const p = fraction * 100;
  return `${p < 10 ? p.toFixed(1) : p.toFixed(0)}%`;
}

function describe(summary: RelErrorSummary | number | undefined): string {
  if (summary === undefined) return '';
  if (typeof summary === 'number') return `completeness error ${percent(summary)}`;
  return `completeness error median ${percent(summary.median)} (max ${percent(summary.max)})`;
}

function summary(errors: readonly number[]): RelErrorSummary | undefined {
  const finite = errors.filter(Number.isFinite);
  return finite.length === 0 ? undefined : { median: quantile(finite, 0.5), max: Math.max(...finite) };
}

/**
 * The completeness text for the title (`overall`) and for each class panel (`perClass`, '' when unknown). Given
 * per-class summaries, the title shows the median of their medians and the largest max; without any, the errors
 * come from the frames, one per (patch, class).
 */
export function summariseRelErrors(
  frames: readonly FrameAttribution[],
  classes: readonly ExplainedClass[],
  given: number | RelErrorSummary | readonly RelErrorSummary[] | undefined,
): { overall: string; perClass: string[] } {
  if (typeof given === 'number' || (given !== undefined && !Array.isArray(given))) {
    return { overall: describe(given as number | RelErrorSummary), perClass: classes.map(() => '') };
  }
  if (given !== undefined) {
    const list = given as readonly RelErrorSummary[];
    const overall = list.length === 0 ? undefined : { median: quantile(list.map((s) => s.median), 0.5), max: Math.max(...list.map((s) => s.max)) };
    return { overall: describe(overall), perClass: classes.map((_, k) => describe(list[k])) };
  }
  const byClass = classes.map(() => new Map<number, number>()); // patch index → its error, once per patch
  for (const frame of frames) {
    for (const entry of frame.classes) {
      const k = classes.findIndex((c) => c.index === entry.classIndex);
      if (k >= 0) entry.patches.forEach((patch, i) => byClass[k].set(patch, entry.relErrors[i]));
    }
  }
  return {
    overall: describe(summary(byClass.flatMap((m) => [...m.values()]))),
    perClass: byClass.map((m) => describe(summary([...m.values()]))),
  };
}

/**
 * The class's score per frame slot: the mean over the patches covering the frame, from `patchScores` when given
 * (a patch starting at frame s covers frames s … s + 95), else from the scores the frame records carry; NaN where none.
 */
export function classScoresBySlot(
  slots: readonly (FrameAttribution | undefined)[],
  firstIndex: number,
  classIndex: number,
  patchScores?: readonly { readonly startSec: number; readonly score: number }[],
): Float32Array {
  const out = new Float32Array(slots.length).fill(Number.NaN);
  if (patchScores === undefined) {
    slots.forEach((frame, s) => {
      const entry = frame?.classes.find((fc) => fc.classIndex === classIndex);
      if (entry !== undefined && entry.scores.length > 0) out[s] = mean(entry.scores);
    });
    return out;
  }
  const sum = new Float64Array(slots.length);
  const count = new Uint32Array(slots.length);
  for (const { startSec, score } of patchScores) {
    const first = Math.round(startSec / FRAME_SEC) - firstIndex;
    for (let s = Math.max(0, first); s < Math.min(slots.length, first + YAMNET_FRONT_END.patchFrames); s++) {
      sum[s] += score;
      count[s]++;
    }
  }
  for (let s = 0; s < slots.length; s++) if (count[s] > 0) out[s] = sum[s] / count[s];
  return out;
}
