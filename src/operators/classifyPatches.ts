// RxJS operator: patches in, the model's logits and sigmoid scores for each patch out, in order.
import { bufferCount, concatMap, from, type OperatorFunction, pipe } from 'rxjs';
import { OptionError } from '../errors/index.js';
import type { ClassifierModel, ClassifyPatchesOptions, Patch, PatchClassification } from '../types.js';

/** Classifies each {@link Patch} with `model`, emitting a {@link PatchClassification} per patch, in order. */
export function classifyPatches(
  model: ClassifierModel,
  options: ClassifyPatchesOptions = {},
): OperatorFunction<Patch, PatchClassification> {
  const batchSize = options.batchSize ?? 1;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new OptionError('batchSize', 'a positive integer', batchSize);
  return pipe(
    bufferCount(batchSize),
    concatMap((batch) => from(classifyBatch(model, batch)).pipe(concatMap((records) => records))),
  );
}

async function classifyBatch(model: ClassifierModel, batch: Patch[]): Promise<PatchClassification[]> {
  const [frames, bands] = model.inputShape;
  const values = new Float32Array(batch.length * frames * bands);
  batch.forEach((patch, b) => values.set(patch.logMel, b * frames * bands));
  const flat = await model.logitsOf(values, batch.length); // [B × classes]
  const classes = flat.length / batch.length;
  return batch.map((patch, b) => {
    const patchLogits = flat.slice(b * classes, (b + 1) * classes);
    return {
      index: patch.index,
      startSec: patch.startSec,
      logits: patchLogits,
      scores: patchLogits.map((z) => 1 / (1 + Math.exp(-z))),
    };
  });
}
