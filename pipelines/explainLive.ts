// Pipeline: an unbounded source (stdin, a device or lavfi input, a URL, a file read in real time) to live events.
import { type Observable, tap } from 'rxjs';
import type { AttributionPool } from '../src/engine/workerPool/attributionPool.js';
import { attributePatchesLive } from '../src/operators/attributePatchesLive.js';
import { chooseClasses } from '../src/operators/chooseClasses.js';
import { decodeAudio, type DecodeInput } from '../src/operators/decodeAudio.js';
import { logMelFrames } from '../src/operators/logMelFrames.js';
import { patches } from '../src/operators/patches.js';
import { scorePatches } from '../src/operators/scorePatches.js';
import { withDetections } from '../src/operators/withDetections.js';
import { withFrames } from '../src/operators/withFrames.js';
import type { ClassifierModel, AttributePatchesOptions, ExplainEvent, LiveOptions, PipelineHooks } from '../src/types.js';

/**
 * Explains live audio: each patch is scored as soon as its frames exist (no end padding), its classes chosen (by
 * default the detected ones, which waits the detector's lookahead), and explained, dropping the oldest waiting patch
 * when attribution falls behind (reported as `drop` events, with `lag` after each patch); frames in order, and
 * detections as they open and close. With an AttributionPool, one patch per worker is explained at a time.
 */
export function explainLive(
  input: DecodeInput,
  model: ClassifierModel | AttributionPool,
  options: AttributePatchesOptions = {},
  live: LiveOptions = {},
  hooks: PipelineHooks = {},
): Observable<ExplainEvent> {
  const choice = options.classes ?? 'detected';
  return decodeAudio(input, { live: true }).pipe(
    tap((samples) => hooks.onSamples?.(samples)),
    logMelFrames({ padEnd: false }),
    patches(),
    scorePatches(model, { batchSize: 1 }),
    chooseClasses(model.classNames, choice, options.detector),
    attributePatchesLive(model, { ...options, classes: choice }, live),
    withFrames(),
    withDetections(model.classNames, options.detector),
  );
}
