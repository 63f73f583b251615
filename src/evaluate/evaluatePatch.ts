// One patch through every evaluated method: its attribution, deletion and insertion curves, and the randomisation test.
import { evaluate } from '../attribution/explainedFunction.js';
import { patchAttributor } from '../operators/patchAttributor.js';
import type { ClassifierModel, EvaluatedMethod, PatchAttribution, PatchMethodEvaluation, ScoredPatch } from '../types.js';
import { deletionInsertion, references } from './deletionInsertion.js';
import { spearman } from './rankCorrelation.js';

/** Explains one patch: what a method's attributor does (the classes come from the patch's `explain` list). */
export type PatchExplainer = (patch: ScoredPatch) => Promise<PatchAttribution>;

/** One method's attributor on the model and on each randomised copy (cascade level → attributor). */
export interface MethodRunner {
  readonly method: EvaluatedMethod;
  readonly explain: PatchExplainer;
  readonly randomised: readonly { readonly layers: number; readonly explain: PatchExplainer }[];
}

/** What one method made of one patch: its attribution (for localisation) and its figures per explained class. */
export interface MethodOnPatch {
  readonly name: string;
  readonly attribution: PatchAttribution;
  readonly figures: readonly PatchMethodEvaluation[];
}

/** The attributor of `method` on `model`, explaining scores (what a detection is), the classes each patch names. */
export function methodExplainer(model: ClassifierModel, method: EvaluatedMethod): PatchExplainer {
  return patchAttributor(model, { method: method.method, methodOptions: method.methodOptions, output: 'score', classes: 'detected' });
}

/**
 * Runs `runner` on `patch` and scores the result: deletion and insertion of every explained class against both
 * references (`intervals` + 1 points, `batchSize` patches per forward call of the class's score), and, when
 * `sanity` is set, the Spearman correlation with the attribution of each randomised copy.
 */
export async function evaluatePatch(model: ClassifierModel, runner: MethodRunner, patch: ScoredPatch, options: { readonly intervals: number; readonly spacing: 'uniform' | 'ends'; readonly batchSize: number; readonly sanity: boolean }): Promise<MethodOnPatch> {
  const started = performance.now();
  const attribution = await runner.explain(patch);
  const ms = performance.now() - started;
  const values = { values: patch.logMel, frames: patch.frames, bands: patch.bands };
  const refs = references(values);
  const randomisedAttributions = options.sanity ? await Promise.all(runner.randomised.map(async (r) => ({ layers: r.layers, result: await r.explain(patch) }))) : [];
  const figures: PatchMethodEvaluation[] = [];
  for (const [k, cls] of attribution.classes.entries()) {
    const target = model.target([cls.classIndex], 'score', true);
    const score = async (patches: Float32Array, count: number): Promise<Float32Array> => (await evaluate(target, patches, count, values)).values;
    const curveOptions = { intervals: options.intervals, spacing: options.spacing, batchSize: options.batchSize };
    const [silence, blur] = [await deletionInsertion(score, values, cls.attribution, refs.silence, curveOptions), await deletionInsertion(score, values, cls.attribution, refs.blur, curveOptions)];
    figures.push({
      patchIndex: patch.index,
      startSec: patch.startSec,
      classIndex: cls.classIndex,
      score: cls.score,
      deletionAuc: { silence: silence.deletionAuc, blur: blur.deletionAuc },
      insertionAuc: { silence: silence.insertionAuc, blur: blur.insertionAuc },
      curves: {
        fractions: Array.from(silence.fractions),
        deletion: { silence: silence.deletionCurve, blur: blur.deletionCurve },
        insertion: { silence: silence.insertionCurve, blur: blur.insertionCurve },
      },
      randomization: randomisedAttributions.map(({ layers, result }) => ({ layers, rankCorrelation: rankCorrelation(cls.attribution, result.classes[k].attribution) })),
      completenessError: cls.relError,
      evaluations: attribution.evaluations,
      ms,
    });
  }
  return { name: runner.method.name, attribution, figures };
}

/** Spearman ρ of an attribution with its randomised model's; a constant randomised attribution shares no ranking: 0. */
function rankCorrelation(original: Float32Array, randomised: Float32Array): number | null {
  const rho = spearman(original, randomised);
  if (rho !== null) return rho;
  return original.every((v) => v === original[0]) ? null : 0;
}
