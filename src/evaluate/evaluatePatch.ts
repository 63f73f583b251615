// One patch through every evaluated method: its attribution, deletion and insertion curves, and the randomisation test.
import { evaluate } from '../attribution/explainedFunction.js';
import { patchAttributor } from '../operators/patchAttributor.js';
import type { ClassifierModel, EvaluatedMethod, PatchAttribution, PatchMethodEvaluation, ScoredPatch } from '../types.js';
import { deletionInsertion, type References } from './deletionInsertion.js';
import { spearman } from './rankCorrelation.js';

/** Explains one patch: what a method's attributor does (the classes come from the patch's `explain` list). */
export type PatchExplainer = (patch: ScoredPatch) => Promise<PatchAttribution>;

/**
 * One method's attributors: of the class scores on the model (what is measured), and of the class logits on the
 * model and on each randomised copy (cascade level → attributor) for the randomisation test. That test explains
 * logits because a randomised YAMNet's logits grow 15–30× and its scores saturate, so every score gradient is 0 and
 * the attribution trivially constant.
 */
export interface MethodRunner {
  readonly method: EvaluatedMethod;
  readonly explain: PatchExplainer;
  readonly explainLogit: PatchExplainer;
  readonly randomised: readonly { readonly layers: number; readonly explain: PatchExplainer }[];
}

/** What one method made of one patch: its attribution (for localisation) and its figures per explained class. */
export interface MethodOnPatch {
  readonly name: string;
  readonly attribution: PatchAttribution;
  readonly figures: readonly PatchMethodEvaluation[];
}

/** The attributor of `method` on `model`, explaining scores (what a detection is) or logits, of the classes each patch names. */
export function methodExplainer(model: ClassifierModel, method: EvaluatedMethod, output: 'score' | 'logit' = 'score'): PatchExplainer {
  return patchAttributor(model, { method: method.method, methodOptions: method.methodOptions, output, classes: 'detected' });
}

/** How {@link evaluatePatch} measures one patch. */
export interface PatchEvaluationOptions {
  /** Curve intervals and where the points lie (see `deletionInsertion`). */
  readonly intervals: number;
  readonly spacing: 'uniform' | 'ends';
  /** Patches per forward call of the curves. */
  readonly batchSize: number;
  /** Classes below this score at the patch get no curves: they are absent, and the curves divide by the score. */
  readonly minScore: number;
  /** Classes that take the randomisation test in this patch (none: the randomised copies are not run). */
  readonly sanityClasses: ReadonlySet<number>;
  /** The patch's references (`references(patch)`), made once per patch for every method. */
  readonly references: References;
}

/**
 * Runs `runner` on `patch` and scores the result: deletion and insertion of every explained class against both
 * references (`intervals` + 1 points, `batchSize` patches per forward call of the class's score), and, when
 * `sanity` is set, the Spearman correlation of the logit attribution with that of each randomised copy.
 */
export async function evaluatePatch(model: ClassifierModel, runner: MethodRunner, patch: ScoredPatch, options: PatchEvaluationOptions): Promise<MethodOnPatch> {
  const started = performance.now();
  const attribution = await runner.explain(patch);
  const ms = performance.now() - started;
  const values = { values: patch.logMel, frames: patch.frames, bands: patch.bands };
  const refs = options.references;
  const sanity = options.sanityClasses.size > 0 && runner.randomised.length > 0;
  const original = sanity ? await runner.explainLogit(patch) : undefined;
  const randomisedAttributions: { layers: number; result: PatchAttribution }[] = [];
  if (sanity) for (const r of runner.randomised) randomisedAttributions.push({ layers: r.layers, result: await r.explain(patch) });
  const figures: PatchMethodEvaluation[] = [];
  for (const [k, cls] of attribution.classes.entries()) {
    const target = model.target([cls.classIndex], 'score', true);
    const score = async (patches: Float32Array, count: number): Promise<Float32Array> => (await evaluate(target, patches, count, values)).values;
    const curveOptions = { intervals: options.intervals, spacing: options.spacing, batchSize: options.batchSize };
    const present = cls.score >= options.minScore;
    const [silence, blur] = present ? [await deletionInsertion(score, values, cls.attribution, refs.silence, curveOptions), await deletionInsertion(score, values, cls.attribution, refs.blur, curveOptions)] : [NO_CURVES, NO_CURVES];
    const tested = options.sanityClasses.has(cls.classIndex) ? randomisedAttributions : [];
    figures.push({
      patchIndex: patch.index,
      startSec: patch.startSec,
      classIndex: cls.classIndex,
      score: cls.score,
      deletionAuc: { silence: silence.deletionAuc, blur: blur.deletionAuc },
      insertionAuc: { silence: silence.insertionAuc, blur: blur.insertionAuc },
      curves: {
        fractions: present ? Array.from(silence.fractions) : [],
        deletion: { silence: silence.deletionCurve, blur: blur.deletionCurve },
        insertion: { silence: silence.insertionCurve, blur: blur.insertionCurve },
      },
      randomization: tested.map(({ layers, result }) => ({ layers, rankCorrelation: rankCorrelation(original!.classes[k].attribution, result.classes[k].attribution) })),
      completenessError: cls.relError,
      evaluations: attribution.evaluations,
      ms,
    });
  }
  return { name: runner.method.name, attribution, figures };
}

/** A pair below the score threshold: no areas, no curves. */
const NO_CURVES = { deletionAuc: null, insertionAuc: null, deletionCurve: [], insertionCurve: [], fractions: new Float64Array(0) } as const;

/** Spearman ρ of an attribution with its randomised model's; a constant randomised attribution shares no ranking: 0. */
function rankCorrelation(original: Float32Array, randomised: Float32Array): number | null {
  const rho = spearman(original, randomised);
  if (rho !== null) return rho;
  return original.every((v) => v === original[0]) ? null : 0;
}
