// Pipeline: a file or stream through decoding, the log-mel front-end and YAMNet, to per-patch classifications.
import { defer, type Observable } from 'rxjs';
import { classifyPatches } from '../src/operators/classifyPatches.js';
import { decodeAudio, type DecodeInput } from '../src/operators/decodeAudio.js';
import { flowGate } from '../src/operators/flowGate.js';
import { logMelFrames } from '../src/operators/logMelFrames.js';
import { patches } from '../src/operators/patches.js';
import type { ClassifierModel, PatchClassification } from '../src/types.js';

/**
 * Decodes `input` and classifies every patch of it with `model`, in order; file mode pads the end like a whole clip.
 * Decoding pauses while two batches of patches wait, so memory does not grow with the file's length.
 */
export function classifyFile(input: DecodeInput, model: ClassifierModel, batchSize = 8): Observable<PatchClassification> {
  const classify = classifyPatches(model, { batchSize });
  return defer(() => {
    // One gate per subscription. classifyPatches emits nothing until a batch is full, so the gate must let at least
    // `batchSize` wait; two batches keep the next one ready while the model runs.
    const gate = flowGate(2 * batchSize);
    return decodeAudio(input, { pauseWhile: gate.full }).pipe(logMelFrames(), patches(), gate.admit(), classify, gate.release());
  });
}
