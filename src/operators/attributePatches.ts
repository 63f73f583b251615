// RxJS operator: patches in, their attributions for the chosen classes out, in order; several at once on an AttributionPool.
import type { OperatorFunction } from 'rxjs';
import { AttributionPool } from '../engine/workerPool/attributionPool.js';
import type { AttributePatchesOptions, ClassifierModel, Patch, PatchAttribution } from '../types.js';
import { mapInOrder } from './mapInOrder.js';
import { patchAttributor } from './patchAttributor.js';

export { patchAttributor } from './patchAttributor.js';

/**
 * Explains each {@link Patch} and emits a {@link PatchAttribution}, in patch order; options are checked here, not on
 * subscribe. A model explains one patch at a time on this thread. A pool keeps two patches per worker in flight (one
 * running, one queued behind it, so no worker waits for the main thread) and holds back results that finish early.
 * Either way a source error waits behind the patches already queued, so nothing that arrived complete is lost.
 */
export function attributePatches(modelOrPool: ClassifierModel | AttributionPool, options: AttributePatchesOptions = {}): OperatorFunction<Patch, PatchAttribution> {
  return modelOrPool instanceof AttributionPool
    ? mapInOrder(modelOrPool.attributor(options), patchesInFlight(modelOrPool))
    : mapInOrder(patchAttributor(modelOrPool, options), 1);
}

/** How many patches {@link attributePatches} explains at once: 1 on a model, two per worker on a pool. */
export function patchesInFlight(modelOrPool: ClassifierModel | AttributionPool): number {
  return modelOrPool instanceof AttributionPool ? 2 * modelOrPool.workers : 1;
}

/**
 * How many patches may wait for attribution before decoding pauses: the flowGate default (8), or enough to keep
 * every patch in flight plus two queued, so a large pool never starves behind the gate.
 */
export function waitingPatchLimit(modelOrPool: ClassifierModel | AttributionPool): number {
  return Math.max(8, patchesInFlight(modelOrPool) + 2);
}
