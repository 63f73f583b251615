// RxJS operator: patches in, the model's logits and sigmoid scores for each patch out, in order.
import { map, type OperatorFunction, pipe } from 'rxjs';
import type { ClassifyPatchesOptions, Patch, PatchClassification, PatchClassifier } from '../types.js';
import { scorePatches } from './scorePatches.js';

/** Classifies each {@link Patch} with `model`, emitting a {@link PatchClassification} per patch, in order (without the patch's log-mel values). */
export function classifyPatches(model: PatchClassifier, options: ClassifyPatchesOptions = {}): OperatorFunction<Patch, PatchClassification> {
  return pipe(
    scorePatches(model, options),
    map(({ index, startSec, scores, logits }) => ({ index, startSec, scores, logits })),
  );
}
