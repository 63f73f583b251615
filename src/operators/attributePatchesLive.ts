// RxJS operator for live audio: explains patches as they come (several at once on a pool), dropping the oldest waiting one when behind.
import { Observable, type OperatorFunction } from 'rxjs';
import { positiveIntegerOption } from '../attribution/validate.js';
import { AttributionPool } from '../engine/workerPool/attributionPool.js';
import type { AttributePatchesOptions, ClassifierModel, LiveOptions, Patch, PatchAttribution, PatchEvent } from '../types.js';
import { patchAttributor } from './patchAttributor.js';

/**
 * Like `attributePatches`, but never buffers without bound: while patches are explained (one with a model, one per
 * worker with an AttributionPool), at most `maxWaitingPatches` wait; a newer patch pushes out the oldest waiting one,
 * reported as a `drop` event. Patches come out in order, each followed by its `lag`: audio seconds between the newest
 * arrived patch and the one just finished. A slow consumer (see `whenConsumerReady`) holds the next patch back, so
 * it too causes reported drops. Unsubscribing starts nothing more, withdraws the patches a pool has not started,
 * and discards the results of those in flight (whose tensors the method frees).
 */
export function attributePatchesLive(
  modelOrPool: ClassifierModel | AttributionPool,
  options: AttributePatchesOptions = {},
  live: LiveOptions = {},
): OperatorFunction<Patch, PatchEvent> {
  const pool = modelOrPool instanceof AttributionPool ? modelOrPool : undefined;
  const attribute: (patch: Patch, signal: AbortSignal) => Promise<PatchAttribution> = pool?.attributor(options) ?? patchAttributor(modelOrPool as ClassifierModel, options);
  const concurrency = pool?.workers ?? 1;
  const maxWaiting = positiveIntegerOption('maxWaitingPatches', live.maxWaitingPatches, 1);
  const consumerReady = live.whenConsumerReady ?? (() => Promise.resolve());
  return (source) =>
    new Observable<PatchEvent>((subscriber) => {
      const waiting: Patch[] = [];
      // Finished patches by start number, held until every patch started before them is out.
      const finished = new Map<number, { result: PatchAttribution } | { error: unknown }>();
      const abort = new AbortController();
      let started = 0;
      let running = 0;
      let emitted = 0;
      let sourceEnd: { error: unknown } | 'complete' | undefined;
      let newestStartSec = 0;
      const flush = (): void => {
        for (let outcome = finished.get(emitted); outcome !== undefined && !subscriber.closed; outcome = finished.get(emitted)) {
          finished.delete(emitted++);
          if ('error' in outcome) return subscriber.error(outcome.error);
          const { result } = outcome;
          subscriber.next({ kind: 'patch', patch: result });
          subscriber.next({ kind: 'lag', index: result.index, lagSec: Math.max(0, Math.round((newestStartSec - result.startSec) * 1000) / 1000) });
        }
        startMore();
        // A source error waits until the waiting patches are explained: nothing that arrived complete is lost.
        if (subscriber.closed || sourceEnd === undefined || emitted < started || waiting.length > 0) return;
        if (sourceEnd === 'complete') subscriber.complete();
        else subscriber.error(sourceEnd.error);
      };
      const startMore = (): void => {
        while (running < concurrency && waiting.length > 0 && !subscriber.closed) {
          const patch = waiting.shift()!;
          const order = started++;
          running++;
          const settle = (outcome: { result: PatchAttribution } | { error: unknown }) => {
            running--;
            if (subscriber.closed) return;
            finished.set(order, outcome);
            flush();
          };
          consumerReady()
            .then(() => (subscriber.closed ? undefined : attribute(patch, abort.signal)))
            .then(
              (result) => (result === undefined ? (running--, undefined) : settle({ result })),
              (error: unknown) => settle({ error }),
            );
        }
      };
      const subscription = source.subscribe({
        next: (patch) => {
          newestStartSec = patch.startSec;
          waiting.push(patch);
          if (waiting.length > maxWaiting) {
            const dropped = waiting.shift()!;
            subscriber.next({ kind: 'drop', index: dropped.index, startSec: dropped.startSec });
          }
          startMore();
        },
        error: (error: unknown) => {
          sourceEnd = { error };
          flush();
        },
        complete: () => {
          sourceEnd = 'complete';
          flush();
        },
      });
      return () => {
        subscription.unsubscribe();
        waiting.length = 0;
        finished.clear();
        abort.abort();
      };
    });
}
