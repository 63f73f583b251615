// The function that explains one patch with a model, and its option checks: shared by both attribution operators and the worker pool.
import { blurIG, blurIGWithIdgi } from '../attribution/blurIG.js';
import { expectedGradients } from '../attribution/expectedGradients.js';
import { gradCam } from '../attribution/gradCam.js';
import { guidedIG } from '../attribution/guidedIG.js';
import { idgi } from '../attribution/idgi.js';
import { occlusion } from '../attribution/occlusion.js';
import { randomAttribution } from '../attribution/randomAttribution.js';
import { vanillaGradient } from '../attribution/gradient.js';
import { gradientTimesInput } from '../attribution/gradientTimesInput.js';
import { integratedGradients } from '../attribution/integratedGradients.js';
import { choiceOption, positiveIntegerOption } from '../attribution/validate.js';
import { OptionError } from '../errors/index.js';
import { classIndices, classTarget } from '../model/classTarget.js';
import { topClasses } from '../model/topClasses.js';
import { type AttributePatchesOptions, type AttributionFunction, type ClassifierModel, DEFAULT_PATCH_METHOD, type Patch, type PatchAttribution, type PatchMethodName, type ScoredPatch } from '../types.js';

// Grad-CAM reads the model's feature maps, not a function of the input: it is called apart, below.
const METHODS: Record<Exclude<PatchMethodName, 'grad-cam'>, AttributionFunction<object>> = {
  'blur-ig': blurIG as AttributionFunction<object>,
  'integrated-gradients': integratedGradients as AttributionFunction<object>,
  gradient: vanillaGradient as AttributionFunction<object>,
  'gradient-x-input': gradientTimesInput as AttributionFunction<object>,
  'blur-ig+idgi': blurIGWithIdgi as AttributionFunction<object>,
  'guided-ig': guidedIG as AttributionFunction<object>,
  'guided-ig+idgi': ((f, x, options) => guidedIG(f, x, { ...options, idgi: true })) as AttributionFunction<object>,
  idgi: idgi as AttributionFunction<object>,
  occlusion: occlusion as AttributionFunction<object>,
  'expected-gradients': expectedGradients as AttributionFunction<object>,
  random: randomAttribution as AttributionFunction<object>,
};

/** {@link AttributePatchesOptions} once checked, with defaults filled in and named classes turned into indices. */
export interface CheckedPatchOptions {
  readonly method: PatchMethodName;
  readonly output: 'logit' | 'score';
  /** Indices of the named classes, or undefined to explain each patch's `topK`. */
  readonly namedIndices: readonly number[] | undefined;
  /** Top classes per patch (0 when classes are named, or `'detected'`: chosen upstream per patch). */
  readonly topK: number;
}

/**
 * Checks `options` against the class names alone, throwing the OptionError a bad value deserves; needs no model, so
 * an AttributionPool runs the same checks on the main thread before any worker sees the options.
 */
export function checkPatchOptions(model: Pick<ClassifierModel, 'classNames'>, options: AttributePatchesOptions = {}): CheckedPatchOptions {
  const method = choiceOption('method', options.method, [...Object.keys(METHODS), 'grad-cam'] as PatchMethodName[], DEFAULT_PATCH_METHOD);
  const output = choiceOption('output', options.output, ['logit', 'score'] as const, 'score');
  const choice: unknown = options.classes ?? { topK: 1 };
  // 'detected' is decided upstream (chooseClasses), which gives every patch its `explain` list.
  if (choice === 'detected') return { method, output, namedIndices: undefined, topK: 0 };
  if (!Array.isArray(choice) && (typeof choice !== 'object' || choice === null)) {
    throw new OptionError('classes', "`'detected'`, `{ topK: N }` or a list of class indices or names", choice);
  }
  const namedIndices = Array.isArray(choice) ? classIndices(model, choice) : undefined;
  const topK = Array.isArray(choice) ? 0 : positiveIntegerOption('classes.topK', (choice as { topK?: unknown }).topK, 1, model.classNames.length);
  return { method, output, namedIndices, topK };
}

/**
 * Checks `options` once and returns the function that explains one patch (shared by the file and live operators).
 * A {@link ScoredPatch} brings its scores (no forward pass here) and may name its own classes in `explain`.
 */
export function patchAttributor(model: ClassifierModel, options: AttributePatchesOptions = {}): (patch: Patch | ScoredPatch) => Promise<PatchAttribution> {
  const { method, output, namedIndices, topK } = checkPatchOptions(model, options);
  const named = namedIndices && { indices: [...namedIndices], target: classTarget(model, [...namedIndices], { output }) };
  const methodOptions = options.methodOptions ?? {};
  return async (patch) => {
    const logits = 'logits' in patch ? patch.logits : await model.logitsOf(patch.logMel, 1);
    const scores = 'scores' in patch ? patch.scores : logits.map(sigmoid);
    const explain = 'explain' in patch ? patch.explain : undefined;
    // The pipelines hand named classes over as `explain` lists too: keep the target built once for them.
    const chosen = explain === undefined || (named !== undefined && sameIndices(explain, named.indices)) ? named : { indices: [...explain], target: undefined };
    if (chosen === undefined && topK === 0) throw new OptionError('classes', "patches with `explain` lists (run `chooseClasses` first) for `'detected'`", options.classes);
    const indices = chosen?.indices ?? topClasses(scores, model.classNames, topK).map((c) => c.index);
    const record = { index: patch.index, startSec: patch.startSec, startFrame: patch.startFrame, frames: patch.frames, bands: patch.bands, logMel: patch.logMel };
    if (indices.length === 0) return { ...record, method, output, scores, evaluations: 0, classes: [] };
    const target = chosen?.target ?? classTarget(model, indices, { output });
    const result = method === 'grad-cam' ? await gradCam(model, patch, indices, { output }) : await METHODS[method](target, patch, methodOptions);
    return {
      ...record,
      method: result.method,
      output,
      scores,
      evaluations: result.evaluations,
      classes: result.outputs.map((o, k) => ({
        classIndex: indices[k],
        score: scores[indices[k]],
        logit: logits[indices[k]],
        value: o.completeness.fInput,
        baselineValue: o.completeness.fBaseline,
        attributionSum: o.completeness.attributionSum,
        relError: o.completeness.relError,
        attribution: o.attribution,
        scale: o.scale,
      })),
    };
  };
}

function sameIndices(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((index, k) => index === b[k]);
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}
