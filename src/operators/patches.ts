// RxJS operator: log-mel frames in, complete 96-frame patches (hop 48) out, each as soon as its last frame arrives.
import { type OperatorFunction, Observable } from 'rxjs';
import { completesPatch, frameTimeSec } from '../audio/framing.js';
import { type MelFrame, type Patch, YAMNET_FRONT_END } from '../types.js';

const { patchFrames, patchHopFrames, melBands } = YAMNET_FRONT_END;

/** Groups consecutive {@link MelFrame}s (indices 0, 1, 2, …) into {@link Patch}es of 96 frames every 48 frames. */
export function patches(): OperatorFunction<MelFrame, Patch> {
  return (source) =>
    new Observable<Patch>((subscriber) => {
      // The last 96 frames, as a ring indexed by frame index mod 96.
      const ring: Float32Array[] = new Array(patchFrames);
      let expectedIndex = 0;
      const subscription = source.subscribe({
        next: (frame) => {
          if (frame.index !== expectedIndex) {
            subscriber.error(new Error(`patches(): expected frame ${expectedIndex}, got frame ${frame.index}`));
            return;
          }
          expectedIndex++;
          ring[frame.index % patchFrames] = frame.logMel;
          if (!completesPatch(frame.index)) return;
          const startFrame = frame.index + 1 - patchFrames;
          const logMel = new Float32Array(patchFrames * melBands);
          for (let row = 0; row < patchFrames; row++) logMel.set(ring[(startFrame + row) % patchFrames], row * melBands);
          subscriber.next({
            index: startFrame / patchHopFrames,
            startSec: frameTimeSec(startFrame),
            startFrame,
            frames: patchFrames,
            bands: melBands,
            logMel,
          });
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => subscription.unsubscribe();
    });
}
