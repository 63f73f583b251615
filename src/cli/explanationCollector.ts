// What explain's outputs are written from: the patches, frames and closed detections of a run's events, as they arrive.
import type { Detection, ExplainEvent, FrameAttribution, PatchAttribution } from '../types.js';

/** The records of one explained input, filled by {@link ExplanationCollector.onEvent}. */
export interface ExplanationCollector {
  readonly patches: PatchAttribution[];
  readonly frames: FrameAttribution[];
  /** Detections whose event has ended. */
  readonly detections: Detection[];
  /** Events opened and not yet closed, by class: what a stopped run names as still open. */
  readonly open: Map<number, Detection>;
  onEvent(event: ExplainEvent): void;
}

/** A collector; `onPatch` is told how many patches have arrived (for a progress bar). */
export function explanationCollector(onPatch?: (patches: number) => void): ExplanationCollector {
  const collected: ExplanationCollector = {
    patches: [],
    frames: [],
    detections: [],
    open: new Map(),
    onEvent(event) {
      if (event.kind === 'patch') {
        collected.patches.push(event.patch);
        onPatch?.(collected.patches.length);
      } else if (event.kind === 'frame') collected.frames.push(event.frame);
      else if (event.kind === 'detection' && event.state === 'start') collected.open.set(event.detection.classIndex, event.detection);
      else if (event.kind === 'detection' && event.state === 'end') {
        collected.open.delete(event.detection.classIndex);
        collected.detections.push(event.detection);
      }
    },
  };
  return collected;
}
