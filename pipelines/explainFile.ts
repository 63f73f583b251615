// Pipeline: a file or stream through decoding, the front-end and attribution, to patch and per-frame events.
import { defer, type Observable } from 'rxjs';
import type { AttributionPool } from '../src/engine/workerPool/attributionPool.js';
import { attributePatches, waitingPatchLimit } from '../src/operators/attributePatches.js';
import { decodeAudio, type DecodeInput } from '../src/operators/decodeAudio.js';
import { flowGate } from '../src/operators/flowGate.js';
import { logMelFrames } from '../src/operators/logMelFrames.js';
import { patchEvents } from '../src/operators/patchEvents.js';
import { patches } from '../src/operators/patches.js';
import { withFrames } from '../src/operators/withFrames.js';
import type { ClassifierModel, AttributePatchesOptions, ExplainEvent } from '../src/types.js';

/**
 * Explains every patch of `input` (padded at the end like a whole clip, never dropping a patch) and emits each
 * patch's attribution followed by the frames it made final; the same numbers as running the stages on the whole
 * decoded waveform. Decoding pauses while a flowGate's worth of patches wait for attribution, so memory does not
 * grow with the file's length.
 */
export function explainFile(input: DecodeInput, model: ClassifierModel | AttributionPool, options: AttributePatchesOptions = {}): Observable<ExplainEvent> {
  const attribute = attributePatches(model, options);
  // One gate per subscription: its count belongs to one run.
  return defer(() => {
    const gate = flowGate(waitingPatchLimit(model));
    return decodeAudio(input, { pauseWhile: gate.full }).pipe(logMelFrames(), patches(), gate.admit(), attribute, gate.release(), patchEvents(), withFrames());
  });
}
