// RxJS operator: patch attributions in, each patch's event followed by the frame events it made final.
import { connect, map, merge, type OperatorFunction } from 'rxjs';
import type { ExplainEvent, PatchAttribution } from '../types.js';
import { mergeFrames } from './mergeFrames.js';

/** Emits `{ kind: 'patch' }` for every patch and, right after it, `{ kind: 'frame' }` for the frames it completed. */
export function withFrames(): OperatorFunction<PatchAttribution, ExplainEvent> {
  return connect((shared) =>
    merge(
      shared.pipe(map((patch): ExplainEvent => ({ kind: 'patch', patch }))),
      shared.pipe(mergeFrames(), map((frame): ExplainEvent => ({ kind: 'frame', frame }))),
    ),
  );
}
