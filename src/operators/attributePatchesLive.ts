// RxJS operator for live audio: explains patches one at a time, dropping the oldest waiting patch when it falls behind.
import { Observable, type OperatorFunction } from 'rxjs';
import { positiveIntegerOption } from '../attribution/validate.js';
import type { YamnetModel } from '../model/yamnet.js';
import type { AttributePatchesOptions, LiveOptions, Patch, PatchEvent } from '../types.js';
import { patchAttributor } from './attributePatches.js';

/**
 * Like `attributePatches`, but never buffers without bound: at most `maxWaitingPatches` wait while one is explained;
 * a newer patch pushes out the oldest waiting one, reported as a `drop` event. After each patch it reports the
 * `lag`: audio seconds between the newest arrived patch and the one just finished. A slow consumer (see
 * `whenConsumerReady`) holds the next patch back, so it too causes reported drops. Unsubscribing stops after the
 * patch in flight (whose tensors the method frees) and discards its result.
 */
export function attributePatchesLive(model: YamnetModel, options: AttributePatchesOptions = {}, live: LiveOptions = {}): OperatorFunction<Patch, PatchEvent> {
  const attribute = patchAttributor(model, options);
  const maxWaiting = positiveIntegerOption('maxWaitingPatches', live.maxWaitingPatches, 1);
  const consumerReady = live.whenConsumerReady ?? (() => Promise.resolve());
  return (source) =>
    new Observable<PatchEvent>((subscriber) => {
      const waiting: Patch[] = [];
      let busy = false;
      let sourceDone = false;
      let sourceError: { error: unknown } | undefined;
      let newestStartSec = 0;
      const next = (): void => {
        const patch = waiting.shift();
        if (patch === undefined) {
          busy = false;
          if (sourceError) subscriber.error(sourceError.error);
          else if (sourceDone) subscriber.complete();
          return;
        }
        busy = true;
        consumerReady()
          .then(() => (subscriber.closed ? undefined : attribute(patch)))
          .then(
          (result) => {
            if (result === undefined || subscriber.closed) return;
            subscriber.next({ kind: 'patch', patch: result });
            subscriber.next({ kind: 'lag', index: result.index, lagSec: Math.max(0, Math.round((newestStartSec - result.startSec) * 1000) / 1000) });
            next();
          },
          (error: unknown) => subscriber.error(error),
        );
      };
      const subscription = source.subscribe({
        next: (patch) => {
          newestStartSec = patch.startSec;
          waiting.push(patch);
          if (waiting.length > maxWaiting) {
            const dropped = waiting.shift()!;
            subscriber.next({ kind: 'drop', index: dropped.index, startSec: dropped.startSec });
          }
          if (!busy) next();
        },
        // A source error waits until the waiting patches are explained: nothing that arrived complete is lost.
        error: (error: unknown) => {
          sourceError = { error };
          if (!busy) subscriber.error(error);
        },
        complete: () => {
          sourceDone = true;
          if (!busy) subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        waiting.length = 0;
      };
    });
}
