// The function that explains one patch with a model, and its option checks: shared by both attribution operators and the worker pool.
import { blurIG } from '../attribution/blurIG.js';
import { vanillaGradient } from '../attribution/gradient.js';
import { gradientTimesInput } from '../attribution/gradientTimesInput.js';
import { integratedGradients } from '../attribution/integratedGradients.js';
import { choiceOption, positiveIntegerOption } from '../attribution/validate.js';
import { OptionError } from '../errors/index.js';
import { classIndices, classTarget } from '../model/classTarget.js';
import { topClasses } from '../model/topClasses.js';
import type { AttributePatchesOptions, AttributionFunction, ClassifierModel, Explainable, Patch, PatchAttribution, PatchMethodName } from '../types.js';

const METHODS: Record<PatchMethodName, AttributionFunction<object>> = {
  'blur-ig': blurIG as AttributionFunction<object>,
  'integrated-gradients': integratedGradients as AttributionFunction<object>,
  gradient: vanillaGradient as AttributionFunction<object>,
  'gradient-x-input': gradientTimesInput as AttributionFunction<object>,
};

/** {@link AttributePatchesOptions} once checked, with defaults filled in and named classes turned into indices. */
export interface CheckedPatchOptions {
  readonly method: PatchMethodName;
  readonly output: 'logit' | 'score';
  /** Indices of the named classes, or undefined to explain each patch's `topK`. */
  readonly namedIndices: readonly number[] | undefined;
  /** Top classes per patch (0 when classes are named). */
  readonly topK: number;
}

/**
 * Checks `options` against the class names alone, throwing the OptionError a bad value deserves; needs no model, so
 * an AttributionPool runs the same checks on the main thread before any worker sees the options.
 */
export function checkPatchOptions(model: Pick<ClassifierModel, 'classNames'>, options: AttributePatchesOptions = {}): CheckedPatchOptions {
  const method = choiceOption('method', options.method, Object.keys(METHODS) as PatchMethodName[], 'blur-ig');
  const output = choiceOption('output', options.output, ['logit', 'score'] as const, 'logit');
  const choice: unknown = options.classes ?? { topK: 1 };
  if (!Array.isArray(choice) && (typeof choice !== 'object' || choice === null)) {
    throw new OptionError('classes', '`{ topK: N }` or a list of class indices or names', choice);
  }
  const namedIndices = Array.isArray(choice) ? classIndices(model, choice) : undefined;
  const topK = Array.isArray(choice) ? 0 : positiveIntegerOption('classes.topK', (choice as { topK?: unknown }).topK, 1);
  return { method, output, namedIndices, topK };
}

/** Checks `options` once and returns the function that explains one patch (shared by the file and live operators). */
export function patchAttributor(model: ClassifierModel, options: AttributePatchesOptions = {}): (patch: Patch) => Promise<PatchAttribution> {
  const { method, output, namedIndices, topK } = checkPatchOptions(model, options);
  const named = namedIndices && { indices: [...namedIndices], target: classTarget(model, [...namedIndices], { output }) };
  return (patch) => attributeOne(model, patch, METHODS[method], named, topK, output, options.methodOptions ?? {});
}

async function attributeOne(
  model: ClassifierModel,
  patch: Patch,
  method: AttributionFunction<object>,
  named: { indices: number[]; target: Explainable } | undefined,
  topK: number,
  output: 'logit' | 'score',
  methodOptions: object,
): Promise<PatchAttribution> {
  // Named classes need no extra forward pass: the method's F(x) is the logit (or the score itself).
  const scores = named === undefined ? await patchScores(model, patch) : undefined;
  const indices = named?.indices ?? topClasses(scores!, model.classNames, topK).map((c) => c.index);
  const target = named?.target ?? classTarget(model, indices, { output });
  const result = await method(target, patch, methodOptions);
  const scoreOf = (k: number, fInput: number): number =>
    scores !== undefined ? scores[indices[k]] : output === 'score' ? fInput : 1 / (1 + Math.exp(-fInput));
  return {
    index: patch.index,
    startSec: patch.startSec,
    startFrame: patch.startFrame,
    frames: patch.frames,
    bands: patch.bands,
    logMel: patch.logMel,
    method: result.method,
    evaluations: result.evaluations,
    classes: result.outputs.map((o, k) => ({
      classIndex: indices[k],
      score: scoreOf(k, o.completeness.fInput),
      logit: o.completeness.fInput,
      baselineLogit: o.completeness.fBaseline,
      attributionSum: o.completeness.attributionSum,
      relError: o.completeness.relError,
      attribution: o.attribution,
      scale: o.scale,
    })),
  };
}

/** Sigmoid scores of every class for one patch. */
async function patchScores(model: ClassifierModel, patch: Patch): Promise<Float32Array> {
  return (await model.logitsOf(patch.logMel, 1)).map((z) => 1 / (1 + Math.exp(-z)));
}
