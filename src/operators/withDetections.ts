// RxJS operator: explain events in, the same events plus detections (start, then end with its evidence) out.
import { Observable, type OperatorFunction } from 'rxjs';
import { type DetectorDecision, EventDetector } from '../detect/eventDetector.js';
import { evidenceExtent } from '../detect/evidenceExtent.js';
import { type DetectedSpan, type Detection, type DetectorOptions, type ExplainEvent, YAMNET_FRONT_END } from '../types.js';

const { patchHopFrames, patchFrames } = YAMNET_FRONT_END;

/** A detector span as a {@link Detection} record, with the class's name and (once known) its evidence. */
export function detectionOf(span: DetectedSpan, classNames: readonly string[], evidence: Detection['evidence']): Detection {
  const { classIndex, startSec, endSec, peakScore, peakSec } = span;
  return { classIndex, name: classNames[classIndex], startSec, endSec, peakScore, peakSec, evidence };
}

/**
 * Passes every event on and adds `detection` events: `start` as soon as an event is certain (from the patch scores,
 * with the same detector as `chooseClasses`, so the classes explained and the events reported agree), and `end`
 * once the event has closed and every frame it covers is final, with its `evidence`: the shortest run of frames
 * holding 90 % of the class's positive attribution within the event's frames. Drop events count as patches (their
 * scores if they carry them, else as silence), so a live stream's detections see every patch. Holds only the
 * frames recent or open events may still need.
 */
export function withDetections(classNames: readonly string[], detector: DetectorOptions = {}): OperatorFunction<ExplainEvent, ExplainEvent> {
  new EventDetector(classNames.length, detector); // checks the options now, not on subscribe
  return (source) =>
    new Observable<ExplainEvent>((subscriber) => {
      const events = new EventDetector(classNames.length, detector);
      /** Per class: positive attribution mass per frame, for the frames a detection may still need. */
      const mass = new Map<number, Map<number, number>>();
      /** Events started and not yet reported as ended, by `class:firstPatch`; and ended ones waiting for frames. */
      const started = new Map<string, DetectedSpan>();
      let ended: DetectedSpan[] = [];
      let latestPatch = -1;
      let latestFrame = -1;

      const take = (decisions: readonly DetectorDecision[]): void => {
        for (const decision of decisions) {
          if (decision.kind === 'start') {
            started.set(`${decision.span.classIndex}:${decision.span.firstPatch}`, decision.span);
            subscriber.next({ kind: 'detection', state: 'start', detection: detectionOf(decision.span, classNames, null) });
          } else if (decision.kind === 'end') ended.push(decision.span);
        }
      };
      const report = (all: boolean): void => {
        const waiting: DetectedSpan[] = [];
        for (const span of ended) {
          // Every frame of the last patch is final once the patch after it has made its first half final.
          const lastFrame = span.lastPatch * patchHopFrames + patchFrames - 1;
          if (!all && latestFrame < lastFrame && latestPatch < span.lastPatch + 2) {
            waiting.push(span);
            continue;
          }
          started.delete(`${span.classIndex}:${span.firstPatch}`);
          const firstFrame = span.firstPatch * patchHopFrames;
          const byFrame = mass.get(span.classIndex);
          const frameMass = Float64Array.from({ length: lastFrame - firstFrame + 1 }, (_, i) => byFrame?.get(firstFrame + i) ?? 0);
          subscriber.next({ kind: 'detection', state: 'end', detection: detectionOf(span, classNames, evidenceExtent(frameMass, firstFrame)) });
        }
        ended = waiting;
      };
      const prune = (): void => {
        // An event not yet started began within the last `lookaheadPatches` + 1 patches; started ones say where.
        let keepFrom = (latestPatch - events.lookaheadPatches - 1) * patchHopFrames;
        for (const span of started.values()) keepFrom = Math.min(keepFrom, span.firstPatch * patchHopFrames);
        for (const byFrame of mass.values()) for (const frame of byFrame.keys()) if (frame < keepFrom) byFrame.delete(frame);
      };
      const pushPatch = (index: number, scores: Float32Array | undefined): void => {
        latestPatch = index;
        take(events.push(scores ?? new Float32Array(classNames.length)));
        report(false);
        prune();
      };

      return source.subscribe({
        next: (event) => {
          subscriber.next(event);
          if (event.kind === 'patch') pushPatch(event.patch.index, event.patch.scores);
          else if (event.kind === 'drop') pushPatch(event.index, event.scores);
          else if (event.kind === 'frame') {
            latestFrame = event.frame.index;
            for (const c of event.frame.classes) {
              let positive = 0;
              for (const a of c.attribution) if (a > 0) positive += a;
              let byFrame = mass.get(c.classIndex);
              if (byFrame === undefined) mass.set(c.classIndex, (byFrame = new Map()));
              byFrame.set(event.frame.index, positive);
            }
            report(false);
          }
        },
        // An error ends the stream where it is: events still open close there, with the evidence of the final frames.
        error: (error: unknown) => {
          take(events.finish());
          report(true);
          subscriber.error(error);
        },
        complete: () => {
          take(events.finish());
          report(true);
          subscriber.complete();
        },
      });
    });
}
