// RxJS operator: patches in, the same patches with every class's logit and sigmoid score out, in order.
import { Observable, type OperatorFunction } from 'rxjs';
import { positiveIntegerOption } from '../attribution/validate.js';
import type { ClassifyPatchesOptions, Patch, PatchClassifier, ScoredPatch } from '../types.js';

/**
 * Runs `classifier` on each {@link Patch} (in batches of `batchSize`) and emits it as a {@link ScoredPatch}, in
 * order: the forward pass that detection and class choice need before attribution. A partial last batch is scored
 * when the source ends, and a source error waits behind it, so no patch that arrived complete is lost (`bufferCount`
 * would drop it).
 */
export function scorePatches(classifier: PatchClassifier, options: ClassifyPatchesOptions = {}): OperatorFunction<Patch, ScoredPatch> {
  const batchSize = positiveIntegerOption('batchSize', options.batchSize, 1);
  return (source) =>
    new Observable<ScoredPatch>((subscriber) => {
      let batch: Patch[] = [];
      let queue: Promise<void> = Promise.resolve(); // batches are scored one after another, in order
      const score = (patches: Patch[]): void => {
        queue = queue.then(async () => {
          if (subscriber.closed || patches.length === 0) return;
          for (const patch of await scoreBatch(classifier, patches)) subscriber.next(patch);
        });
        queue.catch((error: unknown) => subscriber.error(error));
      };
      const end = (finish: () => void): void => {
        score(batch);
        batch = [];
        queue.then(finish, () => undefined);
      };
      const subscription = source.subscribe({
        next: (patch) => {
          batch.push(patch);
          if (batch.length === batchSize) {
            score(batch);
            batch = [];
          }
        },
        error: (error: unknown) => end(() => subscriber.error(error)),
        complete: () => end(() => subscriber.complete()),
      });
      return () => {
        subscription.unsubscribe();
        batch = [];
      };
    });
}

async function scoreBatch(classifier: PatchClassifier, batch: Patch[]): Promise<ScoredPatch[]> {
  const [frames, bands] = classifier.inputShape;
  const values = new Float32Array(batch.length * frames * bands);
  batch.forEach((patch, b) => values.set(patch.logMel, b * frames * bands));
  const flat = await classifier.logitsOf(values, batch.length); // [B × classes]
  const classes = flat.length / batch.length;
  return batch.map((patch, b) => {
    const logits = flat.slice(b * classes, (b + 1) * classes);
    return { ...patch, logits, scores: logits.map((z) => 1 / (1 + Math.exp(-z))) };
  });
}
