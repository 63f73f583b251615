// Pipeline: an unbounded source (stdin, a device or lavfi input, a URL, a file read in real time) to live events.
import type { Observable } from 'rxjs';
import type { AttributionPool } from '../src/engine/workerPool/attributionPool.js';
import { attributePatchesLive } from '../src/operators/attributePatchesLive.js';
import { decodeAudio, type DecodeInput } from '../src/operators/decodeAudio.js';
import { logMelFrames } from '../src/operators/logMelFrames.js';
import { patches } from '../src/operators/patches.js';
import { withFrames } from '../src/operators/withFrames.js';
import type { ClassifierModel, AttributePatchesOptions, ExplainEvent, LiveOptions } from '../src/types.js';

/**
 * Explains live audio: patches as soon as their frames exist (no end padding), dropping the oldest waiting patch
 * when attribution falls behind (reported as `drop` events, with `lag` after each patch), frames in order. With an
 * AttributionPool, one patch per worker is explained at a time.
 */
export function explainLive(input: DecodeInput, model: ClassifierModel | AttributionPool, options: AttributePatchesOptions = {}, live: LiveOptions = {}): Observable<ExplainEvent> {
  return decodeAudio(input).pipe(logMelFrames({ padEnd: false }), patches(), attributePatchesLive(model, options, live), withFrames());
}
