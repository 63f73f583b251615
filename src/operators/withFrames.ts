// RxJS operator: patch events in, the same events plus, right after each patch, the frame events it made final.
import { connect, filter, map, merge, type OperatorFunction } from 'rxjs';
import type { ExplainEvent, PatchAttribution, PatchEvent } from '../types.js';
import { mergeFrames } from './mergeFrames.js';

/** Passes every event on and adds `{ kind: 'frame' }` events from the patches (drops and lag pass through). */
export function withFrames(): OperatorFunction<PatchEvent, ExplainEvent> {
  return connect((shared) =>
    merge(
      shared,
      shared.pipe(
        filter((event): event is { kind: 'patch'; patch: PatchAttribution } => event.kind === 'patch'),
        map((event) => event.patch),
        mergeFrames(),
        map((frame): ExplainEvent => ({ kind: 'frame', frame })),
      ),
    ),
  );
}
