// RxJS operator: wraps patch attributions as `patch` events, the form withFrames and the exporters take.
import { map, type OperatorFunction } from 'rxjs';
import type { PatchAttribution, PatchEvent } from '../types.js';

/** `{ kind: 'patch', patch }` for every patch attribution. */
export function patchEvents(): OperatorFunction<PatchAttribution, PatchEvent> {
  return map((patch) => ({ kind: 'patch', patch }));
}
