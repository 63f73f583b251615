// RxJS operator: patch evaluations in, one report out when they end: each method's figures, its frames merged for localisation.
import { from, lastValueFrom, mergeMap, type OperatorFunction, reduce, toArray } from 'rxjs';
import { type MethodReport, summariseMethods } from '../evaluate/summary.js';
import type { EvaluatedMethod, LabelledSpan } from '../types.js';
import type { PatchEvaluation } from './evaluatePatches.js';
import { mergeFrames } from './mergeFrames.js';

/** What the report is about besides the methods' figures. */
export interface EvaluationSummary {
  /** Patches evaluated. */
  readonly patches: number;
  /** Classes evaluated, with the patches each was evaluated in. */
  readonly classes: readonly { readonly classIndex: number; readonly name: string; readonly patches: number }[];
  readonly methods: readonly MethodReport[];
}

/**
 * Collects every {@link PatchEvaluation} (in patch order) and, when the source completes, emits the summary: each
 * method's attributions merged to frames (as `explain` merges them) for localisation against `spans`, and its
 * per-patch figures averaged. An empty source gives a summary of no patches.
 */
export function summariseEvaluation(classNames: readonly string[], methods: readonly EvaluatedMethod[], options: { readonly spans: readonly LabelledSpan[]; readonly defaultName: string; readonly intervals: number }): OperatorFunction<PatchEvaluation, EvaluationSummary> {
  return (source) =>
    source.pipe(
      reduce((all, patch) => (all.push(patch), all), [] as PatchEvaluation[]),
      mergeMap(async (patches) => {
        const outcomes = await Promise.all(
          methods.map(async (method, m) => {
            const results = patches.map((p) => p.methods[m]);
            const frames = await lastValueFrom(from(results.map((r) => r.attribution)).pipe(mergeFrames(), toArray()));
            return { method, figures: results.flatMap((r) => r.figures), frames };
          }),
        );
        const counts = new Map<number, number>();
        for (const p of patches) for (const cls of p.methods[0]?.attribution.classes ?? []) counts.set(cls.classIndex, (counts.get(cls.classIndex) ?? 0) + 1);
        const classes = [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([classIndex, n]) => ({ classIndex, name: classNames[classIndex], patches: n }));
        return { patches: patches.length, classes, methods: summariseMethods(outcomes, classNames, options.spans, options.defaultName, options.intervals) };
      }),
    );
}
