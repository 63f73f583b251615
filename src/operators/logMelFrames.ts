// RxJS operator: PCM chunks of any size in, YAMNet log-mel frames out, the same numbers as the whole-clip front-end.
import { Observable, type OperatorFunction } from 'rxjs';
import { frameTimeSec, paddedSampleCount } from '../audio/framing.js';
import { createLogMelFrameComputer } from '../audio/logMelFrame.js';
import { type LogMelOptions, type MelFrame, YAMNET_FRONT_END } from '../types.js';

const { windowSamples, hopSamples } = YAMNET_FRONT_END;

/**
 * Turns 16 kHz mono Float32Array chunks into {@link MelFrame}s, emitting each frame as soon as its 400 samples
 * have arrived. On completion, with `padEnd` (the default), the stream is zero-padded as a whole clip would be.
 */
export function logMelFrames(options: LogMelOptions = {}): OperatorFunction<Float32Array, MelFrame> {
  const padEnd = options.padEnd ?? true;
  return (source) =>
    new Observable<MelFrame>((subscriber) => {
      const compute = createLogMelFrameComputer();
      // Samples from the next frame's start onwards live in buffer[start, end); the buffer grows by doubling.
      let buffer = new Float32Array(4 * windowSamples);
      let start = 0;
      let end = 0;
      let samplesSeen = 0;
      let frameIndex = 0;

      const append = (chunk: Float32Array): void => {
        const pending = end - start;
        if (end + chunk.length > buffer.length) {
          if (pending + chunk.length > buffer.length) {
            const grown = new Float32Array(2 * (pending + chunk.length));
            grown.set(buffer.subarray(start, end));
            buffer = grown;
          } else {
            buffer.copyWithin(0, start, end);
          }
          start = 0;
          end = pending;
        }
        buffer.set(chunk, end);
        end += chunk.length;
      };
      const emitReadyFrames = (): void => {
        while (end - start >= windowSamples && !subscriber.closed) {
          subscriber.next({ index: frameIndex, timeSec: frameTimeSec(frameIndex), logMel: compute(buffer, start) });
          frameIndex++;
          start += hopSamples;
        }
      };

      const subscription = source.subscribe({
        next: (chunk) => {
          samplesSeen += chunk.length;
          append(chunk);
          emitReadyFrames();
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          if (padEnd) {
            append(new Float32Array(paddedSampleCount(samplesSeen) - samplesSeen));
            emitReadyFrames();
          }
          subscriber.complete();
        },
      });
      return () => subscription.unsubscribe();
    });
}
