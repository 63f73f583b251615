// RxJS operator for live audio: explains patches as they come (several at once on a pool), dropping the oldest waiting one when behind.
import { concatMap, type OperatorFunction, tap } from 'rxjs';
import { positiveIntegerOption } from '../attribution/validate.js';
import { AttributionPool } from '../engine/workerPool/attributionPool.js';
import type { AttributePatchesOptions, ClassifierModel, DropEvent, LiveOptions, Patch, PatchAttribution, PatchEvent, ScoredPatch } from '../types.js';
import { mapInOrder } from './mapInOrder.js';
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
  const maxWaiting = positiveIntegerOption('maxWaitingPatches', live.maxWaitingPatches, 1);
  const consumerReady = live.whenConsumerReady ?? (() => Promise.resolve());
  type Outcome = { kind: 'done'; patch: PatchAttribution } | DropEvent;
  const explain = async (patch: Patch, signal: AbortSignal): Promise<Outcome> => {
    await consumerReady();
    signal.throwIfAborted();
    return { kind: 'done', patch: await attribute(patch, signal) };
  };
  return (source) => {
    let newestStartSec = 0;
    return source.pipe(
      tap((patch) => (newestStartSec = patch.startSec)),
      mapInOrder(explain, pool?.workers ?? 1, { maxWaiting, dropped: (p): Outcome => ({ kind: 'drop', index: p.index, startSec: p.startSec, scores: 'scores' in p ? (p as ScoredPatch).scores : undefined }) }),
      concatMap((outcome): PatchEvent[] =>
        outcome.kind === 'drop'
          ? [outcome]
          : [
              { kind: 'patch', patch: outcome.patch },
              { kind: 'lag', index: outcome.patch.index, lagSec: Math.max(0, Math.round((newestStartSec - outcome.patch.startSec) * 1000) / 1000) },
            ],
      ),
    );
  };
}
