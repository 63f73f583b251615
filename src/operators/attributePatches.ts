// RxJS operator: patches in, their attributions for the chosen classes out, one patch at a time, in order.
import * as tf from '@tensorflow/tfjs';
import { concatMap, dematerialize, from, map, materialize, of, type OperatorFunction, pipe } from 'rxjs';
import { blurIG } from '../attribution/blurIG.js';
import { vanillaGradient } from '../attribution/gradient.js';
import { gradientTimesInput } from '../attribution/gradientTimesInput.js';
import { integratedGradients } from '../attribution/integratedGradients.js';
import { choiceOption, positiveIntegerOption } from '../attribution/validate.js';
import { OptionError } from '../errors/index.js';
import { classIndices, classTarget } from '../model/classTarget.js';
import { topClasses } from '../model/topClasses.js';
import type { YamnetModel } from '../model/yamnet.js';
import type { AttributePatchesOptions, AttributionFunction, ExplainedFunction, Patch, PatchAttribution, PatchMethodName } from '../types.js';

const METHODS: Record<PatchMethodName, AttributionFunction<object>> = {
  'blur-ig': blurIG as AttributionFunction<object>,
  'integrated-gradients': integratedGradients as AttributionFunction<object>,
  gradient: vanillaGradient as AttributionFunction<object>,
  'gradient-x-input': gradientTimesInput as AttributionFunction<object>,
};

/** Explains each {@link Patch} with `model` and emits a {@link PatchAttribution}; options are checked here, not on subscribe. */
export function attributePatches(model: YamnetModel, options: AttributePatchesOptions = {}): OperatorFunction<Patch, PatchAttribution> {
  const attribute = patchAttributor(model, options);
  // A source error waits behind the patches already queued, so nothing that arrived complete is lost.
  return pipe(
    materialize(),
    concatMap((note) => (note.kind === 'N' ? from(attribute(note.value)).pipe(map((value) => ({ kind: 'N' as const, value }))) : of(note))),
    dematerialize(),
  );
}

/** Checks `options` once and returns the function that explains one patch (shared by the file and live operators). */
export function patchAttributor(model: YamnetModel, options: AttributePatchesOptions = {}): (patch: Patch) => Promise<PatchAttribution> {
  const methodName = choiceOption('method', options.method, Object.keys(METHODS) as PatchMethodName[], 'blur-ig');
  const output = choiceOption('output', options.output, ['logit', 'score'] as const, 'logit');
  const choice: unknown = options.classes ?? { topK: 1 };
  if (!Array.isArray(choice) && (typeof choice !== 'object' || choice === null)) {
    throw new OptionError('classes', '`{ topK: N }` or a list of class indices or names', choice);
  }
  const namedIndices = Array.isArray(choice) ? classIndices(model, choice) : undefined;
  const named = namedIndices && { indices: namedIndices, target: classTarget(model, namedIndices, { output }) };
  const topK = Array.isArray(choice) ? 0 : positiveIntegerOption('classes.topK', (choice as { topK?: unknown }).topK, 1);
  const method = METHODS[methodName];
  return (patch) => attributeOne(model, patch, method, named, topK, output, options.methodOptions ?? {});
}

async function attributeOne(
  model: YamnetModel,
  patch: Patch,
  method: AttributionFunction<object>,
  named: { indices: number[]; target: ExplainedFunction } | undefined,
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
async function patchScores(model: YamnetModel, patch: Patch): Promise<Float32Array> {
  const scores = tf.tidy(() => model.scores(tf.tensor3d(patch.logMel, [1, patch.frames, patch.bands]))); // [1, classes]
  try {
    return (await scores.data()) as Float32Array;
  } finally {
    scores.dispose();
  }
}
