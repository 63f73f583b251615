// Pipeline: a file or stream through decoding, the log-mel front-end and YAMNet, to per-patch classifications.
import type { Observable } from 'rxjs';
import type { YamnetModel } from '../src/model/yamnet.js';
import { classifyPatches } from '../src/operators/classifyPatches.js';
import { decodeAudio, type DecodeInput } from '../src/operators/decodeAudio.js';
import { logMelFrames } from '../src/operators/logMelFrames.js';
import { patches } from '../src/operators/patches.js';
import type { PatchClassification } from '../src/types.js';

/** Decodes `input` and classifies every patch of it with `model`, in order; file mode pads the end like a whole clip. */
export function classifyFile(input: DecodeInput, model: YamnetModel, batchSize = 8): Observable<PatchClassification> {
  return decodeAudio(input).pipe(logMelFrames(), patches(), classifyPatches(model, { batchSize }));
}
