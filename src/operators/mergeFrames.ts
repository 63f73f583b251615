// RxJS operator: patch attributions in, per-frame attributions out (mean over covering patches), each once when final.
import { type OperatorFunction, Observable } from 'rxjs';
import { frameTimeSec } from '../audio/framing.js';
import { type FrameAttribution, type FrameClassAttribution, type PatchAttribution, YAMNET_FRONT_END } from '../types.js';

const { patchFrames, patchHopFrames } = YAMNET_FRONT_END;

/** One covering patch and the row of it that holds the frame. */
type Cover = { readonly patch: PatchAttribution; readonly row: number };
type Sums = { sum: Float64Array; patches: number[]; scores: number[]; relErrors: number[] };

/** Builds frame `index` from its covering patches: per class (first-seen order), the mean over those that explained it. */
function mergeFrame(index: number, covers: readonly Cover[]): FrameAttribution {
  const { patch: first, row: firstRow } = covers[0];
  const bands = first.bands;
  const byClass = new Map<number, Sums>();
  for (const { patch, row } of covers) {
    for (const c of patch.classes) {
      let entry = byClass.get(c.classIndex);
      if (!entry) byClass.set(c.classIndex, (entry = { sum: new Float64Array(bands), patches: [], scores: [], relErrors: [] }));
      for (let band = 0; band < bands; band++) entry.sum[band] += c.attribution[row * bands + band];
      entry.patches.push(patch.index);
      entry.scores.push(c.score);
      entry.relErrors.push(c.relError);
    }
  }
  const classes = [...byClass].map(
    ([classIndex, { sum, patches, scores, relErrors }]): FrameClassAttribution => ({
      classIndex,
      attribution: Float32Array.from(sum, (value) => value / patches.length),
      patches,
      scores,
      relErrors,
    }),
  );
  // slice, not subarray: a frame record must not keep its whole patch alive.
  const logMel = first.logMel.slice(firstRow * bands, (firstRow + 1) * bands);
  return { index, timeSec: frameTimeSec(index), logMel, classes };
}

/**
 * Turns {@link PatchAttribution}s (indices 0, 1, 2, …) into one {@link FrameAttribution} per frame, in frame order,
 * each emitted once as soon as every patch covering it has arrived: patch k makes frames 48k … 48k + 47 final, and
 * completion flushes the last patch's second half. Only the previous patch is held. On a source error the waiting
 * half is dropped (those frames are not final). Indices may skip (a live pipeline drops patches when it falls
 * behind): the frames only missing patches covered are not emitted; an index that goes back is an error.
 */
export function mergeFrames(): OperatorFunction<PatchAttribution, FrameAttribution> {
  return (source) =>
    new Observable<FrameAttribution>((subscriber) => {
      // The only patch held: its second half waits for the next patch.
      let previous: PatchAttribution | undefined;
      let nextIndex = 0;
      const flushSecondHalf = (last: PatchAttribution): void => {
        for (let row = patchHopFrames; row < patchFrames && !subscriber.closed; row++) {
          subscriber.next(mergeFrame(last.index * patchHopFrames + row, [{ patch: last, row }]));
        }
      };
      const subscription = source.subscribe({
        next: (patch) => {
          if (patch.index < nextIndex) {
            subscriber.error(new Error(`mergeFrames(): expected patch ${nextIndex} or later, got patch ${patch.index}`));
            return;
          }
          // A gap (patches dropped by a live pipeline): the held patch's second half has no partner coming.
          if (previous && patch.index > previous.index + 1) {
            flushSecondHalf(previous);
            previous = undefined;
          }
          nextIndex = patch.index + 1;
          const startFrame = patch.index * patchHopFrames;
          for (let row = 0; row < patchHopFrames && !subscriber.closed; row++) {
            // Frame 48k + row is row 48 + row of patch k − 1 (if any) and row `row` of patch k.
            const covers: Cover[] = previous ? [{ patch: previous, row: row + patchHopFrames }, { patch, row }] : [{ patch, row }];
            subscriber.next(mergeFrame(startFrame + row, covers));
          }
          previous = patch;
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          // The last patch's second half is covered by it alone, and final now.
          if (previous) flushSecondHalf(previous);
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        previous = undefined;
      };
    });
}
