// Pipeline: a file or stream through decoding, the front-end and attribution, to patch and per-frame events.
import type { Observable } from 'rxjs';
import type { YamnetModel } from '../src/model/yamnet.js';
import { attributePatches } from '../src/operators/attributePatches.js';
import { decodeAudio, type DecodeInput } from '../src/operators/decodeAudio.js';
import { logMelFrames } from '../src/operators/logMelFrames.js';
import { patchEvents } from '../src/operators/patchEvents.js';
import { patches } from '../src/operators/patches.js';
import { withFrames } from '../src/operators/withFrames.js';
import type { AttributePatchesOptions, ExplainEvent } from '../src/types.js';

/**
 * Explains every patch of `input` (padded at the end like a whole clip, never dropping a patch) and emits each
 * patch's attribution followed by the frames it made final; the same numbers as running the stages on the whole
 * decoded waveform.
 */
export function explainFile(input: DecodeInput, model: YamnetModel, options: AttributePatchesOptions = {}): Observable<ExplainEvent> {
  return decodeAudio(input).pipe(logMelFrames(), patches(), attributePatches(model, options), patchEvents(), withFrames());
}
