// RxJS operator: scored patches with their classes in, every evaluated method's attribution and figures on each out, in order.
import { concatMap, defer, finalize, type Observable, type OperatorFunction } from 'rxjs';
import { positiveIntegerOption } from '../attribution/validate.js';
import { OptionError } from '../errors/index.js';
import { references } from '../evaluate/references.js';
import { evaluatePatch, type MethodOnPatch, type MethodRunner, methodExplainer } from '../evaluate/evaluatePatch.js';
import type { ClassifierModel, EvaluatedMethod, EvaluateOptions, ScoredPatch } from '../types.js';

/** One patch's evaluation: its index and start, and what each method made of it (in the methods' order). */
export interface PatchEvaluation {
  readonly index: number;
  readonly startSec: number;
  readonly methods: readonly MethodOnPatch[];
}

/** What {@link evaluatePatches} needs besides the methods. */
export interface EvaluatePatchesSettings {
  /** Curve intervals (points − 1) and where the points lie. */
  readonly intervals: number;
  readonly spacing: 'uniform' | 'ends';
  /** Top layers randomised at each cascade level (none: no randomisation test). */
  readonly randomizationLevels: readonly number[];
  /** The first patches in which each class is present (score ≥ minScore) that also run the randomisation test. */
  readonly sanityPatches: number;
  /** Classes below this score get no curves and no randomisation test in that patch. */
  readonly minScore: number;
  readonly seed: number;
}

/** The settings of {@link EvaluateOptions}, defaults filled in. */
export function evaluationSettings(options: EvaluateOptions): EvaluatePatchesSettings {
  return { intervals: options.curveIntervals ?? 16, spacing: options.curveSpacing ?? 'ends', randomizationLevels: options.randomizationLevels ?? [1, 3, 8], sanityPatches: options.sanityPatches ?? 3, minScore: options.minScore ?? 0.2, seed: options.seed ?? 0 };
}

/**
 * Evaluates each patch (its `explain` list, from `chooseClasses`) with every method, one patch at a time. The
 * randomised copies of the model (one per cascade level, from `model.randomised`) are made on subscribe and
 * disposed when the subscription ends; a model that cannot be randomised with levels asked for is an OptionError.
 */
export function evaluatePatches(model: ClassifierModel, methods: readonly EvaluatedMethod[], settings: EvaluatePatchesSettings): OperatorFunction<ScoredPatch, PatchEvaluation> {
  const intervals = positiveIntegerOption('curveIntervals', settings.intervals, 16, 256);
  const sanityPatches = positiveIntegerOption('sanityPatches', settings.sanityPatches, 3, 1000);
  if (typeof settings.minScore !== 'number' || !(settings.minScore >= 0 && settings.minScore < 1)) throw new OptionError('minScore', 'a number in [0, 1)', settings.minScore);
  if (settings.spacing !== 'ends' && settings.spacing !== 'uniform') throw new OptionError('curveSpacing', '`ends` or `uniform`', settings.spacing);
  const layerCount = model.weightLayers?.length ?? 0;
  for (const level of settings.randomizationLevels) {
    if (typeof model.randomised !== 'function') throw new OptionError('randomizationLevels', `[] (${model.name} on the ${model.engine} engine cannot be randomised)`, settings.randomizationLevels);
    positiveIntegerOption('randomizationLevels', level, 1, layerCount);
  }
  return (source) =>
    defer(() => {
      const copies: ClassifierModel[] = [];
      let closed = false;
      const sanityCount = new Map<number, number>(); // class → patches it has been tested in
      let runners: Promise<MethodRunner[]> | undefined;
      const makeRunners = async (): Promise<MethodRunner[]> => {
        for (const level of settings.randomizationLevels) {
          const copy = await model.randomised!(level, settings.seed);
          if (closed) copy.dispose(); // unsubscribed while it loaded
          else copies.push(copy);
        }
        return methods.map((method) => ({
          method,
          explain: methodExplainer(model, method),
          explainLogit: methodExplainer(model, method, 'logit'),
          randomised: copies.map((copy, i) => ({ layers: settings.randomizationLevels[i], explain: methodExplainer(copy, method, 'logit') })),
        }));
      };
      const run = async (patch: ScoredPatch): Promise<PatchEvaluation> => {
        const all = await (runners ??= makeRunners());
        // The randomisation test repeats the attribution per level: only the first few patches where a class is present take it.
        const present = (patch.explain ?? []).filter((c) => patch.scores[c] >= settings.minScore);
        const sanityClasses = new Set(settings.randomizationLevels.length === 0 ? [] : present.filter((c) => (sanityCount.get(c) ?? 0) < sanityPatches));
        for (const c of sanityClasses) sanityCount.set(c, (sanityCount.get(c) ?? 0) + 1);
        const refs = references({ values: patch.logMel, frames: patch.frames, bands: patch.bands });
        const results: MethodOnPatch[] = [];
        for (const runner of all) results.push(await evaluatePatch(model, runner, patch, { intervals, spacing: settings.spacing, batchSize: 32, minScore: settings.minScore, sanityClasses, references: refs }));
        return { index: patch.index, startSec: patch.startSec, methods: results };
      };
      return (source as Observable<ScoredPatch>).pipe(
        concatMap(run),
        finalize(() => {
          closed = true;
          copies.forEach((copy) => copy.dispose());
        }),
      );
    });
}
