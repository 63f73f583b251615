// Pipeline: a file or stream through decoding, the front-end, scoring, class choice and attribution, to patch, frame and detection events.
import { defer, type Observable, tap } from 'rxjs';
import type { AttributionPool } from '../src/engine/workerPool/attributionPool.js';
import { attributePatches, waitingPatchLimit } from '../src/operators/attributePatches.js';
import { chooseClasses, classChoiceLookahead } from '../src/operators/chooseClasses.js';
import { decodeAudio, type DecodeInput } from '../src/operators/decodeAudio.js';
import { flowGate } from '../src/operators/flowGate.js';
import { logMelFrames } from '../src/operators/logMelFrames.js';
import { patchEvents } from '../src/operators/patchEvents.js';
import { patches } from '../src/operators/patches.js';
import { scorePatches } from '../src/operators/scorePatches.js';
import { withDetections } from '../src/operators/withDetections.js';
import { withFrames } from '../src/operators/withFrames.js';
import type { AttributePatchesOptions, ClassifierModel, ExplainEvent, PipelineHooks } from '../src/types.js';

/** Patches scored per model call in file mode: a full batch costs about what one patch does on the forward pass. */
const SCORE_BATCH = 8;

/**
 * Explains `input` (padded at the end like a whole clip, never dropping a patch): scores every patch, chooses the
 * classes to explain in each (by default the detected classes in the patches their events cover), explains them,
 * and emits each patch's attribution followed by the frames it made final, with detections as they open and close.
 * The same numbers as running the stages on the whole decoded waveform. Decoding pauses while a flowGate's worth of
 * patches wait, so memory does not grow with the file's length.
 */
export function explainFile(input: DecodeInput, model: ClassifierModel | AttributionPool, options: AttributePatchesOptions = {}, hooks: PipelineHooks = {}): Observable<ExplainEvent> {
  const choice = options.classes ?? 'detected';
  const attribute = attributePatches(model, { ...options, classes: choice });
  const choose = chooseClasses(model.classNames, choice, options.detector);
  const detections = withDetections(model.classNames, options.detector);
  // The gate must let a scoring batch and the class-choice lookahead wait besides the patches in flight.
  const limit = waitingPatchLimit(model) + SCORE_BATCH + classChoiceLookahead(model.classNames.length, choice, options.detector);
  return defer(() => {
    const gate = flowGate(limit); // one gate per subscription: its count belongs to one run
    const scored = decodeAudio(input, { pauseWhile: gate.full, onDurationSec: hooks.onDurationSec }).pipe(
      tap((samples) => hooks.onSamples?.(samples)),
      logMelFrames(),
      patches(),
      gate.admit(),
      scorePatches(model, { batchSize: SCORE_BATCH }),
    );
    return scored.pipe(choose, attribute, gate.release(), patchEvents(), withFrames(), detections);
  });
}
