// Pipeline: a file through decoding, the front-end, scoring and class choice, to every method's evaluation of each patch.
import { defer, type Observable } from 'rxjs';
import { chooseClasses, classChoiceLookahead } from '../src/operators/chooseClasses.js';
import { decodeAudio, type DecodeInput } from '../src/operators/decodeAudio.js';
import { evaluatePatches, evaluationSettings, type PatchEvaluation } from '../src/operators/evaluatePatches.js';
import { flowGate } from '../src/operators/flowGate.js';
import { logMelFrames } from '../src/operators/logMelFrames.js';
import { patches } from '../src/operators/patches.js';
import { scorePatches } from '../src/operators/scorePatches.js';
import type { ClassifierModel, EvaluatedMethod, EvaluateOptions, PipelineHooks } from '../src/types.js';

/** Patches scored per model call, as explainFile scores them. */
const SCORE_BATCH = 8;

/**
 * Evaluates `methods` on `input`: each patch is scored, given its classes (by default the detected ones, in the
 * patches their events cover), then explained and measured by every method in turn. Emits one
 * {@link PatchEvaluation} per patch, in order; `summariseEvaluation` turns them into the report.
 */
export function evaluateFile(input: DecodeInput, model: ClassifierModel, methods: readonly EvaluatedMethod[], options: EvaluateOptions = {}, hooks: PipelineHooks = {}): Observable<PatchEvaluation> {
  const choice = options.classes ?? 'detected';
  const choose = chooseClasses(model.classNames, choice, options.detector);
  const evaluate = evaluatePatches(model, methods, evaluationSettings(options));
  const limit = 2 + SCORE_BATCH + classChoiceLookahead(model.classNames.length, choice, options.detector);
  return defer(() => {
    const gate = flowGate(limit);
    return decodeAudio(input, { pauseWhile: gate.full, onDurationSec: hooks.onDurationSec }).pipe(logMelFrames(), patches(), gate.admit(), scorePatches(model, { batchSize: SCORE_BATCH }), choose, evaluate, gate.release());
  });
}
