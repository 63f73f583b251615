// The figures of `evaluate`: per method, means over patches and classes, with the per-class figures beside them.
import type { EvaluatedMethod, FrameAttribution, LabelledSpan, MethodFigures, PatchMethodEvaluation, ReferenceAreas } from '../types.js';
import { evidenceIou } from './evidenceIou.js';
import { localise } from './localisation.js';

/** Mean curves f(x_q)/f(x) at each fraction q, over the pairs that had curves. */
export interface MeanCurves {
  readonly fractions: readonly number[];
  readonly deletion: { readonly silence: readonly number[]; readonly blur: readonly number[] };
  readonly insertion: { readonly silence: readonly number[]; readonly blur: readonly number[] };
}

/** One method's report: `blurig evaluate --json`'s `methods[]` entries. */
export interface MethodReport extends MethodFigures {
  readonly name: string;
  /** Whether this is what `explain` runs by default. */
  readonly default: boolean;
  /** The method's settings as run (its options; the rest are the method's defaults). */
  readonly settings: { readonly method: string } & Record<string, unknown>;
  /** The same figures per explained class. */
  readonly perClass: readonly (MethodFigures & { readonly classIndex: number; readonly name: string })[];
  readonly curves: MeanCurves;
}

/** What one method produced over a file: its per-(patch, class) figures and its merged per-frame attribution. */
export interface MethodOutcome {
  readonly method: EvaluatedMethod;
  readonly figures: readonly PatchMethodEvaluation[];
  readonly frames: readonly FrameAttribution[];
}

/** The report of every method, in order; `defaultName` marks explain's default. */
export function summariseMethods(outcomes: readonly MethodOutcome[], classNames: readonly string[], spans: readonly LabelledSpan[], defaultName: string, intervals: number): MethodReport[] {
  return outcomes.map(({ method, figures, frames }) => {
    const classes = [...new Set(figures.map((f) => f.classIndex))].sort((a, b) => a - b);
    const perClass = classes.map((classIndex) => ({
      classIndex,
      name: classNames[classIndex],
      ...methodFigures(
        figures.filter((f) => f.classIndex === classIndex),
        [classIndex],
        frames,
        spans,
        classNames,
      ),
    }));
    return {
      name: method.name,
      default: method.name === defaultName,
      settings: { method: method.method, ...method.methodOptions },
      ...methodFigures(figures, classes, frames, spans, classNames),
      perClass,
      curves: meanCurves(figures, intervals),
    };
  });
}

function methodFigures(figures: readonly PatchMethodEvaluation[], classes: readonly number[], frames: readonly FrameAttribution[], spans: readonly LabelledSpan[], classNames: readonly string[]): MethodFigures {
  const areas = (pick: (f: PatchMethodEvaluation) => ReferenceAreas): ReferenceAreas => ({ silence: mean(figures.map((f) => pick(f).silence)), blur: mean(figures.map((f) => pick(f).blur)) });
  // Localisation is per (class, file): over the merged frames, against the class's spans.
  const located = classes.flatMap((classIndex) => {
    const classSpans = spans.filter((s) => s.class === classNames[classIndex]);
    if (classSpans.length === 0) return [];
    const { insideShare, pointingGame } = localise(frames, classIndex, classSpans);
    return [{ insideShare: Number.isFinite(insideShare) ? insideShare : null, pointingGame: pointingGame ? 1 : 0, iou: evidenceIou(frames, classIndex, classSpans) }];
  });
  // |ρ|: a randomised readout may flip the logit's sign, which reverses the ranking without changing what it singles out.
  const magnitude = (rho: number | null | undefined): number | null => (rho === null || rho === undefined ? null : Math.abs(rho));
  const deepest = (f: PatchMethodEvaluation): number | null => (f.randomization.length === 0 ? null : magnitude(f.randomization.reduce((a, b) => (b.layers > a.layers ? b : a)).rankCorrelation));
  const perPatch = new Map<number, PatchMethodEvaluation>(figures.map((f) => [f.patchIndex, f])); // cost is per patch, whatever its classes
  return {
    deletionAuc: areas((f) => f.deletionAuc),
    insertionAuc: areas((f) => f.insertionAuc),
    insideShare: mean(located.map((l) => l.insideShare)),
    pointingGame: mean(located.map((l) => l.pointingGame)),
    evidenceIou: mean(located.map((l) => l.iou)),
    randomizationRankCorrelation: mean(figures.map(deepest)),
    randomization: levelsOf(figures).map((layers) => ({ layers, rankCorrelation: mean(figures.map((f) => magnitude(f.randomization.find((r) => r.layers === layers)?.rankCorrelation))) })),
    completenessError: mean(figures.map((f) => (Number.isFinite(f.completenessError) ? f.completenessError : null))),
    evaluationsPerPatch: mean([...perPatch.values()].map((f) => f.evaluations)) ?? 0,
    msPerPatch: mean([...perPatch.values()].map((f) => f.ms)) ?? 0,
    pairs: figures.length,
    skippedPairs: figures.filter((f) => f.deletionAuc.silence === null || f.deletionAuc.blur === null).length,
  };
}

/** The cascade levels any pair was tested at, ascending. */
function levelsOf(figures: readonly PatchMethodEvaluation[]): number[] {
  return [...new Set(figures.flatMap((f) => f.randomization.map((r) => r.layers)))].sort((a, b) => a - b);
}

function meanCurves(figures: readonly PatchMethodEvaluation[], intervals: number): MeanCurves {
  // Every pair's points lie at the same fractions (same intervals, spacing and patch size).
  const fractions = figures.find((f) => f.curves.fractions.length > 0)?.curves.fractions ?? Array.from({ length: intervals + 1 }, (_u, i) => i / intervals);
  const average = (pick: (f: PatchMethodEvaluation) => readonly number[]): number[] => {
    const curves = figures.map(pick).filter((c) => c.length === fractions.length);
    return fractions.map((_q, i) => (curves.length === 0 ? Number.NaN : curves.reduce((s, c) => s + c[i], 0) / curves.length));
  };
  return {
    fractions,
    deletion: { silence: average((f) => f.curves.deletion.silence), blur: average((f) => f.curves.deletion.blur) },
    insertion: { silence: average((f) => f.curves.insertion.silence), blur: average((f) => f.curves.insertion.blur) },
  };
}

/** Mean of the non-null, finite values; null when there are none (never NaN). */
export function mean(values: readonly (number | null)[]): number | null {
  const kept = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return kept.length === 0 ? null : kept.reduce((s, v) => s + v, 0) / kept.length;
}
